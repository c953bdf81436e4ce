"""Running a job in a worker: all of its work in one transaction, its outcome recorded with it.

`job_run(job_id, work)` is what each task of a job calls. It claims the job (queued to running, committed at once so
that its page says so), then runs `work(job)` and records the outcome in one transaction that holds the job's row
locked. Whatever the work writes is committed together with "done" or "failed", or not at all: if the worker dies
half way, the database rolls the transaction back and the job is still "running" with nobody holding its row,
which is how `jobs.recovery` knows to mark it failed when a worker next starts.
"""

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobs.models import BackgroundJob, JobFile, JobStatus
from pairs.audit import acting

logger = logging.getLogger(__name__)

CRASHED = (
    "The job stopped with an error before it finished, so nothing was changed. Start it again; if it stops again, "
    "tell the system administrator the address of this page."
)


@dataclass(frozen=True)
class GeneratedFile:
    """A file a job made, offered for download on its page to the person who asked; `download_record` is what each
    download writes in the audit trail against the job's team (`jobs.audit.file_download_record`)."""

    name: str
    content_type: str
    content: bytes
    download_record: dict = field(default_factory=dict)


@dataclass(frozen=True)
class JobOutcome:
    """What a job's work came to. A failed outcome lists its `problems`: what was wrong with what it was given."""

    succeeded: bool
    message: str = ""
    result: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    file: GeneratedFile | None = None


Work = Callable[[BackgroundJob], JobOutcome]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_run(job_id: str, work: Work) -> None:
    """Run `work` for the job, once. A job that is no longer queued (run already, or a duplicate delivery of its
    task) is left alone. An exception in the work fails the job and is raised again for the worker to log."""
    claimed = _job_claim(job_id)
    if claimed is None:
        return
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.select_for_update().get(pk=claimed.pk)
            if job.status != JobStatus.RUNNING or job.attempts != claimed.attempts:
                # Recovery took it for a dead worker's before this one held its row: it is theirs to tell about.
                return
            with acting(job.requested_by, correlation_id=f"job-{job.pk}"):
                try:
                    outcome = work(job)
                except ValidationError as refused:
                    outcome = JobOutcome(succeeded=False, problems=refused.messages)
                _job_finish(job, outcome)
    except Exception:
        logger.exception("Job %s (%s) failed", claimed.pk, claimed.kind)
        job_fail(job_id=claimed.pk, attempt=claimed.attempts, message=CRASHED)
        raise


@transaction.atomic
def _job_claim(job_id: str) -> BackgroundJob | None:
    job = BackgroundJob.objects.select_for_update().filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:
        return None
    job.status = JobStatus.RUNNING
    job.attempts += 1
    job.worker = worker_name()
    job.started_at = timezone.now()
    with acting(job.requested_by):
        job.save(update_fields=["status", "attempts", "worker", "started_at"])
    return job


def _job_finish(job: BackgroundJob, outcome: JobOutcome) -> None:
    job.status = JobStatus.DONE if outcome.succeeded else JobStatus.FAILED
    job.message = outcome.message
    job.result = outcome.result
    job.problems = outcome.problems
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "result", "problems", "finished_at"])
    # The work has finished with what it was given (uploads can hold personal data): only its own file stays.
    job.files.filter(purpose=JobFile.Purpose.INPUT).delete()
    if outcome.file is not None:
        JobFile.objects.create(
            job=job,
            purpose=JobFile.Purpose.OUTPUT,
            name=outcome.file.name,
            content_type=outcome.file.content_type,
            content=outcome.file.content,
            download_record=outcome.file.download_record,
        )


@transaction.atomic
def job_fail(*, job_id, attempt: int, message: str) -> None:
    """Mark the job failed, keeping what it was given so that it can run again, unless it has moved on since."""
    running = BackgroundJob.objects.select_for_update().filter(status=JobStatus.RUNNING, attempts=attempt)
    job = running.filter(pk=job_id).first()
    if job is None:
        return
    job.status = JobStatus.FAILED
    job.message = message
    job.finished_at = timezone.now()
    with acting(job.requested_by):
        job.save(update_fields=["status", "message", "finished_at"])
