"""The diary: booking, moving, changing and cancelling appointments, their history, and the one rule on an
assessment appointment's day shared by the booking and the outcome."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Appointment, AppointmentChange
from referrals.pipeline import EventKind, Stage, State, Status
from tests.factories import AppointmentFactory, MembershipFactory
from tests.referrals.builders import date_data

WAITING = State(Status.IN_PROGRESS, Stage.REFERRAL)
IN_ASSESSMENT = State(Status.IN_PROGRESS, Stage.ASSESSMENT)


def _ahead(referral, practitioner, days=7):
    return AppointmentFactory(
        referral=referral, practitioner=practitioner, starts_at=timezone.now() + datetime.timedelta(days=days)
    )


def _accepted_on(referral) -> datetime.date:
    return referral.events.get(kind=EventKind.ACCEPTED).occurred_on


# One rule on the day of an assessment appointment ------------------------------------------------------------------


def test_booking_refuses_an_assessment_day_the_outcome_would_refuse_with_the_same_message(referral_in, practitioner):
    referral = referral_in(WAITING)
    accepted_on = _accepted_on(referral)
    before_acceptance = timezone.make_aware(datetime.datetime.combine(accepted_on, datetime.time(10)))
    before_acceptance -= datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused_booking:
        services.appointment_book(
            referral=referral,
            actor=practitioner,
            practitioner=practitioner,
            starts_at=before_acceptance,
            kind=Appointment.Kind.ASSESSMENT,
            mode="home",
        )
    assert not referral.appointments.exists()
    # The same appointment, had it got in (as an old import might have put it), is refused as attended, in the
    # same words, by the same rule.
    old = AppointmentFactory(referral=referral, practitioner=practitioner, starts_at=before_acceptance)
    with pytest.raises(ValidationError) as refused_outcome:
        services.appointment_record_outcome(appointment=old, actor=practitioner, outcome="attended")
    message = f"The date cannot be before the referral's last change, on {accepted_on:%-d %B %Y}."
    assert refused_booking.value.message_dict == {"starts_at": [message]}
    assert refused_outcome.value.message_dict == {"outcome": [message]}
    old.refresh_from_db()
    assert old.outcome == ""


def test_other_appointments_before_the_decision_are_booked_and_recorded(referral_in, practitioner):
    referral = referral_in(WAITING)
    day_before = timezone.make_aware(datetime.datetime.combine(_accepted_on(referral), datetime.time(10)))
    day_before -= datetime.timedelta(days=1)
    review = services.appointment_book(
        referral=referral, actor=practitioner, practitioner=practitioner, starts_at=day_before, kind="review", mode=""
    )
    services.appointment_record_outcome(appointment=review, actor=practitioner, outcome="attended")
    assert referral.events.filter(kind=EventKind.ASSESSMENT_STARTED).count() == 0
    # In assessment already, an earlier assessment appointment starts nothing, so nothing refuses it.
    assessed = referral_in(IN_ASSESSMENT)
    earlier = timezone.make_aware(datetime.datetime.combine(assessed.received_on, datetime.time(10)))
    booked = services.appointment_book(
        referral=assessed, actor=practitioner, practitioner=practitioner, starts_at=earlier, kind="assessment", mode=""
    )
    services.appointment_record_outcome(appointment=booked, actor=practitioner, outcome="attended")


def test_an_appointment_keeps_its_referrals_team_unaudited(referral_in, practitioner):
    referral = referral_in(WAITING)

    booked = services.appointment_book(
        referral=referral,
        actor=practitioner,
        practitioner=practitioner,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        kind="review",
        mode="home",
    )

    booked.refresh_from_db()
    assert booked.team_id == referral.team_id
    [created] = LogEntry.objects.get_for_object(booked)
    assert "team" not in created.changes_dict
    assert "practitioner" in created.changes_dict


def test_the_referral_keeps_the_day_of_its_first_attended_appointment(referral_in, practitioner):
    referral = referral_in(IN_ASSESSMENT)
    start = timezone.localdate() - datetime.timedelta(days=3)

    def booked(days: int, hour: int) -> Appointment:
        starts_at = timezone.make_aware(
            datetime.datetime.combine(start + datetime.timedelta(days=days), datetime.time(hour, 30))
        )
        return services.appointment_book(
            referral=referral,
            actor=practitioner,
            practitioner=practitioner,
            starts_at=starts_at,
            kind="review",
            mode="",
        )

    def kept():
        referral.refresh_from_db()
        return referral.first_attended_on

    later, earlier = booked(2, 23), booked(1, 9)
    services.appointment_record_outcome(appointment=later, actor=practitioner, outcome="attended")
    assert kept() == start + datetime.timedelta(days=2)
    services.appointment_record_outcome(appointment=earlier, actor=practitioner, outcome="did_not_attend")
    assert kept() == start + datetime.timedelta(days=2)
    services.appointment_record_outcome(appointment=earlier, actor=practitioner, outcome="attended")
    assert kept() == start + datetime.timedelta(days=1)
    # An outcome corrected: the day goes back to the next attended, then to none.
    services.appointment_record_outcome(appointment=earlier, actor=practitioner, outcome="did_not_attend")
    assert kept() == start + datetime.timedelta(days=2)
    services.appointment_record_outcome(appointment=later, actor=practitioner, outcome="did_not_attend")
    assert kept() is None


# Moving, changing and cancelling ----------------------------------------------------------------------------------


def test_moving_an_appointment_keeps_who_when_why_and_from_where(referral_in, practitioner):
    appointment = _ahead(referral_in(IN_ASSESSMENT), practitioner)
    old = timezone.localtime(appointment.starts_at)
    new = timezone.make_aware(datetime.datetime.combine(old.date() + datetime.timedelta(days=2), datetime.time(14)))
    moved = services.appointment_reschedule(
        actor=practitioner, appointment=appointment, starts_at=new, reason="The family is away", expected_version=1
    )
    assert (moved.starts_at, moved.version, Appointment.objects.count()) == (new, 2, 1)
    change = AppointmentChange.objects.get()
    assert (change.kind, change.reason, change.changed_by) == ("rescheduled", "The family is away", practitioner)
    assert change.changes == [
        {"field": "starts_at", "before": f"{old:%A %-d %B %Y, %H:%M}", "after": f"{new:%A %-d %B %Y}, 14:00"}
    ]
    with pytest.raises(ValidationError, match="Someone else changed this appointment"):
        services.appointment_reschedule(
            actor=practitioner, appointment=appointment, starts_at=new, reason="Again", expected_version=1
        )


@pytest.mark.parametrize(
    ("starts_in", "reason", "field"),
    [
        (datetime.timedelta(days=9), " ", "reason"),
        (datetime.timedelta(days=7), "Same time", "starts_at"),
        (-datetime.timedelta(hours=1), "In the past", "starts_at"),
    ],
)
def test_a_move_needs_a_reason_and_a_new_time_ahead(referral_in, practitioner, starts_in, reason, field):
    appointment = _ahead(referral_in(IN_ASSESSMENT), practitioner)
    starts_at = appointment.starts_at if starts_in == datetime.timedelta(days=7) else timezone.now() + starts_in
    with pytest.raises(ValidationError) as refused:
        services.appointment_reschedule(actor=practitioner, appointment=appointment, starts_at=starts_at, reason=reason)
    assert field in refused.value.message_dict
    assert not AppointmentChange.objects.exists()


def test_changing_the_details_is_partial_and_checks_the_practitioner(referral_in, practitioner, manager, team_b):
    appointment = _ahead(referral_in(IN_ASSESSMENT), practitioner)
    _, changed = services.appointment_update(
        actor=practitioner, appointment=appointment, kind="assessment", mode="home"
    )
    assert (changed, AppointmentChange.objects.count()) == ([], 0)
    row, changed = services.appointment_update(
        actor=practitioner, appointment=appointment, practitioner=manager, mode="video", reason="Covering leave"
    )
    assert (changed, row.practitioner, row.mode) == (["practitioner", "mode"], manager, "video")
    change = AppointmentChange.objects.get()
    assert [(item["field"], item["before"], item["after"]) for item in change.changes] == [
        ("practitioner", practitioner.get_full_name(), manager.get_full_name()),
        ("mode", "Home visit", "Video call"),
    ]
    outsider = MembershipFactory(team=team_b).user
    with pytest.raises(ValidationError) as refused:
        services.appointment_update(actor=practitioner, appointment=appointment, practitioner=outsider)
    assert "practitioner" in refused.value.message_dict
    row.refresh_from_db()
    assert row.practitioner == manager


def test_cancelling_keeps_the_appointment_counted_as_cancelled(referral_in, practitioner):
    appointment = _ahead(referral_in(IN_ASSESSMENT), practitioner)
    with pytest.raises(ValidationError) as refused:
        services.appointment_cancel(actor=practitioner, appointment=appointment, outcome="attended", reason="No")
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError, match="Enter why"):
        services.appointment_cancel(
            actor=practitioner, appointment=appointment, outcome="cancelled_by_family", reason=""
        )
    cancelled = services.appointment_cancel(
        actor=practitioner, appointment=appointment, outcome="cancelled_by_family", reason="Baby unwell"
    )
    assert (cancelled.outcome, Appointment.objects.count()) == ("cancelled_by_family", 1)
    assert AppointmentChange.objects.get().changes == [
        {"field": "outcome", "before": "Booked", "after": "Cancelled by the family"}
    ]
    # Cancelled, it is settled: it can no longer be moved, changed or cancelled again.
    for attempt in (
        lambda: services.appointment_reschedule(
            actor=practitioner, appointment=cancelled, starts_at=timezone.now() + datetime.timedelta(days=9), reason="x"
        ),
        lambda: services.appointment_update(actor=practitioner, appointment=cancelled, mode="video"),
        lambda: services.appointment_cancel(
            actor=practitioner, appointment=cancelled, outcome="cancelled_by_service", reason="x"
        ),
    ):
        with pytest.raises(ValidationError, match="cancelled by the family"):
            attempt()


def test_only_appointments_ahead_change_and_only_within_the_team(referral_in, practitioner, practitioner_b):
    referral = referral_in(IN_ASSESSMENT)
    started = AppointmentFactory(
        referral=referral, practitioner=practitioner, starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match=r"has started\. Record its outcome instead"):
        services.appointment_cancel(actor=practitioner, appointment=started, outcome="cancelled_by_family", reason="x")
    ahead = _ahead(referral, practitioner)
    with pytest.raises(ValidationError, match="permission"):
        services.appointment_update(actor=practitioner_b, appointment=ahead, mode="video")
    assert not AppointmentChange.objects.exists()


# Pages ------------------------------------------------------------------------------------------------------------


def test_the_booking_form_preselects_the_allocated_practitioner_else_the_practitioner_booking(
    referral_in, practitioner, manager, manager_client, client
):
    referral = referral_in(IN_ASSESSMENT)
    url = reverse("referrals:appointment_book", args=[referral.pk])
    assert manager_client.get(url).context["form"]["practitioner"].value() is None
    referral.assigned_practitioner = practitioner
    referral.save()
    assert manager_client.get(url).context["form"]["practitioner"].value() == practitioner.pk
    referral.assigned_practitioner = None
    referral.save()
    client.force_login(practitioner)
    assert client.get(url).context["form"]["practitioner"].value() == practitioner.pk


def test_an_appointment_is_moved_from_its_page_and_its_history_shown(referral_in, practitioner, practitioner_client):
    referral = referral_in(IN_ASSESSMENT)
    appointment = _ahead(referral, practitioner)
    page = reverse("referrals:appointment_detail", args=[referral.pk, appointment.pk])
    assert page in practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert "No changes since it was booked." in practitioner_client.get(page).content.decode()
    url = reverse("referrals:appointment_reschedule", args=[referral.pk, appointment.pk])
    new_day = timezone.localdate() + datetime.timedelta(days=10)
    refused = practitioner_client.post(url, {**date_data("day", new_day), "time": "14:30", "reason": "", "version": 1})
    assert "Enter why the appointment is moving" in refused.content.decode()
    response = practitioner_client.post(
        url, {**date_data("day", new_day), "time": "14:30", "reason": "Clinic closed", "version": 1}
    )
    assert response.status_code == 302
    assert response["Location"] == page
    history = practitioner_client.get(page).content.decode()
    assert "Rescheduled" in history
    assert "Clinic closed" in history
    assert f"to {new_day:%A %-d %B %Y}, 14:30" in history


def test_an_appointment_is_changed_and_cancelled_from_its_pages(referral_in, practitioner, practitioner_client):
    referral = referral_in(IN_ASSESSMENT)
    appointment = _ahead(referral, practitioner)
    edit = reverse("referrals:appointment_edit", args=[referral.pk, appointment.pk])
    response = practitioner_client.post(
        edit, {"practitioner": practitioner.pk, "kind": "review", "mode": "clinic", "reason": "", "version": 1}
    )
    assert response.status_code == 302
    cancel = reverse("referrals:appointment_cancel", args=[referral.pk, appointment.pk])
    stale = practitioner_client.post(cancel, {"outcome": "cancelled_by_service", "reason": "Sickness", "version": 1})
    assert "Someone else changed this appointment" in stale.content.decode()
    response = practitioner_client.post(cancel, {"outcome": "cancelled_by_service", "reason": "Sickness", "version": 2})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.kind, appointment.mode, appointment.outcome) == ("review", "clinic", "cancelled_by_service")
    page = practitioner_client.get(response["Location"]).content.decode()
    assert "Move it to another date or time" not in page
    assert "Cancelled by the service" in page


def test_the_week_links_an_appointment_ahead_to_its_page(referral_in, practitioner, practitioner_client):
    referral = referral_in(IN_ASSESSMENT)
    appointment = _ahead(referral, practitioner, days=1)
    monday = timezone.localtime(appointment.starts_at).date()
    monday -= datetime.timedelta(days=monday.weekday())
    week = practitioner_client.get(reverse("referrals:appointments") + f"?week={monday:%Y-%m-%d}").content.decode()
    assert reverse("referrals:appointment_detail", args=[referral.pk, appointment.pk]) in week
