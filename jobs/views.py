from auditlog.signals import accessed
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jobs.audit import file_download_record
from jobs.models import BackgroundJob, JobFile, JobStatus
from jobs.services import job_retry


def _job_in_scope(request, job_id) -> BackgroundJob:
    """The job, for the person who asked for it and the team's managers; for anyone else, no such page."""
    job = get_object_or_404(BackgroundJob.objects.select_related("team", "requested_by"), pk=job_id)
    if not job.is_visible_to(request.user):
        raise Http404
    return job


@never_cache
@require_GET
def job_detail(request, job_id):
    job = _job_in_scope(request, job_id)
    app, _, name = job.kind.partition(".")
    context = {
        "job": job,
        "jobs_ahead": job.jobs_ahead() if job.status == JobStatus.QUEUED else 0,
        "output": job.files.filter(purpose=JobFile.Purpose.OUTPUT).defer("content").first(),
        "can_download": job.is_downloadable_by(request.user),
        "outcome_templates": [f"{app}/{name}_outcome.html", "jobs/outcome.html"],
        "can_retry": job.can_retry and job.requested_by_id == request.user.pk,
    }
    return render(request, "jobs/job_detail.html", context)


@never_cache
@require_GET
def job_status(request, job_id):
    """What the job page's script asks every few seconds, to know when to show the page again."""
    job = _job_in_scope(request, job_id)
    return JsonResponse({"status": job.status, "finished": job.is_finished})


@never_cache
@require_GET
def job_file(request, job_id):
    job = _job_in_scope(request, job_id)
    if not job.is_downloadable_by(request.user):
        raise Http404
    output = get_object_or_404(job.files, purpose=JobFile.Purpose.OUTPUT)
    # Each download is an access entry in the audit trail: against the team with the file's particulars when its
    # maker gave them (a report, an export), as when the same file is served at once; otherwise against the job.
    if output.download_record:
        file_download_record(actor=request.user, team=job.team, particulars=output.download_record)
    else:
        accessed.send(sender=BackgroundJob, instance=job)
    response = HttpResponse(bytes(output.content), content_type=output.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=output.name)
    return response


@require_POST
def job_start_again(request, job_id):
    job = _job_in_scope(request, job_id)
    try:
        job_retry(job=job, actor=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(job)
