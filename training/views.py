"""Workforce activity pages. Thin: check the permission against the team worked in, load records in scope (404
outside it), validate a form, call one service, redirect after a POST.

The five kinds of record share one set of list, record, change and delete views, configured by an `Activity`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from auditlog.signals import accessed
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_tables2 import RequestConfig

from pairs.forms import PeriodForm
from pairs.models import Service
from pairs.periods import Period, period_covering
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
    update: Callable[..., Model]
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


class TeamPermissionView(View):
    """Refuses (403) anyone without `permission` in the team they are working in."""

    permission = "training.record_activity"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission, request.team):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _period_of(record) -> Period:
    return period_covering([record.date], year_start_month=record.team.year_start_month)


class OverviewView(TeamPermissionView):
    """The team's workforce figures for a period, with the way to each list."""

    def get(self, request):
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
            "session_types": [
                {"label": kind.label, "figures": training["by_type"][kind.value]} for kind in SessionType
            ],
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


class ActivityView(TeamPermissionView):
    activity: Activity = SESSIONS

    def records(self, request):
        """The team's records of this kind that the person may see, with what their pages show."""
        return self.activity.model.objects.visible_to(request.user, request.team).select_related(
            "team", *self.activity.related
        )

    def get_record(self, request, pk: int):
        return get_object_or_404(self.records(request), pk=pk)

    def page(self, request, template: str, **context):
        return render(request, template, {"activity": self.activity, **context})


class ActivityListView(ActivityView):
    def get(self, request):
        period_form = PeriodForm.for_team(request.GET, team=request.team)
        period = period_form.chosen
        records = self.records(request).in_period(period)
        table = self.activity.table_class(
            records, totals=records.totals(), caption=f"{self.activity.heading}, {period.label}"
        )
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        return self.page(request, "training/activity_list.html", period_form=period_form, period=period, table=table)


class ActivityCreateView(ActivityView):
    def form_page(self, request, form):
        return self.page(request, "training/activity_form.html", form=form, back_url=self.activity.url("list"))

    def get(self, request):
        return self.form_page(request, self.activity.form_class(team=request.team))

    def post(self, request):
        form = self.activity.form_class(request.POST, team=request.team)
        if form.is_valid():
            try:
                record = self.activity.create(team=request.team, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{self.activity.noun.capitalize()} recorded")
                return redirect(self.activity.list_url(_period_of(record)))
        return self.form_page(request, form)


class ActivityUpdateView(ActivityView):
    def form_page(self, request, form, record):
        back_url = self.activity.list_url(_period_of(record))
        return self.page(request, "training/activity_form.html", form=form, record=record, back_url=back_url)

    def get(self, request, pk: int):
        record = self.get_record(request, pk)
        if self.activity.logs_access:
            accessed.send(sender=type(record), instance=record)
        return self.form_page(request, self.activity.form_class(instance=record, team=request.team), record)

    def post(self, request, pk: int):
        record = self.get_record(request, pk)
        form = self.activity.form_class(request.POST, instance=record, team=request.team)
        if form.is_valid():
            try:
                self.activity.update(**{self.activity.record_argument: record}, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{self.activity.noun.capitalize()} changed")
                return redirect(self.activity.list_url(_period_of(record)))
        return self.form_page(request, form, record)


class ActivityDeleteView(ActivityView):
    permission = "training.delete_activity"

    def get(self, request, pk: int):
        record = self.get_record(request, pk)
        return self.page(request, "training/activity_delete.html", record=record)

    def post(self, request, pk: int):
        record = self.get_record(request, pk)
        period = _period_of(record)
        services.activity_record_delete(record=record)
        messages.success(request, f"{self.activity.noun.capitalize()} deleted")
        return redirect(self.activity.list_url(period))


class SessionQuickEntryView(TeamPermissionView):
    """Several training sessions in one table: every row validated, all saved or none."""

    permission = "training.record_sessions_in_bulk"
    default_rows = 5
    row_choices = (5, 10, 20, forms.QUICK_ENTRY_MAX_ROWS)

    def rows(self, request) -> int:
        try:
            rows = int(request.GET.get("rows", self.default_rows))
        except ValueError:
            rows = self.default_rows
        return min(max(rows, 1), forms.QUICK_ENTRY_MAX_ROWS)

    def render_page(self, request, formset, saving_errors=()):
        context = {
            "activity": SESSIONS,
            "formset": formset,
            "saving_errors": saving_errors,
            "row_choices": self.row_choices,
        }
        return render(request, "training/session_quick_entry.html", context)

    def get(self, request):
        formset = forms.quick_entry_formset(rows=self.rows(request))(form_kwargs={"team": request.team})
        return self.render_page(request, formset)

    def post(self, request):
        formset = forms.quick_entry_formset(rows=0)(request.POST, form_kwargs={"team": request.team})
        if formset.is_valid():
            try:
                sessions = services.training_sessions_create(team=request.team, sessions=formset.sessions)
            except ValidationError as error:
                # Only when another person saved a clashing session in the meantime: the rows themselves were valid.
                return self.render_page(request, formset, saving_errors=error.messages)
            else:
                count = len(sessions)
                messages.success(request, f"{count} training session{'s' if count != 1 else ''} recorded")
                period = period_covering([s.date for s in sessions], year_start_month=request.team.year_start_month)
                return redirect(SESSIONS.list_url(period))
        return self.render_page(request, formset)
