"""Casework pages. Each view loads what it needs in the person's team (404 outside it), validates a form, calls one
service and redirects after a POST. Commissioners are refused every page (403)."""

import datetime
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from nhsuk.forms import saved, show_service_errors
from outcomes.selectors import t2_due
from referrals import forms, pipeline, selectors, services
from referrals.audit import access_record, audit_history, audit_rows
from referrals.filters import CaseloadFilter
from referrals.models import Appointment, Caregiver, GroupPlace, GroupSession, Infant, InterventionEpisode, Referral
from referrals.pipeline import EventKind
from referrals.tables import MY_LIST_LEAVES_OUT, CaseloadTable, GroupProgrammeTable, WaitingListTable

PER_PAGE = 25


def casework(view):
    """Only practitioners and service managers of the team being worked in reach casework pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.team is None or not request.user.has_perm(pipeline.WORK_WITH_CASES, request.team):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _form_page(request, form, *, title: str, referral=None, back_url: str, intro: str = "", status: int = 200):
    return render(
        request,
        "referrals/form_page.html",
        {"form": form, "title": title, "referral": referral, "back_url": back_url, "intro": intro},
        status=status,
    )


def _referral(request, pk: int):
    referral = selectors.referral_in_scope(user=request.user, team=request.team, pk=pk)
    if request.method == "GET":
        access_record(instance=referral, actor=request.user)
    return referral


# Lists ----------------------------------------------------------------------------------------------------------


@casework
@require_GET
def caseload(request):
    filters = CaseloadFilter(
        request.GET,
        queryset=selectors.referral_list(user=request.user, team=request.team),
        clinicians=selectors.clinicians(request.team),
        request=request,
    )
    table = CaseloadTable(filters.qs, exclude=MY_LIST_LEAVES_OUT if filters.mine else ())
    table.caption = "My cases" if filters.mine else "The team's cases"
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "referrals/caseload.html", {"filter": filters, "table": table})


@casework
@require_GET
def waiting_list(request):
    table = WaitingListTable(selectors.waiting_list(user=request.user, team=request.team))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "referrals/waiting_list.html", {"table": table})


# New referral ---------------------------------------------------------------------------------------------------


@casework
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


# Referral record ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    slug: str
    kind: EventKind
    form_class: type
    service: object
    title: str
    date_label: str


MOVES = {
    move.slug: move
    for move in (
        Move("accept", EventKind.ACCEPTED, forms.AcceptForm, services.referral_accept, "Accept", "Date accepted"),
        Move("decline", EventKind.NOT_ACCEPTED, forms.DeclineForm, services.referral_decline, "Do not accept", "Date"),
        Move(
            "start-assessment",
            EventKind.ASSESSMENT_STARTED,
            forms.MoveForm,
            services.assessment_start,
            "Start assessment",
            "Date assessment started",
        ),
        Move(
            "start-intervention",
            EventKind.INTERVENTION_STARTED,
            forms.InterventionStartForm,
            services.intervention_start,
            "Start intervention",
            "Date intervention started",
        ),
        Move(
            "complete",
            EventKind.COMPLETED,
            forms.MoveForm,
            services.referral_complete,
            "Complete and discharge",
            "Date of discharge",
        ),
        Move(
            "disengage",
            EventKind.DISENGAGED,
            forms.DisengageForm,
            services.referral_disengage,
            "Record disengagement",
            "Date the family disengaged",
        ),
        Move("hold", EventKind.ON_HOLD, forms.HoldForm, services.referral_hold, "Put on hold", "Date put on hold"),
        Move("resume", EventKind.RESUMED, forms.MoveForm, services.referral_resume, "Resume", "Date resumed"),
        Move("reopen", EventKind.REOPENED, forms.ReopenForm, services.referral_reopen, "Reopen", "Date reopened"),
    )
}
MOVE_FOR_KIND = {move.kind: move for move in MOVES.values()}


def _move_form(move: Move, referral, data=None):
    form = move.form_class(
        data,
        prefix=move.slug,
        date_label=move.date_label,
        submit_label=move.title,
        initial={"version": referral.version},
    )
    form.helper.form_action = reverse("referrals:move", args=[referral.pk, move.slug])
    form.helper.inputs[0].id = f"{move.slug}-submit"
    return form


def _read_only(request) -> HttpResponseNotAllowed | None:
    """Pages that only show: checked after the scope, so that another team's record is a 404 whatever the method."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


@casework
def referral_detail(request, pk: int):
    referral = selectors.referral_record(user=request.user, team=request.team, pk=pk)
    if refused := _read_only(request):
        return refused
    access_record(instance=referral, actor=request.user)
    state = pipeline.State(pipeline.Status(referral.status_as_at), pipeline.Stage(referral.stage_as_at))
    kinds = pipeline.allowed_kinds(state, user=request.user, team=request.team)
    can_manage = request.user.has_perm(pipeline.MANAGE_TEAM, request.team)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "state": state,
            "move_forms": [(MOVE_FOR_KIND[kind], _move_form(MOVE_FOR_KIND[kind], referral)) for kind in kinds],
            "timeline": selectors.referral_timeline(referral),
            "audit_rows": audit_rows(audit_history(referral)) if can_manage else None,
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def referral_move(request, pk: int, move: str):
    if move not in MOVES:
        raise Http404("No such change.")
    move = MOVES[move]
    referral = _referral(request, pk)
    if not request.user.has_perm(pipeline.TRANSITIONS[move.kind].permission, request.team):
        raise PermissionDenied
    if move.kind == EventKind.COMPLETED and t2_due(referral):
        # Completing without the T2 questionnaires asks for them, or for why they were not completed (outcomes).
        follow_up = reverse("outcomes:follow_up", args=[referral.pk])
        return redirect(f"{follow_up}?next={reverse('referrals:move', args=[referral.pk, move.slug])}")
    form = _move_form(move, referral, request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: move.service(referral=referral, actor=request.user, **form.service_arguments())
    ):
        done = f"{referral.reference}: {move.kind.label.lower()}."
        if move.kind == EventKind.INTERVENTION_STARTED:
            done += " The T1 questionnaires are now due: record them under Outcome measures."
        messages.success(request, done)
        return redirect(referral)
    return _form_page(
        request,
        form,
        title=move.title,
        referral=referral,
        back_url=referral.get_absolute_url(),
    )


@casework
@require_http_methods(["GET", "POST"])
def referral_edit(request, pk: int):
    referral = _referral(request, pk)
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
    return _form_page(request, form, title="Referral details", referral=referral, back_url=referral.get_absolute_url())


@casework
@require_http_methods(["GET", "POST"])
def referral_levels(request, pk: int):
    referral = _referral(request, pk)
    first = referral.caregivers.order_by("position").first()
    postcode = first.postcode if first else ""
    form = forms.LevelsForm(
        request.POST if request.method == "POST" else None,
        initial=forms.LevelsForm.initial_for(referral),
        lookup_decile=services.imd_decile_for_postcode(postcode),
        postcode=postcode,
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: services.referral_levels_record(referral=referral, actor=request.user, **arguments)):
            messages.success(request, f"Levels of {referral.reference} saved.")
            return redirect(referral)
    return _form_page(
        request,
        form,
        title="Safeguarding, risks, Thrive level and IMD decile",
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro="Each change is kept in the referral's history with its date.",
    )


@casework
@require_http_methods(["GET", "POST"])
def caregiver_edit(request, pk: int, caregiver_pk: int):
    referral = _referral(request, pk)
    caregiver = get_object_or_404(Caregiver, referral=referral, pk=caregiver_pk)
    form = forms.CaregiverEditForm(
        request.POST if request.method == "POST" else None, initial=forms.CaregiverEditForm.initial_for(caregiver)
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: services.caregiver_update(caregiver=caregiver, actor=request.user, **arguments)):
            messages.success(request, "Caregiver's details saved.")
            return redirect(referral)
    title = "First caregiver" if caregiver.position == 1 else "Second caregiver"
    return _form_page(request, form, title=title, referral=referral, back_url=referral.get_absolute_url())


@casework
@require_http_methods(["GET", "POST"])
def caregiver_create(request, pk: int):
    referral = _referral(request, pk)
    form = forms.CaregiverAddForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: services.caregiver_add(referral=referral, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Second caregiver added.")
        return redirect(referral)
    return _form_page(
        request, form, title="Add a second caregiver", referral=referral, back_url=referral.get_absolute_url()
    )


@casework
@require_http_methods(["GET", "POST"])
def infant_create(request, pk: int):
    referral = _referral(request, pk)
    form = forms.InfantAddForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: services.infant_add(referral=referral, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Infant added.")
        return redirect(referral)
    return _form_page(request, form, title="Add an infant", referral=referral, back_url=referral.get_absolute_url())


@casework
@require_http_methods(["GET", "POST"])
def infant_edit(request, pk: int, infant_pk: int):
    referral = _referral(request, pk)
    infant = get_object_or_404(Infant, referral=referral, pk=infant_pk)
    form = forms.InfantEditForm(
        request.POST if request.method == "POST" else None, initial=forms.InfantEditForm.initial_for(infant)
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: services.infant_update(infant=infant, actor=request.user, **arguments)):
            messages.success(request, "Infant's details saved.")
            return redirect(referral)
    return _form_page(
        request,
        form,
        title="Infant",
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro="When a baby who was unborn at referral is born, enter the date of birth and clear the due date.",
    )


# Appointments and interventions ---------------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def appointment_book(request, pk: int):
    referral = _referral(request, pk)
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
    return _form_page(
        request, form, title="Book an appointment", referral=referral, back_url=referral.get_absolute_url()
    )


@casework
@require_http_methods(["GET", "POST"])
def appointment_outcome(request, pk: int, appointment_pk: int):
    referral = _referral(request, pk)
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
    return _form_page(
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


@casework
@require_http_methods(["GET", "POST"])
def episode_create(request, pk: int):
    referral = _referral(request, pk)
    form = forms.InterventionEpisodeForm(
        request.POST if request.method == "POST" else None, initial={"started_on": timezone.localdate()}
    )
    if form.is_valid() and saved(
        form,
        lambda: services.intervention_episode_create(referral=referral, actor=request.user, **form.cleaned_data),
    ):
        messages.success(request, f"Intervention added to {referral.reference}.")
        return redirect(referral)
    return _form_page(
        request, form, title="Add an intervention", referral=referral, back_url=referral.get_absolute_url()
    )


@casework
@require_http_methods(["GET", "POST"])
def episode_edit(request, pk: int, episode_pk: int):
    referral = _referral(request, pk)
    episode = get_object_or_404(
        InterventionEpisode.objects.select_related("intervention"), referral=referral, pk=episode_pk
    )
    form = forms.InterventionEpisodeEndForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": episode.version,
            "ended_on": episode.ended_on,
            "sessions_attended": episode.sessions_attended,
        },
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: services.intervention_episode_update(episode=episode, actor=request.user, **arguments)):
            messages.success(request, f"{episode.intervention} saved.")
            return redirect(referral)
    return _form_page(
        request,
        form,
        title=str(episode.intervention),
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro=f"Started on {episode.started_on:%-d %B %Y}.",
    )


@casework
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


# Group programmes -----------------------------------------------------------------------------------------------


@casework
@require_GET
def group_list(request):
    table = GroupProgrammeTable(selectors.group_programmes(user=request.user, team=request.team))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "referrals/group_list.html", {"table": table})


@casework
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
    return _form_page(request, form, title="New group programme", back_url=reverse("referrals:groups"))


@casework
def group_detail(request, pk: int):
    programme = selectors.group_programme_record(user=request.user, team=request.team, pk=pk)
    if refused := _read_only(request):
        return refused
    return render(request, "referrals/group_detail.html", {"programme": programme, "today": timezone.localdate()})


def _programme(request, pk: int):
    return selectors.group_programme_record(user=request.user, team=request.team, pk=pk)


@casework
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
    return _form_page(request, form, title=f"Offer a place: {programme}", back_url=programme.get_absolute_url())


@casework
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
    return _form_page(
        request, form, title=f"Reply to the offer: {place.referral.reference}", back_url=programme.get_absolute_url()
    )


@casework
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
    return _form_page(request, form, title=f"Record a session: {programme}", back_url=programme.get_absolute_url())


@casework
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
    return _form_page(
        request, form, title=f"Session {session.number}: {programme}", back_url=programme.get_absolute_url()
    )
