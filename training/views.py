"""Workforce activity pages. Thin: the permission gate of the team worked in, records loaded in scope (404 outside
it), a form validated, one service called, a redirect after a POST.

The five kinds of record share one set of list, record, change and delete views, configured by an `Activity`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from auditlog.signals import accessed
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from pairs.forms import PeriodForm
from pairs.gates import permission_check, team_permission_required
from pairs.middleware import TeamRequest
from pairs.models import Service
from pairs.periods import Period, period_covering
from pairs.rules import Perm
from training import forms, selectors, services, tables
from training.models import (
    AwarenessEvent,
    Consultation,
    ConsultationOutcome,
    Feedback,
    SessionType,
    TrainingSession,
    UniversalOfferContact,
)

PER_PAGE = 50


@dataclass(frozen=True)
class Activity:
    """One kind of workforce record and the pieces its pages are made of."""

    name: str  # URL names: "<name>_list", "<name>_new", "<name>_edit", "<name>_delete"
    path: str  # URL segment
    model: type[Model]
    form_class: type[forms.ActivityForm]
    table_class: type[tables.ActivityTable]
    create: Callable[..., Model]
    update: Callable[..., list[str]]
    record_argument: str  # the update service's keyword for the record
    heading: str  # "Training sessions"
    noun: str  # "training session"
    new_heading: str  # "Record a training session"
    related: tuple[str, ...] = ()
    # Opening the record shows free text that may identify a family: each opening goes to the audit log.
    logs_access: bool = False

    def url(self, action: str, *args) -> str:
        return reverse(f"training:{self.name}_{action}", args=args)

    def list_url(self, period: Period) -> str:
        return f"{self.url('list')}?{period.querystring}"

    @property
    def new_url(self) -> str:
        return self.url("new")


SESSIONS = Activity(
    name="session",
    path="sessions",
    model=TrainingSession,
    form_class=forms.TrainingSessionForm,
    table_class=tables.TrainingSessionTable,
    create=services.training_session_create,
    update=services.training_session_update,
    record_argument="session",
    heading="Training sessions",
    noun="training session",
    new_heading="Record a training session",
)
CONSULTATIONS = Activity(
    name="consultation",
    path="consultations",
    model=Consultation,
    form_class=forms.ConsultationForm,
    table_class=tables.ConsultationTable,
    create=services.consultation_create,
    update=services.consultation_update,
    record_argument="consultation",
    heading="Consultations",
    noun="consultation",
    new_heading="Record a consultation",
    related=("consultee_service",),
    logs_access=True,
)
AWARENESS_EVENTS = Activity(
    name="awareness_event",
    path="awareness-events",
    model=AwarenessEvent,
    form_class=forms.AwarenessEventForm,
    table_class=tables.AwarenessEventTable,
    create=services.awareness_event_create,
    update=services.awareness_event_update,
    record_argument="event",
    heading="Awareness events",
    noun="awareness event",
    new_heading="Record an awareness event",
)
UNIVERSAL_CONTACTS = Activity(
    name="universal_contact",
    path="universal-offers",
    model=UniversalOfferContact,
    form_class=forms.UniversalOfferContactForm,
    table_class=tables.UniversalOfferContactTable,
    create=services.universal_contact_create,
    update=services.universal_contact_update,
    record_argument="contact",
    heading="Universal offer contacts",
    noun="universal offer contact",
    new_heading="Record dyads reached by a universal offer",
    related=("offer",),
)
FEEDBACK = Activity(
    name="feedback",
    path="feedback",
    model=Feedback,
    form_class=forms.FeedbackForm,
    table_class=tables.FeedbackTable,
    create=services.feedback_create,
    update=services.feedback_update,
    record_argument="feedback",
    heading="Compliments, complaints and feedback",
    noun="feedback",
    new_heading="Record a compliment, complaint or feedback",
    logs_access=True,
)
ACTIVITIES = (SESSIONS, CONSULTATIONS, AWARENESS_EVENTS, UNIVERSAL_CONTACTS, FEEDBACK)


def _period_of(record) -> Period:
    return period_covering([record.date], year_start_month=record.team.year_start_month)


def _posted(request: TeamRequest):
    """The data a form is bound to: the POST's, even when empty (so that an empty POST shows what is missing)."""
    return request.POST if request.method == "POST" else None


def _records(request: TeamRequest, activity: Activity) -> Any:
    """The team's records of this kind that the person may see, with what their pages show (a queryset of the
    activity's own, with its period and totals methods)."""
    return (
        cast(Any, activity.model)
        .objects.visible_to(request.user, request.team)
        .select_related("team", *activity.related)
    )


def _record(request: TeamRequest, activity: Activity, pk: int) -> Any:
    return get_object_or_404(_records(request, activity), pk=pk)


def _page(request: TeamRequest, activity: Activity, template: str, **context) -> HttpResponse:
    return render(request, template, {"activity": activity, **context})


@team_permission_required(Perm.RECORD_ACTIVITY)
@require_GET
def overview(request: TeamRequest) -> HttpResponse:
    """The team's workforce figures for a period, with the way to each list."""
    period_form = PeriodForm.for_team(request.GET, team=request.team)
    period = period_form.chosen
    figures = selectors.workforce_figures(teams=request.team, period=period)
    training, consultations = figures["training"], figures["consultations"]
    service_labels = dict(Service.objects.filter(code__in=consultations["by_service"]).values_list("code", "label"))
    returned = training["feedback_returned"]
    context = {
        "period_form": period_form,
        "period": period,
        "figures": figures,
        "feedback": selectors.feedback_figures(teams=request.team, period=period),
        "session_types": [{"label": kind.label, "figures": training["by_type"][kind.value]} for kind in SessionType],
        "positive_share": round(100 * training["feedback_positive"] / returned) if returned else None,
        "consultation_outcomes": [
            {"label": outcome.label, "count": consultations["by_outcome"][outcome.value]}
            for outcome in ConsultationOutcome
        ],
        "consultee_services": [
            {"label": service_labels[code], "count": count} for code, count in consultations["by_service"].items()
        ],
    }
    return render(request, "training/overview.html", context)


@team_permission_required(Perm.RECORD_ACTIVITY)
@require_GET
def activity_list(request: TeamRequest, activity: Activity) -> HttpResponse:
    period_form = PeriodForm.for_team(request.GET, team=request.team)
    period = period_form.chosen
    records = _records(request, activity).in_period(period)
    table = activity.table_class(records, totals=records.totals(), caption=f"{activity.heading}, {period.label}")
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return _page(request, activity, "training/activity_list.html", period_form=period_form, period=period, table=table)


def _form_page(
    request: TeamRequest, activity: Activity, form, *, save: Callable[[dict], object], done: str
) -> HttpResponse:
    """A record's form, new or to change: a valid POST goes to `save` (one service) and back to the list of the
    record's period; otherwise the form again, with its errors and any refusal of the service."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{activity.noun.capitalize()} {done}")
            # The form's instance holds what was saved: a new record's date, or a changed one's new date.
            return redirect(activity.list_url(_period_of(form.instance)))
    record = None if form.instance._state.adding else form.instance
    back_url = activity.url("list") if record is None else activity.list_url(_period_of(record))
    return _page(request, activity, "training/activity_form.html", form=form, record=record, back_url=back_url)


@team_permission_required(Perm.RECORD_ACTIVITY)
@require_http_methods(["GET", "POST"])
def activity_create(request: TeamRequest, activity: Activity) -> HttpResponse:
    form = activity.form_class(_posted(request), team=request.team)
    return _form_page(
        request,
        activity,
        form,
        save=lambda data: activity.create(actor=request.user, team=request.team, **data),
        done="recorded",
    )


@team_permission_required(Perm.RECORD_ACTIVITY)
@require_http_methods(["GET", "POST"])
def activity_update(request: TeamRequest, activity: Activity, pk: int) -> HttpResponse:
    record = _record(request, activity, pk)
    if request.method == "GET" and activity.logs_access:
        accessed.send(sender=type(record), instance=record)
    form = activity.form_class(_posted(request), instance=record, team=request.team)
    return _form_page(
        request,
        activity,
        form,
        save=lambda data: activity.update(actor=request.user, **{activity.record_argument: record}, **data),
        done="changed",
    )


@team_permission_required(Perm.RECORD_ACTIVITY)
@require_http_methods(["GET", "POST"])
def activity_delete(request: TeamRequest, activity: Activity, pk: int) -> HttpResponse:
    # The record in the team first, then the permission: another team gets 404, a practitioner of this one 403.
    record = _record(request, activity, pk)
    permission_check(request, Perm.DELETE_ACTIVITY)
    if request.method == "GET":
        return _page(request, activity, "training/activity_delete.html", record=record)
    period = _period_of(record)
    services.activity_record_delete(actor=request.user, record=record)
    messages.success(request, f"{activity.noun.capitalize()} deleted")
    return redirect(activity.list_url(period))


QUICK_ENTRY_ROWS = 5
QUICK_ENTRY_ROW_CHOICES = (5, 10, 20, forms.QUICK_ENTRY_MAX_ROWS)


def _quick_entry_rows(request: TeamRequest) -> int:
    try:
        rows = int(request.GET.get("rows", QUICK_ENTRY_ROWS))
    except ValueError:
        rows = QUICK_ENTRY_ROWS
    return min(max(rows, 1), forms.QUICK_ENTRY_MAX_ROWS)


@team_permission_required(Perm.RECORD_SESSIONS_IN_BULK)
@require_http_methods(["GET", "POST"])
def session_quick_entry(request: TeamRequest) -> HttpResponse:
    """Several training sessions in one table: every row validated, all saved or none."""
    saving_errors: list[str] = []
    if request.method == "GET":
        formset = forms.quick_entry_formset(rows=_quick_entry_rows(request))(form_kwargs={"team": request.team})
    else:
        formset = forms.quick_entry_formset(rows=0)(request.POST, form_kwargs={"team": request.team})
        if formset.is_valid():
            try:
                sessions = services.training_sessions_create(
                    actor=request.user, team=request.team, sessions=formset.sessions
                )
            except ValidationError as error:
                # Only when another person saved a clashing session in the meantime: the rows themselves were valid.
                saving_errors = error.messages
            else:
                count = len(sessions)
                messages.success(request, f"{count} training session{'s' if count != 1 else ''} recorded")
                period = period_covering([s.date for s in sessions], year_start_month=request.team.year_start_month)
                return redirect(SESSIONS.list_url(period))
    context = {
        "activity": SESSIONS,
        "formset": formset,
        "saving_errors": saving_errors,
        "row_choices": QUICK_ENTRY_ROW_CHOICES,
    }
    return render(request, "training/session_quick_entry.html", context)
