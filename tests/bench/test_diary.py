"""The benchmark's diary (bench/diary.py): appointments only where the app would have booked them, and none that
moves a referral's first contact."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from bench.diary import appointment_check, diary_check, diary_generate, first_generated_id
from demo.files.casework import APPOINTMENT_TIMES
from referrals.models import Appointment, Referral
from referrals.pipeline import EventKind
from referrals.selectors.clocks import with_clock_dates
from tests.factories import AppointmentFactory, referral_with_history

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark's data set is PostgreSQL's"),
]


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _case(practitioner, *, steps, first_contact: int | None = 185, pathway: str = "individual") -> Referral:
    referral = referral_with_history(
        actor=practitioner,
        steps=[(EventKind.ACCEPTED, _ago(195)), *steps],
        team=practitioner.memberships.get().team,
        received_on=_ago(200),
        pathway=pathway,
        assigned_practitioner=practitioner,
        first_contact_on=None if first_contact is None else _ago(first_contact),
        created_by=practitioner,
    )
    return referral


ASSESSED_THEN_COMPLETED = [
    (EventKind.ASSESSMENT_STARTED, _ago(180)),
    (EventKind.INTERVENTION_STARTED, _ago(150)),
    (EventKind.COMPLETED, _ago(40)),
]


def _days(referral: Referral, kind: str | None = None) -> list[datetime.date]:
    appointments = referral.appointments.all() if kind is None else referral.appointments.filter(kind=kind)
    return sorted(timezone.localtime(appointment.starts_at).date() for appointment in appointments)


def test_the_diary_fills_assessment_and_individual_intervention_from_the_first_contact_to_the_close(practitioner):
    completed = _case(practitioner, steps=ASSESSED_THEN_COMPLETED, first_contact=170)
    group = _case(practitioner, steps=ASSESSED_THEN_COMPLETED, pathway="group")
    first = first_generated_id()

    diary_generate(first_copied=completed.pk, per_referral=40)

    assessments, interventions = _days(completed, "assessment"), _days(completed, "intervention")
    assert assessments
    assert interventions
    # From the recorded first contact (after the assessment began), to the day before the intervention began...
    assert _ago(170) <= assessments[0]
    assert assessments[-1] < _ago(150)
    # ... and from then to the day before the case closed.
    assert _ago(150) <= interventions[0]
    assert interventions[-1] < _ago(40)
    # A group family's intervention sessions are its run's register: only its assessment is in the diary.
    assert _days(group, "assessment")
    assert not _days(group, "intervention")
    appointments = list(Appointment.objects.filter(pk__gte=first).select_related("practitioner", "referral__team"))
    for appointment in appointments:
        starts_at = timezone.localtime(appointment.starts_at)
        assert starts_at.weekday() < 5
        assert starts_at.time() in APPOINTMENT_TIMES
        assert appointment.outcome in Appointment.Outcome.values
        assert appointment.practitioner == appointment.booked_by == practitioner
        appointment.full_clean()
        appointment_check(appointment.referral, appointment)
    assert len({appointment.starts_at for appointment in appointments}) == len(appointments)  # never double-booked
    diary_check(first)


def test_no_appointment_where_the_case_was_on_hold_waiting_or_without_a_first_contact(practitioner):
    on_hold = _case(
        practitioner,
        steps=[
            (EventKind.ASSESSMENT_STARTED, _ago(180)),
            (EventKind.ON_HOLD, _ago(170), "family_request"),
            (EventKind.RESUMED, _ago(60)),
        ],
    )
    waiting = _case(practitioner, steps=[])
    uncontacted = _case(practitioner, steps=ASSESSED_THEN_COMPLETED, first_contact=None)

    diary_generate(first_copied=on_hold.pk, per_referral=40)

    held = _days(on_hold)
    assert held
    assert not [day for day in held if _ago(170) <= day < _ago(60)]
    assert held[-1] < timezone.localdate()  # up to yesterday: every appointment has happened
    assert not _days(waiting)
    assert not _days(uncontacted)


def test_the_first_contact_clock_is_the_same_with_the_diary(practitioner):
    cases = [_case(practitioner, steps=ASSESSED_THEN_COMPLETED, first_contact=days) for days in (185, 178, 160, 100)]
    # A visit before the recorded contact, as the demo's files have for open cases: it is the first contact.
    AppointmentFactory(
        referral=cases[3],
        practitioner=practitioner,
        starts_at=timezone.make_aware(datetime.datetime.combine(_ago(120), datetime.time(11))),
        kind=Appointment.Kind.INTERVENTION,
        outcome=Appointment.Outcome.ATTENDED,
    )

    def first_contacts(end: datetime.date) -> dict[int, datetime.date | None]:
        rows = with_clock_dates(Referral.objects.filter(pk__in=[case.pk for case in cases]), end)
        return dict(rows.values_list("pk", "first_contact"))

    ends = [_ago(days) for days in (190, 179, 150, 110, 0)]
    before = {end: first_contacts(end) for end in ends}

    added = diary_generate(first_copied=cases[0].pk, per_referral=40)

    assert added > 100
    assert {end: first_contacts(end) for end in ends} == before
