"""Jobs a worker left running when it stopped (killed, out of memory, the machine restarted): marked failed.

The work of a job runs in one transaction that holds the job's row locked (`jobs.runner`). When its worker dies,
the database rolls the work back and the lock goes with the connection, but the row still says "running", and
django-tasks-db does not run a task again once a worker has claimed it. A worker starting up (`jobs_worker`) asks
the database which running jobs nobody holds:

- On PostgreSQL, the rows it can lock at once (`SELECT ... FOR UPDATE SKIP LOCKED`): a live worker holds its job's
  row until the work commits, so this sees the jobs of dead workers on every machine.
- On SQLite, which has no row locks and lives on one machine, the running jobs whose worker process on this machine
  no longer exists.

Each is marked failed, keeping what it was given, so that the person who asked can start it again from its page.
"""

import logging
import os
import socket

from django.db import OperationalError, connection, transaction
from django_tasks_db.utils import is_locked_database_exception

from jobs.models import BackgroundJob, JobStatus
from jobs.runner import job_fail

logger = logging.getLogger(__name__)

INTERRUPTED = (
    "The worker running this job stopped before it finished, so nothing was changed. Start it again from this page."
)


def interrupted_jobs_fail() -> list[BackgroundJob]:
    """Mark failed every running job whose worker has stopped; return them."""
    running = BackgroundJob.objects.filter(status=JobStatus.RUNNING)
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            interrupted = list(running.select_for_update(skip_locked=True))
            for job in interrupted:
                job_fail(job_id=job.pk, attempt=job.attempts, message=INTERRUPTED)
        return interrupted
    # SQLite: finding them is a read, which never waits; marking one waits for the one writer there is, which may be
    # a live worker in a long job: past the database's timeout it is left for the next worker that starts.
    interrupted = []
    for job in running:
        if _worker_alive(job.worker):
            continue
        try:
            job_fail(job_id=job.pk, attempt=job.attempts, message=INTERRUPTED)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            logger.warning("Job %s of the stopped worker %s is left running: the database is busy", job.pk, job.worker)
            continue
        interrupted.append(job)
    return interrupted


def _worker_alive(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's worker: this one cannot tell, so it leaves the job alone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user holds that number
    return True
