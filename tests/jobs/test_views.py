"""A job's page: its progress, then its result and file, for the person who asked and the team's managers only."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from jobs.models import BackgroundJob, JobStatus
from jobs.tasks import file_job_run
from pairs.models import Role, Team
from pairs.rules import Perm
from tests.factories import MembershipFactory
from tests.jobs.test_runner import report_job

pytestmark = pytest.mark.django_db


def queued_job(user, team, **fields) -> BackgroundJob:
    return BackgroundJob.objects.create(
        team=team,
        requested_by=user,
        permission=Perm.VIEW_REPORTS,
        kind="tests.report",
        title="Quarterly report",
        task_path=file_job_run.module_path,
        queued_at=timezone.now(),
        **fields,
    )


def test_a_waiting_job_says_so_and_checks_again(commissioner_client, commissioner, team_a, manager):
    queued_job(manager, team_a)
    job = queued_job(commissioner, team_a)
    html = commissioner_client.get(job.get_absolute_url()).content.decode()
    assert "Waiting to start" in html
    assert "Waiting for a worker to start it: 1 job ahead of it." in html
    assert "jobs/job_progress.js" in html
    assert '<meta http-equiv="refresh"' not in html  # axe's meta-refresh rule (WCAG 2.2.1): the script asks instead
    status = commissioner_client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status == {"status": "queued", "finished": False}


def test_a_running_job_says_since_when(commissioner_client, commissioner, team_a):
    job = queued_job(commissioner, team_a, status=JobStatus.RUNNING, started_at=timezone.now())
    html = commissioner_client.get(job.get_absolute_url()).content.decode()
    assert "Working on it since" in html


def test_a_finished_job_offers_its_file_and_each_download_is_audited(commissioner_client, commissioner, team_a):
    job = report_job(commissioner, team_a, "report", heading="Quarter 2")
    html = commissioner_client.get(job.get_absolute_url()).content.decode()
    assert "report.txt is ready." in html
    assert "Download report.txt" in html
    assert "jobs/job_progress.js" not in html
    response = commissioner_client.get(reverse("jobs:file", args=[job.pk]))
    assert response.content == b"Quarter 2 for commissioner_a"
    assert response["Content-Disposition"] == 'attachment; filename="report.txt"'
    access = LogEntry.objects.get(object_pk=str(job.pk), action=LogEntry.Action.ACCESS)
    assert access.actor == commissioner


def test_a_crashed_job_can_be_started_again_from_its_page(manager_client, manager, team_a):
    job = report_job(manager, team_a, "report_once_its_team_exists", slug="later")
    html = manager_client.get(job.get_absolute_url()).content.decode()
    assert html.count("<title>Error: ") == 1
    assert "The job stopped with an error before it finished, so nothing was changed." in html
    assert "Start it again" in html
    Team.objects.create(name="Later", slug="later")
    response = manager_client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:status", "jobs:file"])
def test_nobody_else_finds_the_job(client, commissioner, practitioner, practitioner_b, team_a, name):
    job = report_job(commissioner, team_a, "report", heading="Quarter 3")
    for someone in (practitioner, practitioner_b):
        client.force_login(someone)
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404


def test_the_teams_managers_find_it_but_its_file_is_the_requester_s(client, commissioner, manager, team_a):
    job = report_job(commissioner, team_a, "report", heading="Quarter 3")
    client.force_login(manager)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Start it again" not in html
    assert "Download report.txt" not in html
    assert f"report.txt is for {escape(commissioner.get_full_name())}, who asked for it, to download." in html
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_person_who_asked_loses_it_with_their_role(client, commissioner, team_a):
    job = report_job(commissioner, team_a, "report", heading="Quarter 4")
    commissioner.memberships.update(is_active=False)
    client.force_login(commissioner)
    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_manager_of_another_team_does_not_find_it(client, commissioner, team_a, team_b):
    job = report_job(commissioner, team_a, "report", heading="Quarter 4")
    other = MembershipFactory(team=team_b, role=Role.MANAGER).user
    client.force_login(other)
    assert client.get(job.get_absolute_url()).status_code == 404
