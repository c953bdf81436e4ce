import csv
import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from pairs.periods import PeriodForm
from reports.forms import MonitoringUploadForm
from reports.management.commands.kpi_report import flatten
from reports.monitoring.importer import ImportRejected, uploaded_files_import
from reports.selectors import kpi_figures, kpi_table


def _reporting_team(request):
    if request.team is None or not request.user.has_perm("pairs.view_reports", request.team):
        raise PermissionDenied
    return request.team


@require_GET
def index(request):
    team = _reporting_team(request)
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
    team = _reporting_team(request)
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
    team = request.team
    if team is None or not request.user.has_perm("reports.import_monitoring", team):
        raise PermissionDenied
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
