"""Outcome measures in the browser. Thin views behind the casework gate (403 without it): load in scope (404
outside it), validate, one service, redirect."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from nhsuk.forms import saved
from outcomes import services
from outcomes.charts import instrument_chart_svg
from outcomes.forms import (
    AlertActionForm,
    FollowUpNotCompletedForm,
    NotCompletedForm,
    QuestionnaireForm,
    T2IntervalForm,
)
from outcomes.models import Questionnaire, QuestionnaireStatus, SafetyAlert, Timepoint
from outcomes.registry import Instrument, registry
from outcomes.selectors import open_alerts, referral_questionnaires, t1_due_by_referral, t2_due, t2_due_list
from pairs.gates import team_permission_required
from pairs.rules import Perm, has_team_perm
from pairs.services import team_t2_interval_update
from referrals.audit import access_record
from referrals.models import Referral
from referrals.selectors.clocks import LONG_HOLD_DAYS


def _referral(request, referral_id: int) -> Referral:
    referrals = Referral.objects.visible_to(request.user, request.team).select_related("team")
    return get_object_or_404(referrals, pk=referral_id)


def _questionnaire(request, pk: int) -> Questionnaire:
    questionnaires = Questionnaire.objects.visible_to(request.user, request.team)
    return get_object_or_404(questionnaires.select_related("referral__team", "caregiver"), pk=pk)


def _instrument(code: str) -> Instrument:
    if code not in registry():
        raise Http404("No such questionnaire.")
    return registry().get(code)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def _outcomes_url(referral: Referral) -> str:
    return reverse("outcomes:referral", args=[referral.pk])


def _score_text(questionnaire: Questionnaire) -> str:
    """ "12 (moderate)", or "warmth 28, invasion 9" for an instrument with subscales."""
    parts = []
    for row in questionnaire.score_rows():
        text = f"{round(row['score'].value, 2):g}"
        if row["score"].band:
            text += f" ({row['score'].band.lower()})"
        if questionnaire.definition.has_subscales:
            text = f"{row['scale'].name.lower()} {text}"
        parts.append(text)
    return ", ".join(parts)


def _scored(request, form: QuestionnaireForm, save: Callable[[], Questionnaire]) -> Questionnaire | None:
    """The questionnaire that `save` (one service) scored from a valid POST of `form`, with its score told to the
    person; None, with any refusal of the service on the form, when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        questionnaire = save()
    except ValidationError as error:
        form.add_service_errors(error)
        return None
    name = f"{questionnaire.instrument_name} {questionnaire.timepoint}"
    if questionnaire.status == QuestionnaireStatus.INCOMPLETE:
        messages.warning(request, f"{name} saved as incomplete: it has no score until every item is answered.")
    else:
        messages.success(request, f"{name} saved. Score: {_score_text(questionnaire)}.")
    return questionnaire


@require_GET
@team_permission_required(Perm.WORK_WITH_CASES)
def t2_due_page(request):
    """The T2 questionnaires a practitioner's families owe, or for the service manager the team's, with the
    families at risk of leaving without paired measures."""
    is_manager = has_team_perm(request.user, Perm.MANAGE_TEAM, request.team)
    rows = t2_due_list(
        user=request.user,
        team=request.team,
        today=timezone.localdate(),
        practitioner=None if is_manager else request.user,
    )
    return render(
        request,
        "outcomes/t2_due.html",
        {
            "rows": [row for row in rows if row.owed],
            "at_risk": [row for row in rows if row.risks] if is_manager else [],
            "is_manager": is_manager,
            "interval": request.team.t2_due_weeks_after_t1,
            "long_hold_weeks": LONG_HOLD_DAYS // 7,
        },
    )


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.MANAGE_TEAM)
def t2_interval(request):
    """The service manager sets when the team's T2 questionnaires fall due."""
    team = request.team
    form = T2IntervalForm(request.POST or None, initial=T2IntervalForm.initial_for(team.t2_due_weeks_after_t1))
    if form.is_valid() and saved(
        form,
        lambda: team_t2_interval_update(team=team, actor=request.user, t2_due_weeks_after_t1=form.weeks_after_t1()),
    ):
        messages.success(request, "When T2 questionnaires are due is saved.")
        return redirect("outcomes:t2_due")
    return render(
        request,
        "referrals/form_page.html",
        {"form": form, "title": "When T2 questionnaires are due", "back_url": reverse("outcomes:t2_due")},
    )


@require_GET
@team_permission_required(Perm.WORK_WITH_CASES)
def index(request):
    """The team's outcome work: alerts to act on, questionnaires to finish, and T1s due."""
    referrals = Referral.objects.visible_to(request.user, request.team)
    incomplete = (
        Questionnaire.objects.visible_to(request.user, request.team)
        .filter(status=QuestionnaireStatus.INCOMPLETE)
        .select_related("referral", "caregiver")
        .order_by("completed_on", "pk")
    )
    due_rows = {}
    for items in t1_due_by_referral(referrals).values():
        for due in items:
            if due.incomplete is None:
                due_rows.setdefault((due.caregiver.referral.reference, due.caregiver.position), []).append(due)
    return render(
        request,
        "outcomes/index.html",
        {
            "alerts": open_alerts(user=request.user, team=request.team),
            "incomplete": incomplete,
            "due_rows": [due_rows[key] for key in sorted(due_rows)],
        },
    )


@require_GET
@team_permission_required(Perm.WORK_WITH_CASES)
def referral_outcomes(request, referral_id: int):
    referral = _referral(request, referral_id)
    access_record(instance=referral, actor=request.user)
    return render(request, "outcomes/referral.html", {"referral": referral})


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.WORK_WITH_CASES)
def questionnaire_create(request, referral_id: int, instrument: str):
    referral = _referral(request, referral_id)
    definition = _instrument(instrument)
    caregivers = {str(c.position): c for c in referral.caregivers.all()}
    initial = {"completed_on": timezone.localdate(), "timepoint": request.GET.get("timepoint")}
    chosen = caregivers.get(request.GET.get("caregiver", "")) or (
        next(iter(caregivers.values())) if len(caregivers) == 1 else None
    )
    initial["caregiver"] = chosen.pk if chosen else None
    form = QuestionnaireForm(
        request.POST or None, instrument=definition, referral=referral, is_new=True, initial=initial
    )
    recorded = _scored(
        request,
        form,
        lambda: services.questionnaire_record(
            actor=request.user,
            referral=referral,
            caregiver=form.cleaned_data["caregiver"],
            instrument=definition.code,
            timepoint=form.cleaned_data["timepoint"],
            completed_on=form.cleaned_data["completed_on"],
            answers=form.answers,
            goal_wording=form.goal_wording,
        ),
    )
    if recorded is not None:
        return redirect(_next_url(request, recorded.get_absolute_url()))
    return render(
        request,
        "outcomes/questionnaire_form.html",
        {
            "referral": referral,
            "instrument": definition,
            "form": form,
            "next": _next_url(request, ""),
            "cancel_url": _next_url(request, _outcomes_url(referral)),
        },
    )


@require_GET
@team_permission_required(Perm.WORK_WITH_CASES)
def questionnaire_detail(request, pk: int):
    questionnaire = _questionnaire(request, pk)
    access_record(instance=questionnaire, actor=request.user)
    return render(
        request,
        "outcomes/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "referral": questionnaire.referral,
            "instrument": questionnaire.definition,
            "alerts": list(questionnaire.alerts.order_by("raised_at")),
        },
    )


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.WORK_WITH_CASES)
def questionnaire_edit(request, pk: int):
    questionnaire = _questionnaire(request, pk)
    if questionnaire.status == QuestionnaireStatus.NOT_COMPLETED or questionnaire.score_source != "items":
        raise Http404("Only questionnaires entered item by item can be changed here.")
    definition = _instrument(questionnaire.instrument)
    initial = {"completed_on": questionnaire.completed_on}
    initial.update({f"item_{number}": value for number, value in questionnaire.answers.items()})
    initial.update({f"goal_{number}": text for number, text in questionnaire.goal_wording.items()})
    form = QuestionnaireForm(
        request.POST or None, instrument=definition, referral=questionnaire.referral, is_new=False, initial=initial
    )
    updated = _scored(
        request,
        form,
        lambda: services.questionnaire_update(
            actor=request.user,
            questionnaire=questionnaire,
            expected_version=int(request.POST.get("version", 0)),
            completed_on=form.cleaned_data["completed_on"],
            answers=form.answers,
            goal_wording=form.goal_wording,
        ),
    )
    if updated is not None:
        return redirect(updated)
    return render(
        request,
        "outcomes/questionnaire_form.html",
        {
            "referral": questionnaire.referral,
            "instrument": definition,
            "questionnaire": questionnaire,
            "form": form,
            "cancel_url": questionnaire.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.WORK_WITH_CASES)
def not_completed_create(request, referral_id: int):
    referral = _referral(request, referral_id)
    caregivers = {str(c.position): c.pk for c in referral.caregivers.all()}
    initial = {
        "recorded_on": timezone.localdate(),
        "instrument": request.GET.get("instrument"),
        "timepoint": request.GET.get("timepoint"),
        "caregiver": caregivers.get(request.GET.get("caregiver", "")),
    }
    form = NotCompletedForm(request.POST or None, referral=referral, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_record_not_completed(
                referral=referral,
                caregiver=form.cleaned_data["caregiver"],
                instrument=form.cleaned_data["instrument"],
                timepoint=form.cleaned_data["timepoint"],
                recorded_on=form.cleaned_data["recorded_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Recorded as not completed.")
            return redirect(_next_url(request, _outcomes_url(referral)))
    return render(
        request,
        "outcomes/not_completed_form.html",
        {"referral": referral, "form": form, "cancel_url": _next_url(request, _outcomes_url(referral))},
    )


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.WORK_WITH_CASES)
def follow_up(request, referral_id: int):
    """Before a referral is completed: record each T2 still due, or why it was not completed."""
    referral = _referral(request, referral_id)
    continue_url = _next_url(request, referral.get_absolute_url())
    due = t2_due(referral)
    if not due:
        return redirect(continue_url)
    form = FollowUpNotCompletedForm(
        request.POST or None, referral=referral, initial={"recorded_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record_not_completed(
                referral=referral,
                reason=form.cleaned_data["reason"],
                recorded_on=form.cleaned_data["recorded_on"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The T2 questionnaires due are recorded as not completed.")
            return redirect(continue_url)
    return render(
        request,
        "outcomes/follow_up.html",
        {
            "referral": referral,
            "due": due,
            "form": form,
            "continue_url": continue_url,
            "here": request.get_full_path(),
            "t2": Timepoint.T2,
        },
    )


@never_cache
@require_GET
@team_permission_required(Perm.WORK_WITH_CASES)
def chart(request, referral_id: int, instrument: str):
    referral = _referral(request, referral_id)
    definition = _instrument(instrument)
    questionnaires = [q for q in referral_questionnaires(referral) if q.instrument == definition.code]
    if not any(q.is_scored for q in questionnaires):
        raise Http404("No scores to chart.")
    return HttpResponse(instrument_chart_svg(definition, questionnaires), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.WORK_WITH_CASES)
def alert_act(request, pk: int):
    alerts = SafetyAlert.objects.visible_to(request.user, request.team).select_related(
        "questionnaire__referral__team", "questionnaire__caregiver", "acted_on_by"
    )
    alert = get_object_or_404(alerts, pk=pk)
    referral = alert.questionnaire.referral
    form = AlertActionForm(request.POST or None)
    if request.method == "POST" and alert.is_open and form.is_valid():
        try:
            services.safety_alert_record_action(
                alert=alert, action_taken=form.cleaned_data["action_taken"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The action taken is recorded and the alert is closed.")
            return redirect(_next_url(request, _outcomes_url(referral)))
    return render(
        request,
        "outcomes/alert_act.html",
        {"alert": alert, "referral": referral, "form": form, "next": _next_url(request, "")},
    )
