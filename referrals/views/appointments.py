"""Booking appointments, recording their outcomes, and a practitioner's week."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from nhsuk.forms import saved
from pairs.audit import page_access_record
from pairs.gates import team_permission_required
from pairs.rules import Perm
from referrals import forms, selectors, services
from referrals.models import Appointment
from referrals.views.common import form_page, scoped_referral


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def appointment_book(request, pk: int):
    referral = scoped_referral(request, pk)
    form = forms.AppointmentForm(
        request.POST if request.method == "POST" else None,
        clinicians=selectors.clinicians(request.team),
        initial={"practitioner": request.user},
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
    appointment = get_object_or_404(
        Appointment.objects.select_related("practitioner"), referral=referral, pk=appointment_pk
    )
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


def _week_url(appointment) -> str:
    monday = selectors.week_start(timezone.localtime(appointment.starts_at).date())
    return f"{reverse('referrals:appointments')}?practitioner={appointment.practitioner_id}&week={monday:%Y-%m-%d}"


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
            "previous_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
            "days": days,
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )
