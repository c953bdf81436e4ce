import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jobs.models import BackgroundJob, JobStatus
from jobs.runner import CRASHED
from monitoring.tasks import monitoring_import_run
from pairs.rules import Perm

pytestmark = pytest.mark.django_db(transaction=True)


def import_job(manager, team, **fields) -> BackgroundJob:
    return BackgroundJob.objects.create(
        team=team,
        requested_by=manager,
        permission=Perm.IMPORT_MONITORING,
        kind="monitoring.import",
        title="Import of referrals.csv",
        task_path=monitoring_import_run.module_path,
        queued_at=timezone.now(),
        **fields,
    )


def test_a_job_page_shows_its_progress_then_its_result(page, page_check, sign_in, manager, team_a):
    job = import_job(manager, team_a)
    sign_in(page, manager)
    page.goto(job.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of referrals.csv")
    expect(page.get_by_text("Waiting for a worker to start it.")).to_be_visible()
    page_check(page, "job-waiting")

    # A worker finishes it: the page's script notices and shows the result, without the person doing anything.
    counts = {"created": 301, "updated": 0, "unchanged": 0}
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, finished_at=timezone.now(), result={"dry_run": False, "files": {"referrals.csv": counts}}
    )
    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("row", name="referrals.csv 301 0 0")).to_be_visible()
    page_check(page, "job-done")


def test_a_failed_job_page_lists_its_problems_or_offers_to_start_again(page, page_check, sign_in, manager, team_a):
    problems = ["referrals.csv:2: pathway: unknown code 'one-to-one'"]
    rejected = import_job(manager, team_a, status=JobStatus.FAILED, finished_at=timezone.now(), problems=problems)
    crashed = import_job(manager, team_a, status=JobStatus.FAILED, finished_at=timezone.now(), message=CRASHED)
    sign_in(page, manager)
    page.goto(rejected.get_absolute_url())
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_text("Nothing was imported: 1 problem")).to_be_visible()
    expect(page.get_by_role("link", name="upload them again")).to_be_visible()
    page_check(page, "job-problems")

    page.goto(crashed.get_absolute_url())
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("button", name="Start it again")).to_be_visible()
    page_check(page, "job-crashed")


def test_a_report_s_link_leads_to_its_job_page_which_offers_the_pdf(page, page_check, sign_in, commissioner):
    """The tests' backend runs the job as it is queued: the job's page already offers the file a worker makes."""
    sign_in(page, commissioner)
    page.goto("/reports/quarterly/?start=2024-04-01&end=2024-06-30")
    # The click's request renders the PDF before it answers (the tests' backend), as a worker would: seconds.
    page.get_by_role("link", name=re.compile("^Download the report \\(PDF\\)")).click(timeout=60_000)
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quarterly performance report, 1 April 2024 to 30 June 2024 (PDF)"
    )
    download_link = page.get_by_role("link", name="Download pairs-quarterly-team-a-2024-04-01-to-2024-06-30.pdf")
    expect(download_link).to_be_visible()
    page_check(page, "job-report-ready")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == "pairs-quarterly-team-a-2024-04-01-to-2024-06-30.pdf"
