from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from monitoring.forms import MonitoringUploadForm
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
