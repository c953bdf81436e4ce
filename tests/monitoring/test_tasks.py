"""Large uploads through the page run as a job (monitoring.tasks): the job's page shows the same result as the page."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from jobs.models import BackgroundJob, JobFile, JobStatus
from monitoring.tasks import INLINE_ROWS, monitoring_import_enqueue, upload_rows
from referrals.models import Referral
from tests.monitoring.test_importer import INTERVENTIONS, REFERRALS
from tests.monitoring.test_views import csv_upload

pytestmark = pytest.mark.django_db


def referrals(count: int) -> list[dict]:
    """`count` referrals awaiting a decision, like the last of the importer's tests, each with its own reference."""
    return [dict(REFERRALS[2], reference=f"R-{number:05d}") for number in range(1, count + 1)]


def upload(client, *files, dry_run=False):
    data = {"files": list(files)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("monitoring:import"), data)


def the_job(response) -> BackgroundJob:
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    return job


def test_a_small_upload_is_still_imported_by_the_page(manager_client, team_a):
    response = upload(manager_client, csv_upload("referrals.csv", referrals(INLINE_ROWS)))
    assert response.status_code == 200
    assert not BackgroundJob.objects.exists()
    assert Referral.objects.in_team(team_a).count() == INLINE_ROWS


def test_a_large_upload_runs_as_a_job_whose_page_shows_the_result(manager_client, team_a, manager):
    response = upload(manager_client, csv_upload("referrals.csv", referrals(INLINE_ROWS + 1)))
    job = the_job(response)
    assert (job.status, job.kind, job.title, job.requested_by) == (
        JobStatus.DONE,
        "monitoring.import",
        "Import of referrals.csv",
        manager,
    )
    assert Referral.objects.in_team(team_a).count() == INLINE_ROWS + 1
    assert not job.files.filter(purpose=JobFile.Purpose.INPUT).exists()  # the upload goes once it is imported
    html = manager_client.get(response.url).content.decode()
    assert '<h2 class="nhsuk-card__heading nhsuk-card__heading--feature">Imported</h2>' in html
    assert '<th scope="row" class="nhsuk-table__header">referrals.csv</th>' in html
    assert f'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">{INLINE_ROWS + 1}</td>' in html


def test_a_large_check_runs_as_a_job_and_writes_nothing(manager_client, team_a):
    job = the_job(upload(manager_client, csv_upload("referrals.csv", referrals(INLINE_ROWS + 1)), dry_run=True))
    assert job.status == JobStatus.DONE
    assert job.title == "Check of referrals.csv"
    assert job.result["dry_run"] is True
    assert job.result["files"]["referrals.csv"]["created"] == INLINE_ROWS + 1
    assert not Referral.objects.exists()
    assert "Checked: nothing was written" in manager_client.get(job.get_absolute_url()).content.decode()


def test_a_failing_import_fails_its_job_with_the_problems_and_writes_nothing(manager_client, team_a):
    # Every row passes the checks; the pipeline refuses the last episode while writing, after 401 referrals and an
    # episode have been written in the job's transaction: all of it is rolled back.
    rows = [*referrals(INLINE_ROWS), REFERRALS[0]]
    bad = [*INTERVENTIONS, {"reference": "A-1", "intervention": "emdr", "started_on": "2024-01-11"}]
    job = the_job(upload(manager_client, csv_upload("referrals.csv", rows), csv_upload("interventions.csv", bad)))
    assert job.status == JobStatus.FAILED
    assert len(job.problems) == 1
    assert job.problems[0].startswith("interventions.csv:4: ")
    assert not job.can_retry
    assert not Referral.objects.exists()
    html = manager_client.get(job.get_absolute_url()).content.decode()
    assert html.count("<title>Error: ") == 1
    assert "Nothing was imported: 1 problem" in html
    assert f'<a href="{reverse("monitoring:import")}">upload them again</a>' in html


def test_an_upload_with_a_long_name_gets_a_title_that_fits(manager, team_a):
    upload = SimpleUploadedFile(f"{'monitoring ' * 30}.csv", b"reference\nA-1\n")
    job = monitoring_import_enqueue(files=[upload], team=team_a, actor=manager, dry_run=True)
    assert len(job.title) == 200
    assert job.title.startswith("Check of monitoring monitoring")


def test_the_rows_of_an_upload_are_counted_without_their_headers():
    with_newline = SimpleUploadedFile("referrals.csv", b"reference\nA-1\nA-2\n")
    without_newline = SimpleUploadedFile("interventions.csv", b"reference\nA-1\nA-2\nA-3")
    assert upload_rows([with_newline, without_newline]) == 5

    workbook = Workbook()
    workbook.active.append(["reference"])
    for number in range(4):
        workbook.active.append([f"A-{number}"])
    workbook.create_sheet("training").append(["date"])
    buffer = BytesIO()
    workbook.save(buffer)
    assert upload_rows([SimpleUploadedFile("monitoring.xlsx", buffer.getvalue())]) == 4
    assert upload_rows([SimpleUploadedFile("monitoring.xlsx", b"not a workbook")]) == 0
