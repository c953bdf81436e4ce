import csv
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pairs.forms import saved
from pairs.periods import PeriodForm
from pairs.services import team_reporting_update
from reports.forms import KpiTargetForm, MonitoringUploadForm, ReportingForm
from reports.management.commands.kpi_report import flatten
from reports.models import KpiTarget
from reports.monitoring.importer import ImportRejected, uploaded_files_import
from reports.selectors import kpi_figures, kpi_table, kpi_target_lines
from reports.services import kpi_target_remove, kpi_target_set


def _team_allowing(request, permission: str):
    """The team being worked in, when the person holds `permission` in it."""
    if request.team is None or not request.user.has_perm(permission, request.team):
        raise PermissionDenied
    return request.team


@require_GET
def index(request):
    team = _team_allowing(request, "pairs.view_reports")
    period_form = PeriodForm.for_team(request.GET, team=team)
    period = period_form.chosen
    figures = kpi_figures(user=request.user, team=team, period=period)
    return render(
        request,
        "reports/index.html",
        {"period": period, "period_form": period_form, "figures": figures, "kpis": kpi_table(figures)},
    )


@require_GET
def kpi_download(request, file_format: str):
    team = _team_allowing(request, "pairs.view_reports")
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
def monitoring_upload(request):
    team = _team_allowing(request, "reports.import_monitoring")
    form = MonitoringUploadForm(request.POST or None, request.FILES or None)
    result = problems = None
    if request.method == "POST" and form.is_valid():
        try:
            result = uploaded_files_import(
                files=form.cleaned_data["files"], team=team, actor=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportRejected as rejected:
            problems = [str(problem) for problem in rejected.problems]
    # The page shows the outcome of this upload rather than redirecting: nothing stays to be refreshed twice, as
    # an import of the same files again changes nothing.
    return render(request, "reports/import.html", {"form": form, "result": result, "problems": problems})


@require_http_methods(["GET", "POST"])
def targets(request):
    """How the team reports (service years, first-contact target, suppression rule) and its KPI targets."""
    team = _team_allowing(request, "pairs.manage_team")
    form = ReportingForm(request.POST or None, initial=ReportingForm.initial_for(team))
    if form.is_valid() and saved(
        form, lambda: team_reporting_update(team=team, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "How the team reports is saved.")
        return redirect("reports:targets")
    year, lines = kpi_target_lines(team=team, day=timezone.localdate())
    return render(request, "reports/targets.html", {"form": form, "service_year": year, "lines": lines})


@require_http_methods(["GET", "POST"])
def target_edit(request, kpi: str):
    team = _team_allowing(request, "pairs.manage_team")
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
def target_remove(request, kpi: str, pk: int):
    team = _team_allowing(request, "pairs.manage_team")
    target = get_object_or_404(KpiTarget, team=team, kpi=kpi, pk=pk)
    kpi_target_remove(target=target, actor=request.user)
    messages.success(request, f"The target from service year {target.from_service_year} is removed.")
    return redirect("reports:target_edit", kpi=kpi)
