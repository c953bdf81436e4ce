"""Group programmes: the list, a run's page, places and sessions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from nhsuk.forms import saved
from pairs.audit import page_access_record
from pairs.gates import team_permission_required
from pairs.rules import Perm
from referrals import forms, selectors, services
from referrals.models import GroupPlace, GroupSession
from referrals.tables import GroupProgrammeTable
from referrals.views.common import PER_PAGE, form_page, refuse_writes


@team_permission_required(Perm.WORK_WITH_CASES)
@require_GET
def group_list(request):
    table = GroupProgrammeTable(selectors.group_programmes(user=request.user, team=request.team))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "referrals/group_list.html", {"table": table})


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def group_create(request):
    form = forms.GroupProgrammeForm(
        request.POST if request.method == "POST" else None,
        clinicians=selectors.clinicians(request.team),
        initial={"facilitators": [request.user]},
    )
    if form.is_valid():
        created = {}

        def write():
            created["programme"] = services.group_programme_create(
                team=request.team, actor=request.user, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, f"{created['programme']} created.")
            return redirect(created["programme"])
    return form_page(request, form, title="New group programme", back_url=reverse("referrals:groups"))


@team_permission_required(Perm.WORK_WITH_CASES)
def group_detail(request, pk: int):
    programme = selectors.group_programme_record(user=request.user, team=request.team, pk=pk)
    if refused := refuse_writes(request):
        return refused
    page_access_record(request, subject=programme, shown=(place.referral for place in programme.places.all()))
    return render(request, "referrals/group_detail.html", {"programme": programme, "today": timezone.localdate()})


def _programme(request, pk: int):
    return selectors.group_programme_record(user=request.user, team=request.team, pk=pk)


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def group_offer(request, pk: int):
    programme = _programme(request, pk)
    candidates = selectors.group_offer_candidates(user=request.user, team=request.team, programme=programme)
    form = forms.GroupPlaceOfferForm(
        request.POST if request.method == "POST" else None,
        candidates=candidates,
        initial={"offered_on": timezone.localdate()},
    )
    if form.is_valid() and saved(
        form, lambda: services.group_place_offer(programme=programme, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, f"Place offered to {form.cleaned_data['referral'].reference}.")
        return redirect(programme)
    return form_page(request, form, title=f"Offer a place: {programme}", back_url=programme.get_absolute_url())


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def group_place_respond(request, pk: int, place_pk: int):
    programme = _programme(request, pk)
    place = get_object_or_404(GroupPlace.objects.select_related("referral"), programme=programme, pk=place_pk)
    form = forms.GroupPlaceResponseForm(
        request.POST if request.method == "POST" else None,
        initial={"version": place.version, "responded_on": timezone.localdate()},
    )
    if form.is_valid() and saved(
        form,
        lambda: services.group_place_respond(
            place=place,
            actor=request.user,
            status=form.cleaned_data["status"],
            responded_on=form.cleaned_data["responded_on"],
            expected_version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, f"Reply of {place.referral.reference} saved.")
        return redirect(programme)
    return form_page(
        request, form, title=f"Reply to the offer: {place.referral.reference}", back_url=programme.get_absolute_url()
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def group_session_record(request, pk: int):
    programme = _programme(request, pk)
    form = forms.GroupSessionForm(
        request.POST if request.method == "POST" else None,
        places=selectors.group_session_places(programme),
        initial={"version": programme.version, "number": programme.sessions_held + 1, "held_on": timezone.localdate()},
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data)
        del arguments["version"]
        if saved(form, lambda: services.group_session_record(programme=programme, actor=request.user, **arguments)):
            messages.success(request, f"Attendance at session {arguments['number']} saved.")
            return redirect(programme)
    return form_page(request, form, title=f"Record a session: {programme}", back_url=programme.get_absolute_url())


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def group_session_edit(request, pk: int, session_pk: int):
    programme = _programme(request, pk)
    session = get_object_or_404(GroupSession, programme=programme, pk=session_pk)
    form = forms.GroupSessionEditForm(
        request.POST if request.method == "POST" else None,
        places=selectors.group_session_places(programme),
        initial={"version": programme.version, "held_on": session.held_on, "attendees": list(session.attendees.all())},
    )
    if form.is_valid() and saved(
        form,
        lambda: services.group_session_update(
            session=session,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            held_on=form.cleaned_data["held_on"],
            attendees=form.cleaned_data["attendees"],
        ),
    ):
        messages.success(request, f"Attendance at session {session.number} saved.")
        return redirect(programme)
    return form_page(
        request, form, title=f"Session {session.number}: {programme}", back_url=programme.get_absolute_url()
    )
