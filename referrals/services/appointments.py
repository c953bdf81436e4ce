"""Appointments: booking them and recording whether the family came."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pairs.audit import acting
from referrals import pipeline
from referrals.models import (
    Appointment,
    Referral,
)
from referrals.pipeline import Stage, State, Status
from referrals.services.common import (
    _check_clinical_member,
    _check_version,
    _locked,
    _require,
    _require_open,
    referral_state,
)
from referrals.services.moves import assessment_start


@transaction.atomic
def appointment_book(
    *, referral: Referral, actor, practitioner, starts_at: datetime.datetime, kind: str, mode: str
) -> Appointment:
    _require(actor, pipeline.WORK_WITH_CASES, referral.team)
    _require_open(referral, "book an appointment")
    _check_clinical_member(practitioner, referral.team, "practitioner")
    if starts_at.date() < referral.received_on:
        raise ValidationError({"starts_at": "The appointment cannot be before the referral was received."})
    with acting(actor):
        appointment = Appointment(
            referral=referral, practitioner=practitioner, starts_at=starts_at, kind=kind, mode=mode, booked_by=actor
        )
        appointment.full_clean()
        appointment.save()
    return appointment


@transaction.atomic
def appointment_record_outcome(
    *, appointment: Appointment, actor, outcome: str, expected_version: int | None = None
) -> Appointment:
    """Record whether the family came. The first attended assessment appointment of a referral still waiting for
    assessment starts its assessment on the appointment's date."""
    locked = _locked(appointment)
    referral = locked.referral
    _require(actor, pipeline.WORK_WITH_CASES, referral.team)
    _check_version(locked, expected_version, "appointment")
    if locked.starts_at > timezone.now():
        raise ValidationError({"outcome": "You can record an outcome once the appointment has started."})
    locked.outcome = outcome
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    state = referral_state(referral)
    if (
        outcome == Appointment.Outcome.ATTENDED
        and locked.kind == Appointment.Kind.ASSESSMENT
        and state == State(Status.IN_PROGRESS, Stage.REFERRAL)
    ):
        assessment_start(
            referral=referral,
            actor=actor,
            occurred_on=timezone.localtime(locked.starts_at).date(),
            note="Started by the first attended assessment appointment.",
        )
    return locked
