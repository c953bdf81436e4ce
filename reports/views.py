import csv
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nhsuk.forms import saved
from pairs.audit import page_access_record
from pairs.gates import permission_check, team_member_required, team_permission_required
from pairs.rules import Perm, has_team_perm
from pairs.services import team_reporting_update
from pairs.spreadsheets import XLSX_CONTENT_TYPE
from reports.exports import flatten, kpi_workbook
from reports.forms import KpiTargetForm, ReportingForm
from reports.models import KpiTarget
from reports.presenters.compare import comparison_for
from reports.presenters.dashboard import dashboard_for
from reports.presenters.needs import needs_page
from reports.presenters.period import requested_period
from reports.selectors import kpi_figures, kpi_target_lines
from reports.services import kpi_target_remove, kpi_target_set


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def index(request):
    """The dashboard: every figure of the period, exact for the service, under the team's rule for a commissioner."""
    choice = requested_period(request.GET, team=request.team, today=timezone.localdate())
    if choice.redirect_query:
        return redirect(f"{request.path}?{choice.redirect_query}")
    dashboard = dashboard_for(user=request.user, team=request.team, choice=choice)
    context = {"dashboard": dashboard, "kpis": dashboard.kpis, "can_compare": len(_reported_teams(request)) > 1}
    return render(request, "reports/index.html", context)


def _reported_teams(request) -> list:
    """The teams whose reports the person sees: those they manage or commission."""
    return [m.team for m in request.memberships if has_team_perm(request.user, Perm.VIEW_REPORTS, m.team)]


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def compare(request):
    """The key figures of each team the person reports on, side by side, and their total."""
    choice = requested_period(request.GET, team=request.team, today=timezone.localdate())
    if choice.redirect_query:
        return redirect(f"{request.path}?{choice.redirect_query}")
    teams = _reported_teams(request)
    comparison = comparison_for(user=request.user, teams=teams, choice=choice) if len(teams) > 1 else None
    return render(request, "reports/compare.html", {"choice": choice, "comparison": comparison})


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def needs(request):
    """The needs model of the team's births beside its accepted referrals a year in the period."""
    team = request.team
    choice = requested_period(request.GET, team=team, today=timezone.localdate())
    if choice.redirect_query:
        return redirect(f"{request.path}?{choice.redirect_query}")
    figures = kpi_figures(user=request.user, team=team, period=choice.period)
    return render(request, "reports/needs.html", {"choice": choice, "needs": needs_page(team=team, figures=figures)})


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def kpi_download(request, file_format: str):
    team = request.team
    if file_format not in ("json", "csv", "xlsx"):
        raise Http404
    period = requested_period(request.GET, team=team, today=timezone.localdate()).period
    figures = kpi_figures(user=request.user, team=team, period=period)
    filename = f"pairs-kpis-{team.slug}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.{file_format}"
    if file_format == "json":
        response = HttpResponse(json.dumps(figures, indent=2), content_type="application/json")
    elif file_format == "xlsx":
        response = HttpResponse(kpi_workbook(figures), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(["figure", "value"])
        writer.writerows(flatten(figures))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    page_access_record(request, subject=team, start=period.start.isoformat(), end=period.end.isoformat())
    return response


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.MANAGE_TEAM)
def targets(request):
    """How the team reports (service years, first-contact target, suppression rule) and its KPI targets."""
    team = request.team
    form = ReportingForm(request.POST or None, initial=ReportingForm.initial_for(team))
    if form.is_valid() and saved(
        form, lambda: team_reporting_update(team=team, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "How the team reports is saved.")
        return redirect("reports:targets")
    year, lines = kpi_target_lines(team=team, day=timezone.localdate())
    return render(request, "reports/targets.html", {"form": form, "service_year": year, "lines": lines})


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.MANAGE_TEAM)
def target_edit(request, kpi: str):
    team = request.team
    year, lines = kpi_target_lines(team=team, day=timezone.localdate())
    line = next((line for line in lines if line.kpi.id == kpi), None)
    if line is None:
        raise Http404
    form = KpiTargetForm(request.POST or None, kpi=line.kpi, initial=KpiTargetForm.initial_for(line, year))
    if form.is_valid() and saved(
        form,
        lambda: kpi_target_set(
            team=team,
            actor=request.user,
            kpi=kpi,
            from_service_year=form.cleaned_data["from_service_year"],
            annual_target=form.target_value(),
        ),
    ):
        messages.success(request, f"The target for {line.kpi.label.lower()} is saved.")
        return redirect("reports:targets")
    return render(request, "reports/target_form.html", {"form": form, "line": line, "service_year": year})


@require_POST
@team_member_required
def target_remove(request, kpi: str, pk: int):
    # The target in the team first, then the permission: another team gets 404, a practitioner of this one 403.
    team = request.team
    target = get_object_or_404(KpiTarget, team=team, kpi=kpi, pk=pk)
    permission_check(request, Perm.MANAGE_TEAM)
    kpi_target_remove(target=target, actor=request.user)
    messages.success(request, f"The target from service year {target.from_service_year} is removed.")
    return redirect("reports:target_edit", kpi=kpi)
