"""A referral's clocks: one definition (`referrals.selectors.clocks`), shown on the record and counted by the KPIs."""

import datetime

from django.urls import reverse
from django.utils import timezone

from pairs.periods import Period
from referrals import services
from referrals.models import HoldReason, Referral
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.selectors.clocks import LONG_HOLD_DAYS, with_clock_dates, with_current_stage
from reports.kpis import kpi_report
from tests.factories import AppointmentFactory
from tests.referrals.builders import TODAY, reason

WAITING = State(Status.IN_PROGRESS, Stage.REFERRAL)


def _attended(referral, practitioner, day, kind="review"):
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    appointment = AppointmentFactory(referral=referral, practitioner=practitioner, starts_at=starts_at, kind=kind)
    services.appointment_record_outcome(appointment=appointment, actor=practitioner, outcome="attended")


def test_after_an_attended_appointment_the_record_and_the_kpi_agree_on_first_contact(
    referral_in, practitioner, practitioner_client, team_a
):
    referral = referral_in(WAITING, first_contact_on=None)
    before = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert "No contact yet" in before
    contact_day = TODAY - datetime.timedelta(days=3)
    _attended(referral, practitioner, contact_day)
    days = (contact_day - referral.received_on).days
    page = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert f"{contact_day:%-d %B %Y} (first attended appointment)" in page
    assert f"{days} days, on {contact_day:%-d %B %Y}" in page
    figures = kpi_report(teams=[team_a], period=Period(referral.received_on, TODAY))["referrals"]
    assert figures["clocks"]["to_first_contact"]["median_days"].value == days
    assert figures["timeliness"]["with_first_contact"].value == 1


def test_a_recorded_first_contact_before_any_appointment_is_the_one_counted(referral_in, practitioner):
    recorded = TODAY - datetime.timedelta(days=30)
    referral = referral_in(WAITING, first_contact_on=recorded)
    _attended(referral, practitioner, TODAY - datetime.timedelta(days=2))
    row = with_clock_dates(Referral.objects.filter(pk=referral.pk), TODAY).get()
    assert (row.first_contact, row.decided_on, row.assessment_on) == (
        recorded,
        referral.events.get(kind=EventKind.ACCEPTED).occurred_on,
        None,
    )


def test_the_current_stage_is_the_waiting_stage_of_the_kpis(referral_in, practitioner, django_assert_num_queries):
    waiting = referral_in(WAITING)
    closed = referral_in(State(Status.COMPLETED, Stage.INTERVENTION))
    held = referral_in(State(Status.ON_HOLD, Stage.INTERVENTION))
    with django_assert_num_queries(1):
        rows = {
            row.pk: (row.waiting_stage, row.stage_began_on)
            for row in with_current_stage(Referral.objects.with_status_as_at(TODAY), TODAY)
        }
    assert rows[waiting.pk] == ("waiting_for_assessment", waiting.events.get(kind=EventKind.ACCEPTED).occurred_on)
    assert rows[held.pk] == ("on_hold", held.events.get(kind=EventKind.ON_HOLD).occurred_on)
    assert rows[closed.pk] == (None, None)


def test_the_record_flags_a_long_hold(referral_in, practitioner, practitioner_client):
    long_ago = TODAY - datetime.timedelta(days=LONG_HOLD_DAYS + 30)
    referral = referral_in(
        State(Status.IN_PROGRESS, Stage.INTERVENTION), received_on=long_ago - datetime.timedelta(days=10)
    )
    services.referral_move(
        kind=EventKind.ON_HOLD,
        referral=referral,
        actor=practitioner,
        occurred_on=long_ago,
        reason=reason(HoldReason, "family_request"),
    )
    page = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert f"On hold for {(TODAY - long_ago).days} days, since {long_ago:%-d %B %Y}" in page
    assert "A long hold: more than 13 weeks." in page
    caseload = practitioner_client.get(reverse("home:caseload") + "?cases=team&status=on_hold").content.decode()
    assert "Long hold</strong> " in caseload
