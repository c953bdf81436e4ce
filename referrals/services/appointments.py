"""Appointments: booking them, moving, changing or cancelling those still ahead, and recording whether the family
came.

A moved appointment stays one appointment, counted at its new date; a cancelled one stays in the diary and the
history with its outcome `cancelled_by_family` or `cancelled_by_service`, which is how kpis.md counts cancellations
(every appointment whose date falls in the period is offered; the cancelled ones are counted by who cancelled).
Every change to a booked appointment leaves an `AppointmentChange`: who, when, why, and each detail from and to.
"""

import datetime
from typing import TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked, model_update
from pairs.rules import Perm, require
from referrals import pipeline
from referrals.models import CANCELLED_OUTCOMES, Appointment, AppointmentChange, Referral
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.selectors import referral_state
from referrals.services.common import CASEWORK_REFUSAL, check_clinical_member, require_open
from referrals.services.moves import referral_move

WAITING_FOR_ASSESSMENT = State(Status.IN_PROGRESS, Stage.REFERRAL)


class AppointmentDetails(TypedDict, total=False):
    """What `appointment_update` changes on an appointment still ahead: who holds it, its type and where."""

    practitioner: AbstractBaseUser
    kind: str
    mode: str


def check_assessment_start(referral: Referral, *, kind: str, day: datetime.date, field: str) -> None:
    """The one rule on the day of an appointment that may start the assessment, for the booking, the changes and
    the outcome alike: recorded as attended, an assessment appointment of a referral waiting for assessment starts
    the assessment on its own day (`appointment_record_outcome`), and the pipeline refuses an event dated before
    the referral's last change. So such an appointment cannot be booked, moved or recorded on a day before it."""
    if kind != Appointment.Kind.ASSESSMENT:
        return
    latest = referral.events.order_by("-occurred_on", "-sequence").values("status", "stage", "occurred_on").first()
    if latest is None or State(Status(latest["status"]), Stage(latest["stage"])) != WAITING_FOR_ASSESSMENT:
        return
    if day < latest["occurred_on"]:
        raise ValidationError({field: pipeline.before_last_change(latest["occurred_on"])})


def _check_day(referral: Referral, *, starts_at: datetime.datetime, kind: str, doing: str) -> None:
    """What booking an appointment on a day needs: an open referral that day, received by then, and the rule on an
    assessment's start."""
    day = timezone.localtime(starts_at).date()
    require_open(referral, doing, on=day)
    if day < referral.received_on:
        raise ValidationError({"starts_at": "The appointment cannot be before the referral was received."})
    check_assessment_start(referral, kind=kind, day=day, field="starts_at")


@transaction.atomic
def appointment_book(
    *, actor, referral: Referral, practitioner, starts_at: datetime.datetime, kind: str, mode: str
) -> Appointment:
    require(actor, Perm.WORK_WITH_CASES, referral.team, CASEWORK_REFUSAL)
    check_clinical_member(practitioner, referral.team, "practitioner")
    _check_day(referral, starts_at=starts_at, kind=kind, doing="book an appointment")
    with acting(actor):
        appointment = Appointment(
            referral=referral,
            team_id=referral.team_id,
            practitioner=practitioner,
            starts_at=starts_at,
            kind=kind,
            mode=mode,
            booked_by=actor,
        )
        appointment.full_clean()
        appointment.save()
    return appointment


def _ahead(appointment: Appointment, *, actor, expected_version: int | None, doing: str) -> Appointment:
    """The appointment's row, locked, once the person may change it: an appointment of their team, still ahead,
    with no outcome, unchanged since their form was opened."""
    row = locked(appointment)
    require(actor, Perm.WORK_WITH_CASES, row.referral.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="appointment")
    if row.outcome:
        raise ValidationError(
            f"You cannot {doing} this appointment: it is {row.get_outcome_display().lower()}.", code="settled"
        )
    if row.starts_at <= timezone.now():
        raise ValidationError(
            f"You cannot {doing} an appointment that has started. Record its outcome instead.", code="started"
        )
    return row


def _required_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": f"Enter why the appointment is {what}."})
    return reason


def _described(row: Appointment, field: str) -> str:
    """A detail of the appointment in the words the diary shows."""
    if field == "starts_at":
        return date_format(timezone.localtime(row.starts_at), "l j F Y, H:i")
    if field == "practitioner":
        return row.practitioner.get_full_name() or row.practitioner.get_username()
    return getattr(row, f"get_{field}_display")() or "Not recorded"


def _save_with_history(
    row: Appointment, *, actor, kind: str, reason: str, before: dict[str, str], fields: list[str]
) -> AppointmentChange:
    with acting(actor):
        row.full_clean()
        row.save(update_fields=fields)
    bump_version(row)
    change = AppointmentChange(
        appointment=row,
        kind=kind,
        reason=reason,
        changes=[{"field": field, "before": before[field], "after": _described(row, field)} for field in fields],
        changed_by=actor,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def appointment_reschedule(
    *, actor, appointment: Appointment, starts_at: datetime.datetime, reason: str, expected_version: int | None = None
) -> Appointment:
    """Move an appointment still ahead to a new date and time, saying why."""
    row = _ahead(appointment, actor=actor, expected_version=expected_version, doing="move")
    reason = _required_reason(reason, "moved")
    if starts_at == row.starts_at:
        raise ValidationError({"starts_at": "Choose a different date or time from the one booked."})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The new date and time must be in the future."})
    _check_day(row.referral, starts_at=starts_at, kind=row.kind, doing="move an appointment")
    before = {"starts_at": _described(row, "starts_at")}
    row.starts_at = starts_at
    _save_with_history(
        row, actor=actor, kind=AppointmentChange.Kind.RESCHEDULED, reason=reason, before=before, fields=["starts_at"]
    )
    return row


@transaction.atomic
def appointment_update(
    *,
    actor,
    appointment: Appointment,
    reason: str = "",
    expected_version: int | None = None,
    **changes: Unpack[AppointmentDetails],
) -> tuple[Appointment, list[str]]:
    """Change who holds an appointment still ahead, its type or where it is; returns the appointment and the names of
    what changed (none, and nothing written, when nothing differs)."""
    row = _ahead(appointment, actor=actor, expected_version=expected_version, doing="change")
    before = {field: _described(row, field) for field in AppointmentDetails.__annotations__}
    changed = model_update(row, data=changes, fields=AppointmentDetails.__annotations__)
    if not changed:
        return row, []
    if "practitioner" in changed:
        check_clinical_member(row.practitioner, row.referral.team, "practitioner")
    if "kind" in changed:
        check_assessment_start(row.referral, kind=row.kind, day=timezone.localtime(row.starts_at).date(), field="kind")
    _save_with_history(
        row, actor=actor, kind=AppointmentChange.Kind.EDITED, reason=reason.strip(), before=before, fields=changed
    )
    return row, changed


@transaction.atomic
def appointment_cancel(
    *, actor, appointment: Appointment, outcome: str, reason: str, expected_version: int | None = None
) -> Appointment:
    """Call off an appointment still ahead, by the family or by the service (`outcome`), saying why. It stays in
    the diary and the history, counted as cancelled by whoever called it off."""
    row = _ahead(appointment, actor=actor, expected_version=expected_version, doing="cancel")
    if outcome not in CANCELLED_OUTCOMES:
        raise ValidationError({"outcome": "Choose who cancelled the appointment."})
    reason = _required_reason(reason, "cancelled")
    before = {"outcome": "Booked"}
    row.outcome = outcome
    _save_with_history(
        row, actor=actor, kind=AppointmentChange.Kind.CANCELLED, reason=reason, before=before, fields=["outcome"]
    )
    return row


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
    day = timezone.localtime(row.starts_at).date()
    if outcome == Appointment.Outcome.ATTENDED:
        check_assessment_start(referral, kind=row.kind, day=day, field="outcome")
    attendance_changes = Appointment.Outcome.ATTENDED in (row.outcome, outcome) and row.outcome != outcome
    row.outcome = outcome
    with acting(actor):
        row.full_clean()
        row.save()
    bump_version(row)
    if attendance_changes:
        first_attended_refresh(referral)
    if (
        outcome == Appointment.Outcome.ATTENDED
        and row.kind == Appointment.Kind.ASSESSMENT
        and referral_state(referral) == WAITING_FOR_ASSESSMENT
    ):
        referral_move(
            actor=actor,
            referral=referral,
            kind=EventKind.ASSESSMENT_STARTED,
            occurred_on=day,
            note="Started by the first attended assessment appointment.",
        )
    return row


def first_attended_refresh(referral: Referral) -> None:
    """Set the referral's `first_attended_on` from its appointments, after one's attendance changed: derived, so
    neither audited nor versioned. The earliest moment is on the earliest day, whatever the clock change."""
    first = referral.appointments.filter(outcome=Appointment.Outcome.ATTENDED).aggregate(first=Min("starts_at"))
    referral.first_attended_on = timezone.localdate(first["first"]) if first["first"] else None
    Referral.objects.filter(pk=referral.pk).update(first_attended_on=referral.first_attended_on)
