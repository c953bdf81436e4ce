"""Booking appointments, moving, changing and cancelling those ahead, recording their outcomes, and a practitioner's
week."""

import datetime

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from nhsuk.forms import saved
from nhsuk.pagination import PageLink
from pairs.audit import page_access_record
from pairs.gates import team_permission_required
from pairs.models import Role
from pairs.rules import Perm
from referrals import forms, selectors, services
from referrals.models import Appointment, AppointmentChange, Referral
from referrals.presenters import AppointmentRecord
from referrals.views.common import form_page, refuse_writes, scoped_referral


def _booking_practitioner(request, referral: Referral):
    """Who a new appointment is with unless the person chooses otherwise: the practitioner the referral is allocated
    to, else the person booking when they are a practitioner (a service manager books for someone else)."""
    if referral.assigned_practitioner_id is not None:
        return referral.assigned_practitioner_id
    return request.user.pk if request.membership.role == Role.PRACTITIONER else None


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def appointment_book(request, pk: int):
    referral = scoped_referral(request, pk)
    form = forms.AppointmentForm(
        request.POST if request.method == "POST" else None,
        clinicians=selectors.clinicians(request.team),
        initial={"practitioner": _booking_practitioner(request, referral)},
    )
    if form.is_valid() and saved(
        form, lambda: services.appointment_book(referral=referral, actor=request.user, **form.service_arguments())
    ):
        messages.success(request, f"Appointment booked for {referral.reference}.")
        return redirect(referral)
    return form_page(
        request, form, title="Book an appointment", referral=referral, back_url=referral.get_absolute_url()
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def appointment_outcome(request, pk: int, appointment_pk: int):
    referral = scoped_referral(request, pk)
    appointment = _scoped_appointment(referral, appointment_pk)
    form = forms.AppointmentOutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={"version": appointment.version, "outcome": appointment.outcome or None},
    )
    if form.is_valid() and saved(
        form,
        lambda: services.appointment_record_outcome(
            appointment=appointment,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            expected_version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, "Appointment outcome saved.")
        return redirect((request.GET.get("next") == "week" and _week_url(appointment)) or referral.get_absolute_url())
    starts = timezone.localtime(appointment.starts_at)
    return form_page(
        request,
        form,
        title="Record the outcome of the appointment",
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro=f"{appointment.get_kind_display()} appointment on {starts:%A %-d %B %Y at %H:%M} with "
        f"{appointment.practitioner.get_full_name() or appointment.practitioner.username}.",
    )


def _scoped_appointment(referral: Referral, appointment_pk: int) -> Appointment:
    return get_object_or_404(Appointment.objects.select_related("practitioner"), referral=referral, pk=appointment_pk)


@team_permission_required(Perm.WORK_WITH_CASES)
def appointment_detail(request, pk: int, appointment_pk: int):
    """One appointment, what can be done with it, and the history of its changes."""
    referral = scoped_referral(request, pk)
    if refused := refuse_writes(request):
        return refused
    appointment = get_object_or_404(
        Appointment.objects.select_related("practitioner", "booked_by").prefetch_related(
            Prefetch("changes", AppointmentChange.objects.select_related("changed_by"))
        ),
        referral=referral,
        pk=appointment_pk,
    )
    record = AppointmentRecord(appointment, now=timezone.now())
    return render(request, "referrals/appointment_detail.html", {"referral": referral, "record": record})


def _change_page(request, *, referral: Referral, appointment: Appointment, form, title: str, write, done: str):
    """A form page that changes an appointment ahead through one service, back to the appointment after."""
    url = reverse("referrals:appointment_detail", args=[referral.pk, appointment.pk])
    if form.is_valid() and saved(form, lambda: write(**form.service_arguments())):
        messages.success(request, done)
        return redirect(url)
    starts = timezone.localtime(appointment.starts_at)
    return form_page(
        request,
        form,
        title=title,
        referral=referral,
        back_url=url,
        intro=f"{appointment.get_kind_display()} appointment on {starts:%A %-d %B %Y at %H:%M} with "
        f"{appointment.practitioner.get_full_name() or appointment.practitioner.username}.",
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def appointment_reschedule(request, pk: int, appointment_pk: int):
    referral = scoped_referral(request, pk)
    appointment = _scoped_appointment(referral, appointment_pk)
    form = forms.AppointmentRescheduleForm(
        request.POST if request.method == "POST" else None, initial={"version": appointment.version}
    )
    return _change_page(
        request,
        referral=referral,
        appointment=appointment,
        form=form,
        title="Move the appointment",
        write=lambda **arguments: services.appointment_reschedule(
            actor=request.user, appointment=appointment, **arguments
        ),
        done="Appointment moved.",
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def appointment_edit(request, pk: int, appointment_pk: int):
    referral = scoped_referral(request, pk)
    appointment = _scoped_appointment(referral, appointment_pk)
    form = forms.AppointmentEditForm(
        request.POST if request.method == "POST" else None,
        clinicians=selectors.clinicians(request.team),
        initial={
            "version": appointment.version,
            "practitioner": appointment.practitioner_id,
            "kind": appointment.kind,
            "mode": appointment.mode,
        },
    )
    return _change_page(
        request,
        referral=referral,
        appointment=appointment,
        form=form,
        title="Change the appointment",
        write=lambda **arguments: services.appointment_update(actor=request.user, appointment=appointment, **arguments),
        done="Appointment changed.",
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, pk: int, appointment_pk: int):
    referral = scoped_referral(request, pk)
    appointment = _scoped_appointment(referral, appointment_pk)
    form = forms.AppointmentCancelForm(
        request.POST if request.method == "POST" else None, initial={"version": appointment.version}
    )
    return _change_page(
        request,
        referral=referral,
        appointment=appointment,
        form=form,
        title="Cancel the appointment",
        write=lambda **arguments: services.appointment_cancel(actor=request.user, appointment=appointment, **arguments),
        done="Appointment cancelled.",
    )


def _week_query(practitioner_id: int, monday: datetime.date) -> str:
    return f"?practitioner={practitioner_id}&week={monday:%Y-%m-%d}"


def _week_url(appointment) -> str:
    monday = selectors.week_start(timezone.localtime(appointment.starts_at).date())
    return reverse("referrals:appointments") + _week_query(appointment.practitioner_id, monday)


def _week_link(practitioner, monday: datetime.date) -> PageLink:
    return PageLink(_week_query(practitioner.pk, monday), f"Week of {date_format(monday, 'j F')}")


@team_permission_required(Perm.WORK_WITH_CASES)
@require_GET
def appointments_week(request):
    clinicians = selectors.clinicians(request.team)
    practitioner = clinicians.filter(pk=request.GET.get("practitioner") or request.user.pk).first()
    if practitioner is None:
        raise Http404("No such practitioner in this team.")
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    monday = selectors.week_start(day)
    days = selectors.practitioner_week(user=request.user, team=request.team, practitioner=practitioner, monday=monday)
    page_access_record(request, subject=request.team, shown=(a.referral for _, day in days for a in day))
    return render(
        request,
        "referrals/appointments_week.html",
        {
            "practitioner": practitioner,
            "clinicians": clinicians,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "previous_week": _week_link(practitioner, monday - datetime.timedelta(days=7)),
            "next_week": _week_link(practitioner, monday + datetime.timedelta(days=7)),
            "days": days,
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )
