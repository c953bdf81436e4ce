"""Starting jobs, and starting them again.

`job_enqueue` is the one way in: an app gives its task (a function decorated with `django.tasks.task` that calls
`jobs.runner.job_run`), the job's kind and title, and what the work is given. `file_job_enqueue` is the shortcut for
work that makes a file (a report): any function `make(*, actor, **kwargs) -> GeneratedFile` runs as a job, and the
job's page offers the file.
"""

from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import FINISHED, BackgroundJob, JobFile, JobStatus
from jobs.tasks import file_job_run
from pairs.audit import acting
from pairs.models import Team
from pairs.rules import Perm, require

NOT_PERMITTED = "You cannot do this in this team."


@transaction.atomic
def job_enqueue(
    *,
    actor,
    team: Team,
    permission: Perm,
    kind: str,
    title: str,
    task: Task,
    arguments: dict | None = None,
    inputs: Iterable[File] = (),
) -> BackgroundJob:
    """Queue `task` for a worker as a job of `actor` in `team`, with `inputs` (uploads) kept for it to read.

    The task is given the job's id; `arguments` must be JSON (dates as ISO text). The job, its files and the task's
    place in the queue are committed together, so a worker never meets a task without its job, nor the reverse.
    """
    require(actor, permission, team, NOT_PERMITTED)
    job = BackgroundJob(
        team=team,
        requested_by=actor,
        permission=permission,
        kind=kind,
        title=title,
        task_path=task.module_path,
        arguments=arguments or {},
        queued_at=timezone.now(),
    )
    job.full_clean()
    with acting(actor):
        job.save()
    JobFile.objects.bulk_create(
        JobFile(
            job=job,
            purpose=JobFile.Purpose.INPUT,
            name=Path(upload.name or "upload").name,
            content_type=getattr(upload, "content_type", None) or "application/octet-stream",
            content=b"".join(upload.chunks()),
        )
        for upload in inputs
    )
    _job_queue(job, task)
    return job


@transaction.atomic
def file_job_enqueue(
    *, actor, team: Team, permission: Perm, kind: str, title: str, callable_path: str, kwargs: dict
) -> BackgroundJob:
    """Make a file in a worker: `callable_path` names `make(*, actor, **kwargs) -> jobs.runner.GeneratedFile`, which
    checks its own permissions as services do. A name that does not import is refused here, not in the worker.

    The same file asked for again by the same person while it is still being made (a second click, a page
    reloaded) is the job already making it, not a second one."""
    import_string(callable_path)
    require(actor, permission, team, NOT_PERMITTED)
    arguments = {"callable": callable_path, "kwargs": kwargs}
    unfinished = BackgroundJob.objects.filter(requested_by=actor, team=team, kind=kind, arguments=arguments).exclude(
        status__in=FINISHED
    )
    if (making := unfinished.first()) is not None:
        return making
    return job_enqueue(
        actor=actor,
        team=team,
        permission=permission,
        kind=kind,
        title=title,
        task=file_job_run,
        arguments=arguments,
    )


@transaction.atomic
def job_retry(*, job: BackgroundJob, actor) -> BackgroundJob:
    """Queue again a job that stopped before it finished, for the person who asked for it."""
    if job.requested_by_id != actor.pk:
        raise ValidationError("Only the person who started this job can start it again.", code="permission")
    require(actor, Perm(job.permission), job.team, "You can no longer do this in this team.")
    # Asked before the lock as well: a running job's row is held by its worker until the work commits.
    if not job.can_retry or not (locked := BackgroundJob.objects.select_for_update().get(pk=job.pk)).can_retry:
        raise ValidationError("This job cannot be started again.", code="invalid")
    locked.status = JobStatus.QUEUED
    locked.queued_at = timezone.now()
    locked.started_at = locked.finished_at = None
    locked.message = ""
    with acting(actor):
        locked.save(update_fields=["status", "queued_at", "started_at", "finished_at", "message"])
    _job_queue(locked, import_string(locked.task_path))
    return locked


def _job_queue(job: BackgroundJob, task: Task) -> None:
    queued = task.enqueue(str(job.pk))
    BackgroundJob.objects.filter(pk=job.pk).update(task_result_id=queued.id)
