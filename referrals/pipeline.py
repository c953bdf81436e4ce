"""The referral pipeline as one explicit state machine (domain.md, The pipeline).

A referral's state is the pair (status, stage) left by its latest pipeline event. This module says which event
kinds may follow which state, the state each produces, who may record it, and the rules on its date and reason.
It holds no database code: `referrals.services` applies these rules and writes the events (`events_append`),
and the status as at any date is read back from the events by `ReferralQuerySet.with_status_as_at`.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format

from pairs.rules import Perm, has_team_perm


class Status(models.TextChoices):
    """In the order of the published engagement table."""

    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    DISENGAGED_AT_REFERRAL = "disengaged_at_referral", "Disengaged at referral"
    DISENGAGED_AT_ASSESSMENT = "disengaged_at_assessment", "Disengaged at assessment"
    DISENGAGED_DURING_INTERVENTION = "disengaged_during_intervention", "Disengaged during intervention"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    IN_PROGRESS = "in_progress", "In progress"


class Stage(models.TextChoices):
    """How far the family had come: the stage a disengagement is counted at."""

    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    INTERVENTION = "intervention", "Intervention"


class EventKind(models.TextChoices):
    RECEIVED = "received", "Referral received"
    ACCEPTED = "accepted", "Accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    ASSESSMENT_STARTED = "assessment_started", "Assessment started"
    INTERVENTION_STARTED = "intervention_started", "Intervention started"
    COMPLETED = "completed", "Completed and discharged"
    DISENGAGED = "disengaged", "Disengaged"
    ON_HOLD = "on_hold", "Put on hold"
    RESUMED = "resumed", "Resumed"
    REOPENED = "reopened", "Reopened"


class ReasonVocabulary(models.TextChoices):
    """Which coded list a status's reason comes from: the name of the reason field on `PipelineEvent`."""

    DECLINE = "decline_reason", "reason for not accepting"
    DISENGAGEMENT = "disengagement_reason", "reason for disengaging"
    HOLD = "hold_reason", "reason for the hold"


CLOSED_STATUSES = frozenset(
    {
        Status.NOT_ACCEPTED,
        Status.DISENGAGED_AT_REFERRAL,
        Status.DISENGAGED_AT_ASSESSMENT,
        Status.DISENGAGED_DURING_INTERVENTION,
        Status.COMPLETED,
    }
)
OPEN_STATUSES = frozenset({Status.AWAITING_DECISION, Status.IN_PROGRESS, Status.ON_HOLD})
# Statuses whose stage a person needs to know to see why a move is refused.
STAGED_STATUSES = frozenset({Status.IN_PROGRESS, Status.ON_HOLD})
DISENGAGED_STATUS_AT = {
    Stage.REFERRAL: Status.DISENGAGED_AT_REFERRAL,
    Stage.ASSESSMENT: Status.DISENGAGED_AT_ASSESSMENT,
    Stage.INTERVENTION: Status.DISENGAGED_DURING_INTERVENTION,
}
# Statuses that need a reason, and the vocabulary it is taken from.
REASON_FOR_STATUS = {
    Status.NOT_ACCEPTED: ReasonVocabulary.DECLINE,
    Status.ON_HOLD: ReasonVocabulary.HOLD,
    Status.DISENGAGED_AT_REFERRAL: ReasonVocabulary.DISENGAGEMENT,
    Status.DISENGAGED_AT_ASSESSMENT: ReasonVocabulary.DISENGAGEMENT,
    Status.DISENGAGED_DURING_INTERVENTION: ReasonVocabulary.DISENGAGEMENT,
}


@dataclass(frozen=True)
class State:
    status: Status
    stage: Stage

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


# The state before a referral's first event.
NEW = None


@dataclass(frozen=True)
class Transition:
    kind: EventKind
    permission: Perm
    verb: str  # what the practitioner asked for, in "You cannot {verb} ..." messages

    def allows(self, state: State | None) -> bool:
        return self.target(state) is not None

    def target(self, state: State | None) -> State | None:
        """The state this transition leads to from `state`, or None when it is not allowed from there."""
        kind = self.kind
        if state is NEW:
            return State(Status.AWAITING_DECISION, Stage.REFERRAL) if kind == EventKind.RECEIVED else None
        status, stage = state.status, state.stage
        active = status == Status.IN_PROGRESS
        if kind == EventKind.ACCEPTED and status == Status.AWAITING_DECISION:
            return State(Status.IN_PROGRESS, Stage.REFERRAL)
        if kind == EventKind.NOT_ACCEPTED and status == Status.AWAITING_DECISION:
            return State(Status.NOT_ACCEPTED, Stage.REFERRAL)
        if kind == EventKind.ASSESSMENT_STARTED and active and stage == Stage.REFERRAL:
            return State(Status.IN_PROGRESS, Stage.ASSESSMENT)
        # Group work often begins without a 1:1 assessment, so an intervention may start from either stage.
        if kind == EventKind.INTERVENTION_STARTED and active and stage in (Stage.REFERRAL, Stage.ASSESSMENT):
            return State(Status.IN_PROGRESS, Stage.INTERVENTION)
        if kind == EventKind.COMPLETED and active and stage == Stage.INTERVENTION:
            return State(Status.COMPLETED, Stage.INTERVENTION)
        if kind == EventKind.DISENGAGED and status in (Status.IN_PROGRESS, Status.ON_HOLD):
            return State(DISENGAGED_STATUS_AT[stage], stage)
        if kind == EventKind.ON_HOLD and active:
            return State(Status.ON_HOLD, stage)
        if kind == EventKind.RESUMED and status == Status.ON_HOLD:
            return State(Status.IN_PROGRESS, stage)
        if kind == EventKind.REOPENED and status in CLOSED_STATUSES:
            # Back to where the family was before the case closed: a declined referral awaits a decision again.
            if status == Status.NOT_ACCEPTED:
                return State(Status.AWAITING_DECISION, Stage.REFERRAL)
            return State(Status.IN_PROGRESS, stage)
        return None


TRANSITIONS = {
    transition.kind: transition
    for transition in (
        Transition(EventKind.RECEIVED, Perm.WORK_WITH_CASES, "record the receipt of"),
        Transition(EventKind.ACCEPTED, Perm.WORK_WITH_CASES, "accept"),
        Transition(EventKind.NOT_ACCEPTED, Perm.WORK_WITH_CASES, "decline"),
        Transition(EventKind.ASSESSMENT_STARTED, Perm.WORK_WITH_CASES, "start an assessment for"),
        Transition(EventKind.INTERVENTION_STARTED, Perm.WORK_WITH_CASES, "start an intervention for"),
        Transition(EventKind.COMPLETED, Perm.WORK_WITH_CASES, "complete"),
        Transition(EventKind.DISENGAGED, Perm.WORK_WITH_CASES, "record a disengagement for"),
        Transition(EventKind.ON_HOLD, Perm.WORK_WITH_CASES, "put on hold"),
        Transition(EventKind.RESUMED, Perm.WORK_WITH_CASES, "resume"),
        Transition(EventKind.REOPENED, Perm.MANAGE_TEAM, "reopen"),
    )
}

# Every state a referral can be in, for the exhaustive tests and the admin's reference.
ALL_STATES = (
    State(Status.AWAITING_DECISION, Stage.REFERRAL),
    State(Status.NOT_ACCEPTED, Stage.REFERRAL),
    *(State(Status.IN_PROGRESS, stage) for stage in Stage),
    *(State(Status.ON_HOLD, stage) for stage in Stage),
    *(State(DISENGAGED_STATUS_AT[stage], stage) for stage in Stage),
    State(Status.COMPLETED, Stage.INTERVENTION),
)


def allowed_kinds(state: State | None, *, user, team) -> list[EventKind]:
    """The moves this person may make from `state`, in the order the record page offers them."""
    return [
        kind
        for kind, transition in TRANSITIONS.items()
        if kind != EventKind.RECEIVED and transition.allows(state) and has_team_perm(user, transition.permission, team)
    ]


def before_last_change(previous_on: datetime.date) -> ValidationError:
    """The refusal of an event dated before the referral's latest: a referral's history is told in date order."""
    return ValidationError(
        f"The date cannot be before the referral's last change, on {date_format(previous_on, 'j F Y')}.",
        code="before_previous",
    )


def check_transition(
    *,
    kind: EventKind,
    state: State | None,
    occurred_on: datetime.date,
    previous_on: datetime.date | None,
    today: datetime.date,
    reason,
    user,
    team,
) -> State:
    """The state `kind` leads to, after checking every rule; raises ValidationError with a plain-English message."""
    transition = TRANSITIONS[EventKind(kind)]
    if not has_team_perm(user, transition.permission, team):
        if transition.permission == Perm.MANAGE_TEAM:
            raise ValidationError(
                f"Only a service manager can {transition.verb} a referral. Ask your service manager.",
                code="permission",
            )
        raise ValidationError("You do not have permission to change referrals in this team.", code="permission")
    target = transition.target(state)
    if target is None:
        if state is NEW:
            raise ValidationError("A new referral must start with its receipt.", code="transition")
        raise ValidationError(
            f"You cannot {transition.verb} a referral that is {state.status.label.lower()}"
            f"{f' at the {state.stage.label.lower()} stage' if state.status in STAGED_STATUSES else ''}.",
            code="transition",
        )
    errors = {}
    if occurred_on > today:
        errors["occurred_on"] = ValidationError("The date cannot be in the future.", code="future")
    elif previous_on is not None and occurred_on < previous_on:
        errors["occurred_on"] = before_last_change(previous_on)
    vocabulary = REASON_FOR_STATUS.get(target.status)
    if vocabulary and reason is None:
        errors[vocabulary.value] = ValidationError(f"Select the {vocabulary.label}.", code="reason_required")
    if not vocabulary and reason is not None:
        errors["reason"] = ValidationError("This change does not take a reason.", code="reason_not_taken")
    if errors:
        raise ValidationError(errors)
    return target
