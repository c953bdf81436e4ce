"""The PDF downloads and the quarterly report's page: who may take which report, how each is shown, the audit of
each download, and a final report downloaded again unchanged."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from jobs.models import BackgroundJob, JobStatus
from pairs.models import Role
from pairs.rules import Perm
from reports.pdf.background import report_pdf_make
from reports.pdf.models import QuarterlyReport
from reports.presenters.period import requested_period
from tests.factories import TrainingSessionFactory
from tests.jobs.follow import job_file_response
from tests.reports.pdftext import flowing

pytestmark = pytest.mark.django_db

# Team A's service year starts in April.
QUARTER = "start=2024-04-01&end=2024-06-30"


def pdf_url(kind: str, query: str = QUARTER) -> str:
    return f"{reverse('reports:report_pdf', args=[kind])}?{query}"


def quarterly_url(name: str = "reports:quarterly_report") -> str:
    return f"{reverse(name)}?{QUARTER}"


@pytest.mark.parametrize("kind", ["quarterly", "annual", "evaluation"])
def test_practitioners_get_no_report(practitioner_client, kind):
    assert practitioner_client.get(pdf_url(kind)).status_code == 403
    assert practitioner_client.get(quarterly_url()).status_code == 403


def test_a_commissioner_reads_the_quarterly_page_but_cannot_write_or_issue(commissioner_client):
    page = commissioner_client.get(quarterly_url())
    assert page.status_code == 200
    assert "Draft: the service manager has not yet marked this report final" in page.content.decode()
    assert page.context["page"].can_edit is False
    assert 'name="text"' not in page.content.decode()
    assert (
        commissioner_client.post(quarterly_url("reports:quarterly_commentary"), {"text": "x", "version": 0}).status_code
        == 403
    )
    assert commissioner_client.post(quarterly_url("reports:quarterly_finalise"), {"version": 0}).status_code == 403
    assert not QuarterlyReport.objects.exists()


def test_a_report_needs_a_kind_and_a_quarterly_report_a_service_quarter(manager_client):
    assert manager_client.get(pdf_url("weekly")).status_code == 404
    assert manager_client.get(pdf_url("quarterly", "start=2024-04-01&end=2024-07-31")).status_code == 404
    assert manager_client.get(pdf_url("quarterly", "start=2024-06-31&end=2024-07-31")).status_code == 404
    assert manager_client.get(f"{reverse('reports:quarterly_report')}?start=2024-05-01").status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    assert not BackgroundJob.objects.exists()


def test_the_commissioner_s_evaluation_report_is_under_the_rule_and_its_download_audited(
    commissioner_client, commissioner, team_a
):
    TrainingSessionFactory(team=team_a, date=datetime.date(2024, 5, 2), participants=3)
    response = job_file_response(commissioner_client, commissioner_client.get(pdf_url("evaluation")))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="pairs-evaluation-team-a-2024-04-01-to-2024-06-30.pdf"'
    )
    text = flowing(response.content)
    assert "Figures follow the team's disclosure-control rule, HES" in text
    assert "Actual delivery was * participants" in text
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk, entry.content_type.model) == (commissioner, str(team_a.pk), "team")
    assert entry.additional_data == {
        "download": "Evaluation report PDF",
        "start": "2024-04-01",
        "end": "2024-06-30",
        "figures": "hes",
    }


def test_a_draft_quarterly_report_is_made_by_a_job_and_offered_on_its_page(commissioner_client, commissioner, team_a):
    started = commissioner_client.get(pdf_url("quarterly"))
    job = BackgroundJob.objects.get()
    assert started["Location"] == job.get_absolute_url()
    assert (job.requested_by, job.team, job.permission, job.status) == (
        commissioner,
        team_a,
        Perm.VIEW_REPORTS,
        JobStatus.DONE,
    )
    assert job.title == "Quarterly performance report, 1 April 2024 to 30 June 2024 (PDF)"
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()  # made, not yet downloaded

    response = job_file_response(commissioner_client, started)
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        'attachment; filename="pairs-quarterly-team-a-2024-04-01-to-2024-06-30.pdf"'
    )
    assert "Draft: the service manager has not yet marked this report final" in flowing(response.content)
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk, entry.content_type.model) == (commissioner, str(team_a.pk), "team")
    assert entry.additional_data == {
        "download": "Quarterly performance report PDF",
        "start": "2024-04-01",
        "end": "2024-06-30",
        "figures": "hes",
    }


def test_the_exact_figures_are_checked_again_when_the_job_runs_and_when_the_file_is_fetched(
    manager_client, manager, team_a
):
    started = manager_client.get(pdf_url("evaluation"))
    job = BackgroundJob.objects.get()
    assert job.permission == Perm.VIEW_EXACT_FIGURES
    manager.memberships.update(role=Role.COMMISSIONER)
    demoted = type(manager).objects.get(pk=manager.pk)  # roles are read once per user object
    assert manager_client.get(job.get_absolute_url()).status_code == 404
    assert manager_client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    with pytest.raises(ValidationError, match="Only the team's service manager can see its exact figures"):
        report_pdf_make(actor=demoted, **job.arguments["kwargs"])
    assert started.status_code == 302
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_manager_s_evaluation_report_is_exact(manager_client, team_a):
    TrainingSessionFactory(team=team_a, date=datetime.date(2024, 5, 2), participants=3)
    text = flowing(job_file_response(manager_client, manager_client.get(pdf_url("evaluation"))).content)
    assert "Exact figures: the service's own report." in text
    assert "Actual delivery was 3 participants in 3 months with 1 sessions" in text
    assert LogEntry.objects.get(action=LogEntry.Action.ACCESS).additional_data["figures"] == "exact"


def test_the_manager_writes_and_issues_the_report_and_it_downloads_unchanged(
    manager_client, commissioner, manager, team_a
):
    commissioner_client = Client()
    commissioner_client.force_login(commissioner)
    saved = manager_client.post(
        quarterly_url("reports:quarterly_commentary"), {"text": "Training ran every month.", "version": 0}
    )
    assert saved.status_code == 302
    assert saved["Location"] == quarterly_url()
    page = manager_client.get(quarterly_url()).content.decode()
    assert "Training ran every month." in page
    assert "Mark the report final" in page

    stale = manager_client.post(quarterly_url("reports:quarterly_commentary"), {"text": "Late edit.", "version": 0})
    assert "Someone else changed this commentary" in stale.content.decode()

    issued = manager_client.post(quarterly_url("reports:quarterly_finalise"), {"version": 1})
    assert issued.status_code == 302
    kept = bytes(QuarterlyReport.objects.get(team=team_a).issued_pdf)

    # Figures recorded afterwards change nothing in the report as issued, for anyone who downloads it.
    TrainingSessionFactory(team=team_a, date=datetime.date(2024, 5, 2), participants=30)
    first = manager_client.get(pdf_url("quarterly"))
    second = commissioner_client.get(pdf_url("quarterly"))
    assert first.content == second.content == kept
    assert first["Content-Disposition"] == 'attachment; filename="pairs-quarterly-team-a-2024-04-01-to-2024-06-30.pdf"'
    assert "Training ran every month." in flowing(kept)
    assert (
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, additional_data__download="Quarterly performance report PDF"
        ).count()
        == 2
    )

    final_page = commissioner_client.get(quarterly_url()).content.decode()
    assert "Final: issued on" in final_page
    assert manager.get_full_name() in final_page
    refused = manager_client.post(quarterly_url("reports:quarterly_commentary"), {"text": "Too late.", "version": 2})
    assert "is final" in refused.content.decode()


def test_the_pdf_links_follow_the_period_shown(manager, team_a):
    request = RequestFactory().get("/reports/")
    request.user, request.team = manager, team_a
    today = datetime.date(2025, 1, 15)
    quarter = requested_period(QueryDict(QUARTER), team=team_a, today=today)
    html = render_to_string("reports/_pdf_downloads.html", {"choice": quarter, "request": request})
    assert f"/reports/pdf/quarterly.pdf?{QUARTER}".replace("&", "&amp;") in html
    assert "/reports/pdf/annual.pdf?start=2024-04-01&amp;end=2025-03-31" in html
    assert f"/reports/pdf/evaluation.pdf?{QUARTER}".replace("&", "&amp;") in html
    assert "Write the quarter's commentary and issue its report" in html

    window = requested_period(QueryDict("start=2023-03-01&end=2024-05-31"), team=team_a, today=today)
    html = render_to_string("reports/_pdf_downloads.html", {"choice": window, "request": request})
    assert "quarterly.pdf" not in html
    assert "/reports/pdf/annual.pdf?start=2024-04-01&amp;end=2025-03-31" in html
    assert "Evaluation report, 1 March 2023 to 31 May 2024 (PDF)</a>: exact figures" in html
