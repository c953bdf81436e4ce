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
