from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from monitoring.export import monitoring_export_enqueue
from monitoring.forms import MonitoringExportForm, MonitoringUploadForm
from monitoring.importer import ImportRejected, uploaded_files_import
from monitoring.tasks import INLINE_ROWS, monitoring_import_enqueue, upload_rows
from pairs.gates import team_permission_required
from pairs.rules import Perm


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.IMPORT_MONITORING)
def monitoring_upload(request):
    form = MonitoringUploadForm(request.POST or None, request.FILES or None)
    result = problems = None
    if request.method == "POST" and form.is_valid():
        files, dry_run = form.cleaned_data["files"], form.cleaned_data["dry_run"]
        if upload_rows(files) > INLINE_ROWS:
            # Too long to wait for in the browser (and past the web server's timeout): a worker imports it, and
            # the job's page shows how far it has gone, then the same result as below.
            job = monitoring_import_enqueue(files=files, team=request.team, actor=request.user, dry_run=dry_run)
            return redirect(job)
        try:
            result = uploaded_files_import(files=files, team=request.team, actor=request.user, dry_run=dry_run)
        except ImportRejected as rejected:
            problems = [str(problem) for problem in rejected.problems]
    # The page shows the outcome of this upload rather than redirecting: nothing stays to be refreshed twice, as
    # an import of the same files again changes nothing.
    return render(request, "monitoring/import.html", {"form": form, "result": result, "problems": problems})


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.MANAGE_TEAM)
def monitoring_download(request):
    """The team's records in the import's format, as a file to save; a POST, as each export is audited."""
    form = MonitoringExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Thousands of rows take longer than a request should: a worker writes the file, and the job's page offers it.
        job = monitoring_export_enqueue(
            team=request.team,
            actor=request.user,
            workbook=form.cleaned_data["file_format"] == "xlsx",
            period=form.period,
        )
        return redirect(job)
    return render(request, "monitoring/export.html", {"form": form})
