"""The task of jobs that make a file: a report as a PDF, a workbook (`jobs.services.file_job_enqueue`)."""

from django.tasks import task
from django.utils.module_loading import import_string

from jobs.models import BackgroundJob
from jobs.runner import GeneratedFile, JobOutcome, job_run


@task()
def file_job_run(job_id: str) -> None:
    job_run(job_id, _file_make)


def _file_make(job: BackgroundJob) -> JobOutcome:
    make = import_string(job.arguments["callable"])
    made: GeneratedFile = make(actor=job.requested_by, **job.arguments["kwargs"])
    return JobOutcome(succeeded=True, message=f"{made.name} is ready.", file=made)
