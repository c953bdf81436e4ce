"""A new referral, the record page and the pages that correct it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from nhsuk.forms import saved, show_service_errors
from pairs.gates import team_permission_required
from pairs.rules import Perm
from referrals import forms, selectors, services
from referrals.audit import access_record, audit_history, audit_rows
from referrals.forms.lifecycle import CaregiverCorrectionForm, InfantCorrectionForm
from referrals.models import Caregiver, Infant, Referral
from referrals.presenters import ReferralRecord
from referrals.services.lifecycle import caregiver_rectify, infant_rectify
from referrals.views.common import form_page, refuse_writes, scoped_referral
from referrals.views.moves import MOVE_FOR_KIND


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def referral_create(request):
    clinicians = selectors.clinicians(request.team)
    data = request.POST if request.method == "POST" else None
    form = forms.ReferralForm(
        data,
        clinicians=clinicians,
        initial={
            "received_on": timezone.localdate(),
            "submission_token": forms.ReferralForm.new_token(),
            "assigned_practitioner": request.user,
        },
    )
    caregivers = forms.CaregiverFormSet(data, prefix="caregivers")
    infants = forms.InfantFormSet(data, prefix="infants")
    confirm = forms.DuplicateConfirmForm(data)
    duplicates = []
    if data is not None:
        token = request.POST.get("submission_token", "")
        existing = _already_created(request, token)
        if existing is not None:
            messages.info(request, f"Referral {existing.reference} was already saved from this form.")
            return redirect(existing)
        if form.is_valid() & caregivers.is_valid() & infants.is_valid() & confirm.is_valid():
            duplicates = selectors.open_referrals_matching(
                user=request.user, team=request.team, caregivers=caregivers.records()
            )
            if not duplicates or confirm.cleaned_data["confirm_new"]:
                try:
                    referral = services.referral_create(
                        team=request.team,
                        actor=request.user,
                        caregivers=caregivers.records(),
                        infants=infants.records(),
                        **form.cleaned_data,
                    )
                except services.DuplicateSubmission as duplicate:
                    return redirect(duplicate.referral)
                except ValidationError as error:
                    show_service_errors(form, error)
                else:
                    messages.success(request, f"Referral {referral.reference} saved.")
                    return redirect(referral)
    has_errors = bool(form.errors or caregivers.total_error_count() or infants.total_error_count())
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "caregivers": caregivers,
            "infants": infants,
            "confirm": confirm,
            "duplicates": duplicates,
            "has_errors": has_errors,
            "error_forms": [
                ("", form),
                *(("First caregiver" if i == 0 else "Second caregiver", f) for i, f in enumerate(caregivers)),
                *((f"Infant {i + 1}", f) for i, f in enumerate(infants)),
            ],
            "formsets": [caregivers, infants],
        },
    )


def _already_created(request, token: str):
    try:
        return Referral.objects.visible_to(request.user, request.team).filter(submission_token=token).first()
    except ValidationError:  # not a UUID: the form's own validation reports it
        return None


# Audit entries the record page shows, newest first.
RECORD_AUDIT_ENTRIES = 25


@team_permission_required(Perm.WORK_WITH_CASES)
def referral_detail(request, pk: int):
    referral = selectors.referral_record(user=request.user, team=request.team, pk=pk)
    if refused := refuse_writes(request):
        return refused
    access_record(instance=referral, actor=request.user)
    record = ReferralRecord(referral, user=request.user, team=request.team, now=timezone.now())
    # The latest entries only, and whether there are more (on the full history's page): a record opened every day
    # gathers hundreds of them, and the page would grow with each visit.
    latest = list(audit_history(referral)[: RECORD_AUDIT_ENTRIES + 1]) if record.shows_audit_history else []
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "record": record,
            "move_forms": [(MOVE_FOR_KIND[kind], MOVE_FOR_KIND[kind].form(referral)) for kind in record.moves],
            "timeline": selectors.referral_timeline(referral),
            "audit_rows": audit_rows(latest[:RECORD_AUDIT_ENTRIES]),
            "audit_more": len(latest) > RECORD_AUDIT_ENTRIES,
        },
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def referral_edit(request, pk: int):
    referral = scoped_referral(request, pk)
    clinicians = selectors.clinicians(request.team)
    form = forms.ReferralDetailsForm(
        request.POST if request.method == "POST" else None,
        clinicians=clinicians,
        initial=forms.ReferralDetailsForm.initial_for(referral),
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: services.referral_update(referral=referral, actor=request.user, **arguments)):
            messages.success(request, f"Details of {referral.reference} saved.")
            return redirect(referral)
    return form_page(request, form, title="Referral details", referral=referral, back_url=referral.get_absolute_url())


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def referral_levels(request, pk: int):
    referral = scoped_referral(request, pk)
    first = referral.caregivers.order_by("position").first()
    postcode = first.postcode if first else ""
    form = forms.LevelsForm(
        request.POST if request.method == "POST" else None,
        initial=forms.LevelsForm.initial_for(referral),
        lookup_decile=selectors.imd_decile_for_postcode(postcode),
        postcode=postcode,
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: services.referral_levels_record(referral=referral, actor=request.user, **arguments)):
            messages.success(request, f"Levels of {referral.reference} saved.")
            return redirect(referral)
    return form_page(
        request,
        form,
        title="Safeguarding, risks, Thrive level and IMD decile",
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro="Each change is kept in the referral's history with its date.",
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def caregiver_edit(request, pk: int, caregiver_pk: int):
    referral = scoped_referral(request, pk)
    caregiver = get_object_or_404(Caregiver, referral=referral, pk=caregiver_pk)
    form = CaregiverCorrectionForm(
        request.POST if request.method == "POST" else None, initial=CaregiverCorrectionForm.initial_for(caregiver)
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: caregiver_rectify(caregiver=caregiver, actor=request.user, **arguments)):
            messages.success(request, "Caregiver's details saved.")
            return redirect(referral)
    title = "First caregiver" if caregiver.position == 1 else "Second caregiver"
    return form_page(request, form, title=title, referral=referral, back_url=referral.get_absolute_url())


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def caregiver_create(request, pk: int):
    referral = scoped_referral(request, pk)
    form = forms.CaregiverAddForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: services.caregiver_add(referral=referral, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Second caregiver added.")
        return redirect(referral)
    return form_page(
        request, form, title="Add a second caregiver", referral=referral, back_url=referral.get_absolute_url()
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def infant_create(request, pk: int):
    referral = scoped_referral(request, pk)
    form = forms.InfantAddForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: services.infant_add(referral=referral, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Infant added.")
        return redirect(referral)
    return form_page(request, form, title="Add an infant", referral=referral, back_url=referral.get_absolute_url())


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def infant_edit(request, pk: int, infant_pk: int):
    referral = scoped_referral(request, pk)
    infant = get_object_or_404(Infant, referral=referral, pk=infant_pk)
    form = InfantCorrectionForm(
        request.POST if request.method == "POST" else None, initial=InfantCorrectionForm.initial_for(infant)
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: infant_rectify(infant=infant, actor=request.user, **arguments)):
            messages.success(request, "Infant's details saved.")
            return redirect(referral)
    return form_page(
        request,
        form,
        title="Infant",
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro="When a baby who was unborn at referral is born, enter the date of birth and clear the due date.",
    )
