"""Pipeline moves: the only way a referral moves, one dated event at a time or, for importers, a whole history."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from pairs.audit import acting
from referrals import pipeline
from referrals.models import (
    DeclineReason,
    DisengagementReason,
    HoldReason,
    Intervention,
    PipelineEvent,
    Referral,
)
from referrals.pipeline import EventKind
from referrals.services.common import _check_version, _first_contact_check, _locked
from referrals.services.events import _events_append
from referrals.services.interventions import intervention_episode_create
from referrals.services.referral import referral_levels_record


@transaction.atomic
def pipeline_event_record(
    *,
    referral: Referral,
    kind: EventKind,
    occurred_on: datetime.date,
    actor,
    reason=None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Check a move against the state machine of `referrals.pipeline` and record it as a dated event.

    The writer of single pipeline events, shared by the browser services below; importers use
    `pipeline_history_extend`, which applies the same checks.
    """
    locked = _locked(referral)
    _check_version(locked, expected_version, "referral")
    [event] = _events_append(locked, actor=actor, steps=[(kind, occurred_on, reason)], note=note)
    referral.version = locked.version
    return event


def referral_accept(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    safeguarding_level: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Accept the referral; the safeguarding level is recorded at acceptance when it is known."""
    with transaction.atomic():
        event = pipeline_event_record(
            referral=referral,
            kind=EventKind.ACCEPTED,
            occurred_on=occurred_on,
            actor=actor,
            note=note,
            expected_version=expected_version,
        )
        if safeguarding_level is not None:
            referral.refresh_from_db()
            referral_levels_record(
                referral=referral,
                actor=actor,
                recorded_on=occurred_on,
                safeguarding_level=safeguarding_level,
                risk_count=referral.risk_count,
                thrive_level=referral.thrive_level,
                imd_decile=referral.imd_decile,
            )
    return event


def referral_decline(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    reason: DeclineReason | None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.NOT_ACCEPTED,
        occurred_on=occurred_on,
        actor=actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


def assessment_start(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.ASSESSMENT_STARTED,
        occurred_on=occurred_on,
        actor=actor,
        note=note,
        expected_version=expected_version,
    )


def intervention_start(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    intervention: Intervention | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Move the referral into intervention and, when given, open an episode of `intervention` on the same date."""
    with transaction.atomic():
        event = pipeline_event_record(
            referral=referral,
            kind=EventKind.INTERVENTION_STARTED,
            occurred_on=occurred_on,
            actor=actor,
            note=note,
            expected_version=expected_version,
        )
        if intervention is not None:
            intervention_episode_create(
                referral=referral, actor=actor, intervention=intervention, started_on=occurred_on
            )
    return event


def referral_complete(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    """Discharge the family on completion; episodes still open end on the same date."""
    with transaction.atomic():
        event = pipeline_event_record(
            referral=referral,
            kind=EventKind.COMPLETED,
            occurred_on=occurred_on,
            actor=actor,
            note=note,
            expected_version=expected_version,
        )
        with acting(actor):
            for episode in referral.interventions.filter(ended_on=None).select_for_update():
                if episode.started_on > occurred_on:
                    raise ValidationError(
                        {"occurred_on": f"{episode.intervention} started after this date: check the dates."}
                    )
                episode.ended_on = occurred_on
                episode.version += 1
                episode.full_clean()
                episode.save()
    return event


def referral_disengage(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    reason: DisengagementReason | None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Record that the family disengaged; the status says at which stage they had reached."""
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.DISENGAGED,
        occurred_on=occurred_on,
        actor=actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


def referral_hold(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    reason: HoldReason | None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.ON_HOLD,
        occurred_on=occurred_on,
        actor=actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


def referral_resume(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.RESUMED,
        occurred_on=occurred_on,
        actor=actor,
        note=note,
        expected_version=expected_version,
    )


def referral_reopen(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    """Reopen a closed referral: for service managers only; the event and its note are audited."""
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.REOPENED,
        occurred_on=occurred_on,
        actor=actor,
        note=note,
        expected_version=expected_version,
    )


@transaction.atomic
def pipeline_history_extend(*, referral: Referral, actor, steps: Sequence[tuple]) -> list[PipelineEvent]:
    """Record `steps`, each (kind, occurred_on, reason or None), after the referral's latest event, in order.

    For importers: every step is checked against the state machine as if made in the browser, and either all are
    recorded or none is.
    """
    locked = _locked(referral)
    events = _events_append(locked, actor=actor, steps=steps)
    referral.version = locked.version
    return events


@transaction.atomic
def pipeline_history_rewrite(
    *, referral: Referral, actor, received_on: datetime.date, steps: Sequence[tuple]
) -> list[PipelineEvent]:
    """Replace the referral's pipeline history: received on `received_on`, then `steps` as in
    `pipeline_history_extend`. For a corrected import; a service manager's act, audited event by event."""
    locked = _locked(referral)
    if not actor.has_perm(pipeline.MANAGE_TEAM, locked.team):
        raise ValidationError("Only a service manager can rewrite a referral's history.", code="permission")
    with acting(actor):
        for event in locked.events.all():
            event.delete()
        locked.received_on = received_on
        locked.full_clean(validate_unique=False)
        _first_contact_check(locked)
        locked.save(update_fields=["received_on"])
    events = _events_append(locked, actor=actor, steps=[(EventKind.RECEIVED, received_on, None), *steps])
    referral.refresh_from_db()
    return events[1:]
