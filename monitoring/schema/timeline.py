"""A referral's pipeline as dated states, for checking the rows filed under it against the referral's own dates.

Built from a row of referrals.csv (its steps taken through the state machine of `referrals.pipeline`) or from the
events already recorded, so that appointments.csv and group_places.csv are checked the same way whichever file
the referral came from. Pure: nothing here touches the database.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from referrals.pipeline import TRANSITIONS, EventKind, Stage, State, Status

WAITING_FOR_ASSESSMENT = State(Status.IN_PROGRESS, Stage.REFERRAL)
PLACE_STATUSES = (Status.IN_PROGRESS, Status.ON_HOLD)


@dataclass(frozen=True)
class Timeline:
    reference: str
    received_on: datetime.date
    pathway: str
    states: tuple[tuple[datetime.date, State], ...]  # each event's date and the state it left, in order
    from_file: bool  # the referral's history is the one referrals.csv gives in this import

    @classmethod
    def from_steps(cls, record) -> "Timeline":
        """The history a row of referrals.csv (a `ReferralRecord`) gives its referral."""
        states, state = [], None
        for step in record.steps:
            # A step the state machine refuses is refused again, in words, when the referral is written.
            state = TRANSITIONS[EventKind(step.kind)].target(state) or state
            states.append((step.occurred_on, state))
        return cls(record.reference, record.received_on, record.pathway, tuple(states), from_file=True)

    @classmethod
    def from_events(
        cls, reference: str, received_on: datetime.date, pathway: str, events: Iterable[tuple]
    ) -> "Timeline":
        """The recorded history: `events` as (occurred_on, status, stage) in the order they were recorded."""
        states = tuple((day, State(Status(status), Stage(stage))) for day, status, stage in events)
        return cls(reference, received_on, pathway, states, from_file=False)

    @property
    def current(self) -> State | None:
        return self.states[-1][1] if self.states else None

    def on(self, day: datetime.date) -> tuple[State | None, State | None]:
        """The state as `day` began and as it ended (None before the receipt), as the booking services judge it."""
        began = ended = None
        for occurred_on, state in self.states:
            if occurred_on < day:
                began = state
            if occurred_on <= day:
                ended = state
        return began, ended

    def open_on(self, day: datetime.date) -> bool:
        return any(state is not None and not state.is_closed for state in self.on(day))

    def takes_places_on(self, day: datetime.date) -> bool:
        """Whether a group place could be offered on `day`: accepted and still open at some time that day."""
        return any(state is not None and state.status in PLACE_STATUSES for state in self.on(day))

    def accepted_by(self, day: datetime.date) -> bool:
        ended = self.on(day)[1]
        return ended is not None and ended.status not in (Status.AWAITING_DECISION, Status.NOT_ACCEPTED)
