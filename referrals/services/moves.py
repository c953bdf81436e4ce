"""Pipeline moves: the only way a referral moves, one dated event at a time or, for importers, a whole history.

`referral_move` makes any move of the state machine; the moves with more to them have their own services:
accepting records the safeguarding level, starting an intervention opens its episode, and completing ends the
open episodes and asks the completion guards (`referrals.hooks`).
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked
from pairs.rules import Perm, require
from referrals.hooks import Waived
from referrals.models import DeclineReason, DisengagementReason, HoldReason, Intervention, PipelineEvent, Referral
from referrals.models.referral import FIRST_MOVE_DATES
from referrals.pipeline import EventKind
from referrals.services.common import first_contact_check
from referrals.services.events import Step, events_append
from referrals.services.interventions import intervention_episode_create
from referrals.services.levels import referral_levels_record


@transaction.atomic
def _move_record(
    *,
    actor,
    referral: Referral,
    kind: EventKind,
    occurred_on: datetime.date,
    reason,
    note: str,
    expected_version: int | None,
    completion_guards: Waived | None = None,
) -> PipelineEvent:
    row = locked(referral)
    check_version(row, expected_version, noun="referral")
    [event] = events_append(
        row, actor=actor, steps=[(kind, occurred_on, reason)], note=note, completion_guards=completion_guards
    )
    _moved(referral, row)
    return event


def _moved(referral: Referral, row: Referral) -> None:
    """The caller's referral takes what a move changed on the locked row: its version and first-move dates, so that
    a later save of it neither looks stale nor clears them."""
    for field in ["version", *FIRST_MOVE_DATES]:
        setattr(referral, field, getattr(row, field))


def referral_move(
    *,
    actor,
    referral: Referral,
    kind: EventKind,
    occurred_on: datetime.date,
    reason: DeclineReason | DisengagementReason | HoldReason | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Check a move against the state machine of `referrals.pipeline` (who may make it, from which state, its date
    and its reason) and record it as a dated event; refused when the referral changed since `expected_version`.

    A completion has its own service, `referral_complete`: it must end the open episodes.
    """
    if kind == EventKind.COMPLETED:
        raise ValueError("Complete a referral with referral_complete, which ends its open interventions.")
    return _move_record(
        actor=actor,
        referral=referral,
        kind=kind,
        occurred_on=occurred_on,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


@transaction.atomic
def referral_accept(
    *,
    actor,
    referral: Referral,
    occurred_on: datetime.date,
    safeguarding_level: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Accept the referral; the safeguarding level is recorded at acceptance when it is known."""
    event = referral_move(
        actor=actor,
        referral=referral,
        kind=EventKind.ACCEPTED,
        occurred_on=occurred_on,
        note=note,
        expected_version=expected_version,
    )
    if safeguarding_level is not None:
        referral.refresh_from_db()
        referral_levels_record(
            actor=actor,
            referral=referral,
            recorded_on=occurred_on,
            safeguarding_level=safeguarding_level,
            risk_count=referral.risk_count,
            thrive_level=referral.thrive_level,
            imd_decile=referral.imd_decile,
        )
    return event


@transaction.atomic
def intervention_start(
    *,
    actor,
    referral: Referral,
    occurred_on: datetime.date,
    intervention: Intervention | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Move the referral into intervention and, when given, open an episode of `intervention` on the same date."""
    event = referral_move(
        actor=actor,
        referral=referral,
        kind=EventKind.INTERVENTION_STARTED,
        occurred_on=occurred_on,
        note=note,
        expected_version=expected_version,
    )
    if intervention is not None:
        intervention_episode_create(actor=actor, referral=referral, intervention=intervention, started_on=occurred_on)
    return event


@transaction.atomic
def referral_complete(
    *,
    actor,
    referral: Referral,
    occurred_on: datetime.date,
    note: str = "",
    expected_version: int | None = None,
    completion_guards: Waived | None = None,
) -> PipelineEvent:
    """Discharge the family on completion; episodes still open end on the same date.

    Refused while a completion guard has a requirement (the T2 questionnaires, for outcomes), unless the caller
    waives the guards, saying why.
    """
    event = _move_record(
        actor=actor,
        referral=referral,
        kind=EventKind.COMPLETED,
        occurred_on=occurred_on,
        reason=None,
        note=note,
        expected_version=expected_version,
        completion_guards=completion_guards,
    )
    for episode in referral.interventions.filter(ended_on=None).select_for_update():
        if episode.started_on > occurred_on:
            raise ValidationError({"occurred_on": f"{episode.intervention} started after this date: check the dates."})
        episode.ended_on = occurred_on
        with acting(actor):
            episode.full_clean()
            episode.save()
        bump_version(episode)
    return event


@transaction.atomic
def pipeline_history_extend(
    *, actor, referral: Referral, steps: Sequence[Step], completion_guards: Waived | None = None
) -> list[PipelineEvent]:
    """Record `steps`, each (kind, occurred_on, reason or None), after the referral's latest event, in order.

    For importers: every step is checked against the state machine as if made in the browser, completions against
    the completion guards unless they are waived, and either all are recorded or none is.
    """
    row = locked(referral)
    events = events_append(row, actor=actor, steps=steps, completion_guards=completion_guards)
    _moved(referral, row)
    return events


@transaction.atomic
def pipeline_history_rewrite(
    *,
    actor,
    referral: Referral,
    received_on: datetime.date,
    steps: Sequence[Step],
    completion_guards: Waived | None = None,
) -> list[PipelineEvent]:
    """Replace the referral's pipeline history: received on `received_on`, then `steps` as in
    `pipeline_history_extend`. For a corrected import; a service manager's act, audited event by event."""
    row = locked(referral)
    require(actor, Perm.MANAGE_TEAM, row.team, "Only a service manager can rewrite a referral's history.")
    with acting(actor):
        for event in row.events.all():
            event.delete()
        row.received_on = received_on
        for first_move in FIRST_MOVE_DATES:
            setattr(row, first_move, None)
        row.full_clean(validate_unique=False)
        first_contact_check(row)
        row.save(update_fields=["received_on", *FIRST_MOVE_DATES])
    events = events_append(
        row,
        actor=actor,
        steps=[(EventKind.RECEIVED, received_on, None), *steps],
        completion_guards=completion_guards,
    )
    referral.refresh_from_db()
    return events[1:]
