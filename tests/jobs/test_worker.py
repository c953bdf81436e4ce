"""The worker's side: django-tasks-db's queue in the database, `jobs_worker`, and the jobs of a worker that died."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import BackgroundJob, JobStatus
from jobs.recovery import INTERRUPTED, interrupted_jobs_fail
from jobs.runner import CRASHED
from jobs.services import file_job_enqueue
from jobs.tasks import file_job_run
from pairs.models import Team
from pairs.rules import Perm
from tests.jobs.follow import job_file_response

# The worker closes connections it finds in a transaction, as the test's own is in a test case that rolls back: its
# tests commit, like the web process and the worker they stand for.
pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REPOSITORY = Path(__file__).resolve().parents[2]
QUARTER = "start=2024-04-01&end=2024-06-30"  # a service quarter of team A, whose year starts in April


@pytest.fixture
def database_queue():
    """The production backend instead of the tests' immediate one, and the signal handlers the worker replaces."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    with override_settings(TASKS=DATABASE_QUEUE):
        yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def enqueue(actor, team, name: str, **kwargs) -> BackgroundJob:
    return file_job_enqueue(
        actor=actor,
        team=team,
        permission=Perm.VIEW_REPORTS,
        kind="tests.report",
        title="A report",
        callable_path=f"tests.jobs.workloads.{name}",
        kwargs=kwargs,
    )


def work_the_queue():
    call_command("jobs_worker", batch=True, startup_delay=False, reload=False, interval=0)


def running_job(user, team, worker: str) -> BackgroundJob:
    return BackgroundJob.objects.create(
        team=team,
        requested_by=user,
        permission=Perm.VIEW_REPORTS,
        kind="tests.report",
        title="A report",
        task_path=file_job_run.module_path,
        queued_at=timezone.now(),
        status=JobStatus.RUNNING,
        attempts=1,
        worker=worker,
        started_at=timezone.now(),
    )


def a_dead_process() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_queued_job_waits_in_the_database_until_a_worker_runs_it(database_queue, manager_client, manager, team_a):
    job = enqueue(manager, team_a, "report", heading="Queued")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert (task.status, task.args_kwargs) == ("READY", {"args": [str(job.pk)], "kwargs": {}})
    assert "Waiting for a worker to start it." in manager_client.get(job.get_absolute_url()).content.decode()

    work_the_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.worker == f"{socket.gethostname()}:{os.getpid()}"
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"
    assert "Download report.txt" in manager_client.get(job.get_absolute_url()).content.decode()


def test_a_job_whose_task_raised_is_marked_failed_by_the_worker(database_queue, manager, team_a):
    job = enqueue(manager, team_a, "broken_report", slug="crash")
    work_the_queue()
    job.refresh_from_db()
    assert (job.status, job.message, job.can_retry) == (JobStatus.FAILED, CRASHED, True)
    assert not Team.objects.filter(slug="crash").exists()
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert (task.status, task.exception_class_path) == ("FAILED", "builtins.RuntimeError")


def test_a_worker_starting_fails_the_jobs_a_dead_worker_left_running(database_queue, manager, team_a):
    dead = running_job(manager, team_a, f"{socket.gethostname()}:{a_dead_process()}")
    work_the_queue()
    dead.refresh_from_db()
    assert (dead.status, dead.message, dead.can_retry) == (JobStatus.FAILED, INTERRUPTED, True)
    assert dead.finished_at is not None


def test_a_pdf_job_a_dead_worker_left_running_fails_clearly_and_starts_again(
    database_queue, commissioner_client, commissioner, team_a
):
    """A report's job claimed by a worker that died before it wrote the file: failed with words that say nothing was
    lost, its page offers to start it again, and the next worker makes the PDF."""
    started = commissioner_client.get(f"{reverse('reports:report_pdf', args=['quarterly'])}?{QUARTER}")
    job = BackgroundJob.objects.get()
    assert started["Location"] == job.get_absolute_url()
    dead_worker = f"{socket.gethostname()}:{a_dead_process()}"
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, worker=dead_worker, started_at=timezone.now()
    )

    work_the_queue()  # recovery first; then the queue's task finds its job no longer queued and leaves it
    job.refresh_from_db()
    assert (job.status, job.message, job.attempts, job.can_retry) == (JobStatus.FAILED, INTERRUPTED, 1, True)
    assert not job.files.exists()
    page = commissioner_client.get(job.get_absolute_url()).content.decode()
    assert "The worker running this job stopped before it finished, so nothing was changed." in page
    assert "Start it again" in page

    assert commissioner_client.post(reverse("jobs:retry", args=[job.pk]))["Location"] == job.get_absolute_url()
    work_the_queue()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    response = job_file_response(commissioner_client, started)
    assert response.content.startswith(b"%PDF")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL tells a live worker by its lock")
def test_on_sqlite_the_jobs_of_live_workers_and_other_machines_are_left_alone(manager, team_a):
    alive = running_job(manager, team_a, f"{socket.gethostname()}:{os.getpid()}")
    elsewhere = running_job(manager, team_a, f"another-{socket.gethostname()}:1")
    assert interrupted_jobs_fail() == []
    assert set(BackgroundJob.objects.values_list("status", flat=True)) == {JobStatus.RUNNING}
    assert {alive, elsewhere} == set(BackgroundJob.objects.all())


def test_a_worker_killed_half_way_writes_nothing_and_its_job_fails_when_a_worker_starts(
    database_queue, manager, team_a, tmp_path
):
    """The real thing: a worker process dies (SIGKILL) inside a job's work, after the work has written."""
    written = tmp_path / "written"
    job = enqueue(manager, team_a, "write_then_stall", slug="half-way", written=str(written))
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(name=connection.settings_dict["NAME"])],
        cwd=REPOSITORY,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not written.exists():
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker did not start the job"
            time.sleep(0.2)
        job.refresh_from_db()
        assert (job.status, job.worker) == (JobStatus.RUNNING, f"{socket.gethostname()}:{worker.pid}")
        assert interrupted_jobs_fail() == []  # its worker is alive: the job is left to it
    finally:
        worker.kill()
        worker.wait()
        worker.stderr.close()

    deadline = time.monotonic() + 30
    while BackgroundJob.objects.get(pk=job.pk).status == JobStatus.RUNNING and time.monotonic() < deadline:
        work_the_queue()  # a worker starting again (PostgreSQL may take a moment to see the connection gone)
        time.sleep(0.2)
    job.refresh_from_db()
    assert (job.status, job.message, job.can_retry) == (JobStatus.FAILED, INTERRUPTED, True)
    assert not Team.objects.filter(slug="half-way").exists()


# The worker process of the test above, on the test's own database.
WORKER = """
import django
from django.conf import settings

settings.DATABASES["default"]["NAME"] = {name!r}
settings.TASKS = {{"default": {{"BACKEND": "django_tasks_db.DatabaseBackend"}}}}
django.setup()
from django.core.management import call_command

call_command("jobs_worker", startup_delay=False, reload=False, interval=0.1)
"""
