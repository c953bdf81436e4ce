"""A commissioner's quarterly report on a quarter full of small counts: every figure as the commissioner's dashboard
shows it, no suppressed count anywhere, and no status beside a suppressed figure (kpis.md, "Small-number
suppression"); and the command writes the reports the pages offer."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pairs.periods import service_quarter_of
from referrals.pipeline import EventKind
from reports.figures import SUPPRESSED
from reports.kpis import kpi_export
from reports.pdf.documents.common import ReportKind
from reports.pdf.files import report_file
from reports.presenters.dashboard import dashboard_for
from reports.presenters.period import requested_period
from tests.factories import (
    AwarenessEventFactory,
    CaregiverFactory,
    ConsultationFactory,
    FeedbackFactory,
    TrainingSessionFactory,
    referral_with_history,
)
from tests.jobs.follow import job_file_response
from tests.reports.pdftext import flowing, has_row, pdf_text, unshown_rows, unshown_tiles
from training.models import ConsultationOutcome, FeedbackKind

pytestmark = pytest.mark.django_db

D = datetime.date
# Team A's service year starts in April: January to March 2024 is the last quarter of 2023 to 2024.
QUARTER = service_quarter_of(D(2024, 1, 1), 4)
JUDGED = ("On target", "Within 10% of target", "Below target", "Too few to rate")


@pytest.fixture
def small_quarter(team_a, manager):
    """Every count of the quarter between 1 and 7: 2 sessions (5 and 2 participants), 3 consultations, 4 people at
    an awareness event, 6 referrals (5 accepted), 2 compliments and a complaint."""
    TrainingSessionFactory(team=team_a, date=D(2024, 1, 10), participants=5, feedback_returned=5, feedback_positive=4)
    TrainingSessionFactory(team=team_a, date=D(2024, 2, 10), participants=2, feedback_returned=2, feedback_positive=2)
    for day in (11, 12, 13):
        ConsultationFactory(team=team_a, date=D(2024, 1, day), outcome=ConsultationOutcome.REFERRED, children=1)
    AwarenessEventFactory(team=team_a, date=D(2024, 3, 1), people_engaged=4)
    for kind in (FeedbackKind.COMPLIMENT, FeedbackKind.COMPLIMENT, FeedbackKind.COMPLAINT):
        FeedbackFactory(team=team_a, date=D(2024, 2, 20), kind=kind)
    for day in range(2, 8):
        on = D(2024, 1, 20)
        steps = [(EventKind.NOT_ACCEPTED, on, "other") if day == 2 else (EventKind.ACCEPTED, on)]
        referral = referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, day), steps=steps)
        CaregiverFactory(referral=referral, ethnicity="white")
    return team_a


def test_the_commissioner_s_quarterly_report_holds_no_suppressed_count_or_status(small_quarter, commissioner):
    today = timezone.localdate()
    file = report_file(kind=ReportKind.QUARTERLY, teams=[small_quarter], period=QUARTER, commissioner=True, today=today)
    layout, text = pdf_text(file.content, layout=True), flowing(file.content)
    assert "Figures follow the team's disclosure-control rule, HES: 1 to 7 suppressed" in text

    # Figure by figure as the commissioner's dashboard shows them.
    choice = requested_period({"start": "2024-01-01", "end": "2024-03-31"}, team=small_quarter, today=today)
    dashboard = dashboard_for(user=commissioner, team=small_quarter, choice=choice)
    assert unshown_tiles(layout, dashboard.tiles) == []
    sections = {section.id: section for section in dashboard.sections}
    for section_id in ("workforce", "consultation", "outcomes"):
        assert unshown_rows(layout, sections[section_id].parts) == [], section_id

    # No status beside a suppressed figure: every KPI here is suppressed, and says so instead.
    shown = kpi_export(teams=[small_quarter], period=QUARTER, commissioner=True)
    assert {entry["status"] for entry in shown["kpis"] if entry["actual"] == SUPPRESSED} == {SUPPRESSED}
    for tile in dashboard.tiles:
        if tile.status.code == SUPPRESSED:
            row = next(line for line in layout.splitlines() if " ".join(tile.label.split()[:2]) in line)
            assert "Not shown: the figure is suppressed" in row
            assert not any(words in row for words in JUDGED), row

    # No small count, exact, anywhere it is printed.
    for header, cells in [
        ("Introduction", ["*", "*"]),
        ("Total", ["*", "*"]),
        ("Feedback forms returned", ["*"]),
        ("Consultations", ["*"]),
        ("Referred to the service", ["*", "*"]),
        ("Practitioners and families engaged", ["*"]),
        ("Referrals received", ["*"]),
        ("Accepted", ["*"]),
        ("Compliments", ["*"]),
        ("Complaints", ["*"]),
        ("Referral not accepted", ["*", "0", "*"]),
    ]:
        assert has_row(layout, header, cells), header
    assert not has_row(layout, "Introduction", ["2", "7"])  # the exact row, which the service's own report shows
    for exact in ("(83.3%)", "(80%)", "(85.7%)", "6 referrals", " 7 participants"):
        assert exact not in text


def test_the_command_writes_the_report_the_page_offers(small_quarter, manager_client, tmp_path):
    output = tmp_path / "evaluation.pdf"
    out = StringIO()
    call_command(
        "report_pdf",
        *("--team", "team-a", "--kind", "evaluation", "--start", "2024-01-01", "--end", "2024-03-31"),
        *("--output", str(output)),
        stdout=out,
    )
    assert out.getvalue().startswith(f"Wrote {output}: ")
    downloaded = job_file_response(
        manager_client, manager_client.get("/reports/pdf/evaluation.pdf?start=2024-01-01&end=2024-03-31")
    )
    assert pdf_text(output.read_bytes()) == pdf_text(downloaded.content)
    assert "Actual delivery was 7 participants" in flowing(output.read_bytes())

    with pytest.raises(CommandError, match="not a service quarter"):
        call_command(
            "report_pdf",
            *("--team", "team-a", "--kind", "quarterly", "--start", "2024-01-01", "--end", "2024-02-29"),
            *("--output", str(output)),
        )
    with pytest.raises(CommandError, match="No team with the slug nowhere"):
        call_command(
            "report_pdf",
            *("--team", "nowhere", "--kind", "annual", "--start", "2024-04-01", "--end", "2025-03-31"),
            *("--output", str(output)),
        )
