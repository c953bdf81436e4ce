import csv
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nhsuk.forms import saved
from pairs.forms import PeriodForm
from pairs.gates import team_permission_required
from pairs.rules import Perm
from pairs.services import team_reporting_update
from reports.exports import flatten
from reports.forms import KpiTargetForm, ReportingForm
from reports.models import KpiTarget
from reports.selectors import kpi_figures, kpi_table, kpi_target_lines
from reports.services import kpi_target_remove, kpi_target_set


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def index(request):
    team = request.team
    period_form = PeriodForm.for_team(request.GET, team=team)
    period = period_form.chosen
    figures = kpi_figures(user=request.user, team=team, period=period)
    return render(
        request,
        "reports/index.html",
        {"period": period, "period_form": period_form, "figures": figures, "kpis": kpi_table(figures)},
    )


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def kpi_download(request, file_format: str):
    team = request.team
    if file_format not in ("json", "csv"):
        raise Http404
    period = PeriodForm.for_team(request.GET, team=team).chosen
    figures = kpi_figures(user=request.user, team=team, period=period)
    filename = f"pairs-kpis-{team.slug}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.{file_format}"
    if file_format == "json":
        response = HttpResponse(json.dumps(figures, indent=2), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(["figure", "value"])
        writer.writerows(flatten(figures))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
@team_permission_required(Perm.MANAGE_TEAM)
def target_remove(request, kpi: str, pk: int):
    team = request.team
    target = get_object_or_404(KpiTarget, team=team, kpi=kpi, pk=pk)
    kpi_target_remove(target=target, actor=request.user)
    messages.success(request, f"The target from service year {target.from_service_year} is removed.")
    return redirect("reports:target_edit", kpi=kpi)
