"""Appointments: booking them and recording whether the family came."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked
from pairs.rules import Perm, require
from referrals.models import Appointment, Referral
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.selectors import referral_state
from referrals.services.common import CASEWORK_REFUSAL, check_clinical_member, require_open
from referrals.services.moves import referral_move


@transaction.atomic
def appointment_book(
    *, actor, referral: Referral, practitioner, starts_at: datetime.datetime, kind: str, mode: str
) -> Appointment:
    require(actor, Perm.WORK_WITH_CASES, referral.team, CASEWORK_REFUSAL)
    require_open(referral, "book an appointment", on=timezone.localtime(starts_at).date())
    check_clinical_member(practitioner, referral.team, "practitioner")
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
    *, actor, appointment: Appointment, outcome: str, expected_version: int | None = None
) -> Appointment:
    """Record whether the family came. The first attended assessment appointment of a referral still waiting for
    assessment starts its assessment on the appointment's date."""
    row = locked(appointment)
    referral = row.referral
    require(actor, Perm.WORK_WITH_CASES, referral.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="appointment")
    if row.starts_at > timezone.now():
        raise ValidationError({"outcome": "You can record an outcome once the appointment has started."})
    row.outcome = outcome
    with acting(actor):
        row.full_clean()
        row.save()
    bump_version(row)
    if (
        outcome == Appointment.Outcome.ATTENDED
        and row.kind == Appointment.Kind.ASSESSMENT
        and referral_state(referral) == State(Status.IN_PROGRESS, Stage.REFERRAL)
    ):
        referral_move(
            actor=actor,
            referral=referral,
            kind=EventKind.ASSESSMENT_STARTED,
            occurred_on=timezone.localtime(row.starts_at).date(),
            note="Started by the first attended assessment appointment.",
        )
    return row
