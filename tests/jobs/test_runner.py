"""Running a job: all its work or none of it, its outcome recorded, each job run once (jobs.runner, jobs.services)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from jobs import runner
from jobs.models import BackgroundJob, JobFile, JobStatus
from jobs.runner import CRASHED, JobOutcome, job_run
from jobs.services import file_job_enqueue, job_enqueue, job_retry
from jobs.tasks import file_job_run
from pairs.models import Role, Team
from pairs.rules import Perm
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def report_job(actor, team, name: str, **kwargs) -> BackgroundJob:
    job = file_job_enqueue(
        actor=actor,
        team=team,
        permission=Perm.VIEW_REPORTS,
        kind="tests.report",
        title="A report",
        callable_path=f"tests.jobs.workloads.{name}",
        kwargs=kwargs,
    )
    job.refresh_from_db()
    return job


def test_a_file_job_runs_and_keeps_its_file(manager, team_a):
    job = report_job(manager, team_a, "report", heading="Quarter 1")
    assert job.status == JobStatus.DONE
    assert (job.attempts, job.message) == (1, "report.txt is ready.")
    assert job.started_at <= job.finished_at
    output = job.files.get(purpose=JobFile.Purpose.OUTPUT)
    assert bytes(output.content) == b"Quarter 1 for manager_a"
    assert job.task_result_id


def test_a_job_whose_work_raises_fails_and_what_it_wrote_is_rolled_back(manager, team_a):
    job = report_job(manager, team_a, "broken_report", slug="crash")
    assert job.status == JobStatus.FAILED
    assert job.message == CRASHED
    assert job.problems == []
    assert job.can_retry
    assert not Team.objects.filter(slug="crash").exists()


def test_a_refusal_is_a_problem_of_the_job_not_a_crash(manager, team_a):
    job = report_job(manager, team_a, "refused_report")
    assert job.status == JobStatus.FAILED
    assert job.problems == ["Only the team's service manager can see the exact figures."]
    assert not job.can_retry


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_the_same_file_asked_for_again_while_it_is_made_is_the_same_job(manager, commissioner, team_a):
    first = report_job(manager, team_a, "report", heading="Quarter 1")
    assert first.status == JobStatus.QUEUED
    assert report_job(manager, team_a, "report", heading="Quarter 1") == first
    assert report_job(manager, team_a, "report", heading="Quarter 2") != first
    assert report_job(commissioner, team_a, "report", heading="Quarter 1") != first
    BackgroundJob.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    assert report_job(manager, team_a, "report", heading="Quarter 1") != first  # made: asking again makes it anew
    assert BackgroundJob.objects.count() == 4


def test_a_name_that_does_not_import_is_refused_before_queueing(manager, team_a):
    with pytest.raises(ImportError):
        report_job(manager, team_a, "no_such_report")
    assert not BackgroundJob.objects.exists()


def test_starting_a_job_needs_its_permission_in_the_team(commissioner, team_a):
    with pytest.raises(ValidationError):
        job_enqueue(
            actor=commissioner,
            team=team_a,
            permission=Perm.IMPORT_MONITORING,
            kind="monitoring.import",
            title="Import",
            task=file_job_run,
        )
    assert not BackgroundJob.objects.exists()


def test_a_job_that_has_run_is_not_run_again(manager, team_a):
    job = report_job(manager, team_a, "report", heading="Once")
    ran = []
    job_run(str(job.pk), lambda job: ran.append(job) or JobOutcome(succeeded=True))
    assert ran == []
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_marked_interrupted_after_its_claim_is_left_to_recovery(manager, team_a, monkeypatch):
    job = BackgroundJob.objects.create(
        team=team_a,
        requested_by=manager,
        permission=Perm.VIEW_REPORTS,
        kind="tests.report",
        title="A report",
        task_path=file_job_run.module_path,
        queued_at=timezone.now(),
    )
    claim = runner._job_claim

    def claim_then_recovery_fails_it(job_id):
        claimed = claim(job_id)
        BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message="interrupted")
        return claimed

    monkeypatch.setattr(runner, "_job_claim", claim_then_recovery_fails_it)
    ran = []
    job_run(str(job.pk), lambda job: ran.append(job) or JobOutcome(succeeded=True))
    assert ran == []
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, "interrupted")


def test_a_failed_job_starts_again_for_the_person_who_asked(manager, team_a):
    job = report_job(manager, team_a, "report_once_its_team_exists", slug="later")
    assert job.status == JobStatus.FAILED
    Team.objects.create(name="Later", slug="later")
    job_retry(job=job, actor=manager)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (JobStatus.DONE, 2, "report.txt is ready.")


def test_only_the_person_who_asked_starts_a_job_again(manager, team_a):
    other_manager = MembershipFactory(team=team_a, role=Role.MANAGER).user
    job = report_job(manager, team_a, "broken_report", slug="crash")
    with pytest.raises(ValidationError):
        job_retry(job=job, actor=other_manager)


def test_a_job_with_problems_does_not_start_again(manager, team_a):
    job = report_job(manager, team_a, "refused_report")
    with pytest.raises(ValidationError):
        job_retry(job=job, actor=manager)


def test_inputs_stay_until_the_work_has_finished_with_them(manager, team_a):
    upload = ContentFile(b"reference\nA-1\n", name="referrals.csv")
    job = job_enqueue(
        actor=manager,
        team=team_a,
        permission=Perm.IMPORT_MONITORING,
        kind="tests.import",
        title="Import",
        task=file_job_run,
        arguments={"callable": "tests.jobs.workloads.broken_report", "kwargs": {"slug": "crash"}},
        inputs=[upload],
    )
    job.refresh_from_db()
    assert job.files.get().name == "referrals.csv"  # a crash keeps them, to run again
    BackgroundJob.objects.filter(pk=job.pk).update(
        arguments={"callable": "tests.jobs.workloads.report", "kwargs": {"heading": "x"}}
    )
    job_retry(job=job, actor=manager)
    assert list(job.files.values_list("purpose", flat=True)) == [JobFile.Purpose.OUTPUT]
