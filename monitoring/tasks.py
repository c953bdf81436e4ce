"""The upload page's import as a background job, for uploads too large to import while the browser waits.

An upload of more than `INLINE_ROWS` rows, checked or imported, runs in a worker (docs/adr/0004-background-tasks.md):
its files are kept with the job in the database, and the worker imports them exactly as the page would, all or
nothing, in the job's one transaction. Smaller uploads are imported by the page as before: they take a second or
two, less than a worker's turn would.
"""

from dataclasses import asdict
from pathlib import Path

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils.text import Truncator
from openpyxl import load_workbook

from jobs.models import BackgroundJob, JobFile
from jobs.runner import JobOutcome, job_run
from jobs.services import job_enqueue
from monitoring.importer import ImportRejected, uploaded_files_import
from pairs.models import Team
from pairs.rules import Perm

# About two seconds of importing at the rate the README gives (152 rows a second on two cores, SQLite).
INLINE_ROWS = 300
NAMED_FILES = 3
TITLE_LENGTH: int = BackgroundJob._meta.get_field("title").max_length or 200


def upload_rows(files) -> int:
    """About how many rows the upload holds, headers not counted: lines of each CSV file, rows of each sheet.

    Enough to tell a small upload from a large one without reading it as the import does. A workbook that cannot be
    opened counts as small: the import at once says what is wrong with it.
    """
    rows = 0
    for upload in files:
        if Path(upload.name).suffix.lower() == ".xlsx":
            rows += _workbook_rows(upload)
        else:
            lines = 0
            last = b"\n"
            for chunk in upload.chunks():
                lines += chunk.count(b"\n")
                last = chunk[-1:] or last
            rows += max(lines + (last != b"\n") - 1, 0)
    return rows


def _workbook_rows(upload) -> int:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook; the import reports it
        return 0
    try:
        return sum(max((sheet.max_row or sum(1 for _ in sheet.iter_rows())) - 1, 0) for sheet in workbook.worksheets)
    finally:
        workbook.close()


def monitoring_import_enqueue(*, files, team: Team, actor, dry_run: bool) -> BackgroundJob:
    """Queue the import (or the check, when `dry_run`) of uploaded monitoring files; return its job."""
    names = [Path(upload.name).name for upload in files]
    shown = ", ".join(names) if len(names) <= NAMED_FILES else f"{len(names)} monitoring files"
    return job_enqueue(
        actor=actor,
        team=team,
        permission=Perm.IMPORT_MONITORING,
        kind="monitoring.import",
        title=Truncator(f"{'Check' if dry_run else 'Import'} of {shown}").chars(TITLE_LENGTH),
        task=monitoring_import_run,
        arguments={"dry_run": dry_run},
        inputs=files,
    )


@task()
def monitoring_import_run(job_id: str) -> None:
    job_run(job_id, _monitoring_import)


def _monitoring_import(job: BackgroundJob) -> JobOutcome:
    uploads = [
        ContentFile(bytes(stored.content), name=stored.name)
        for stored in job.files.filter(purpose=JobFile.Purpose.INPUT)
    ]
    try:
        result = uploaded_files_import(
            files=uploads, team=job.team, actor=job.requested_by, dry_run=job.arguments["dry_run"]
        )
    except ImportRejected as rejected:
        return JobOutcome(succeeded=False, problems=[str(problem) for problem in rejected.problems])
    return JobOutcome(succeeded=True, result=asdict(result))
