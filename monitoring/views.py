from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from monitoring.forms import MonitoringUploadForm
from monitoring.importer import ImportRejected, uploaded_files_import
from pairs.gates import team_permission_required
from pairs.rules import Perm


@require_http_methods(["GET", "POST"])
@team_permission_required(Perm.IMPORT_MONITORING)
def monitoring_upload(request):
    form = MonitoringUploadForm(request.POST or None, request.FILES or None)
    result = problems = None
    if request.method == "POST" and form.is_valid():
        try:
            result = uploaded_files_import(
                files=form.cleaned_data["files"],
                team=request.team,
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportRejected as rejected:
            problems = [str(problem) for problem in rejected.problems]
    # The page shows the outcome of this upload rather than redirecting: nothing stays to be refreshed twice, as
    # an import of the same files again changes nothing.
    return render(request, "monitoring/import.html", {"form": form, "result": result, "problems": problems})
