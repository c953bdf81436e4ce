"""The one writer of pipeline events: each step checked against the state machine, then recorded."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.audit import acting
from pairs.concurrency import bump_version
from referrals import hooks, pipeline
from referrals.hooks import Waived
from referrals.models import (
    REASON_MODELS,
    PipelineEvent,
    Referral,
)
from referrals.models.referral import FIRST_MOVE_FIELDS
from referrals.pipeline import EventKind, Stage, State, Status

# A move as importers give it: (kind, occurred_on, reason or None).
Step = tuple[EventKind, datetime.date, Any]


def events_append(
    locked: Referral, *, actor, steps: Sequence[Step], note: str = "", completion_guards: Waived | None = None
) -> list[PipelineEvent]:
    """Check each step, (kind, occurred_on, reason or None), against the state machine of `referrals.pipeline` from
    the referral's latest event on, and record it as a dated event. `locked` is the referral's row, locked.

    A completion is refused while a completion guard (`referrals.hooks`) has a requirement, unless the guards are
    waived. Each event's superseded date and the referral's first-move dates (`Referral.first_decided_on`) are kept
    here, the one writer of events. The version goes up once for the lot: the steps are one change, made under the lock.
    """
    newest_first = locked.events.order_by("-occurred_on", "-sequence")
    latest = newest_first.values("pk", "status", "stage", "occurred_on", "sequence").first()
    state = State(Status(latest["status"]), Stage(latest["stage"])) if latest else pipeline.NEW
    previous_on = latest["occurred_on"] if latest else None
    sequence = latest["sequence"] if latest else 0
    today = timezone.localdate()
    events: list[PipelineEvent] = []
    first_moves: list[str] = []
    with acting(actor):
        for kind, occurred_on, reason in steps:
            state = pipeline.check_transition(
                kind=kind,
                state=state,
                occurred_on=occurred_on,
                previous_on=previous_on,
                today=today,
                reason=reason,
                user=actor,
                team=locked.team,
            )
            # Each event is saved once the next has been checked, knowing when it was superseded; the last, below.
            if events:
                events[-1].superseded_on = occurred_on
                events[-1].save()
            if kind == EventKind.COMPLETED:
                hooks.completion_check(locked, waived=completion_guards)
            reason_fields = {}
            vocabulary = pipeline.REASON_FOR_STATUS.get(state.status)
            if vocabulary:
                if not isinstance(reason, REASON_MODELS[vocabulary]):
                    message = f"Choose one of the listed options for the {vocabulary.label}."
                    raise ValidationError({vocabulary.value: message})
                reason_fields[vocabulary.value] = reason
            sequence += 1
            event = PipelineEvent(
                referral=locked,
                team_id=locked.team_id,
                kind=kind,
                occurred_on=occurred_on,
                sequence=sequence,
                status=state.status,
                stage=state.stage,
                note=note,
                recorded_by=actor,
                **reason_fields,
            )
            # The sequence was read under the referral's lock and the referral and actor are known to exist, so the
            # unique (referral, sequence) and foreign-key checks would only cost queries per event; the database's
            # constraints stay as the backstop.
            event.full_clean(exclude=["referral", "recorded_by"], validate_constraints=False)
            events.append(event)
            previous_on = occurred_on
            for first_move in FIRST_MOVE_FIELDS.get(kind, ()):
                if getattr(locked, first_move) is None:
                    setattr(locked, first_move, occurred_on)
                    first_moves.append(first_move)
        if events:
            events[-1].save()
            if latest:
                # A derived date, not a change anybody made to the event: not audited (referrals.apps).
                PipelineEvent.objects.filter(pk=latest["pk"]).update(superseded_on=events[0].occurred_on)
    if first_moves:
        locked.save(update_fields=first_moves)
    if events:
        bump_version(locked)
    return events
