"""The PDFs' own wording and arithmetic, without rendering: the change from the year before, the year before
itself, a commentary's paragraphs, the file names and the parts' print templates."""

import datetime

import pytest

from pairs.periods import Period, service_year
from reports.figures import SUPPRESSED
from reports.pdf.documents.annual import change_cell, year_before
from reports.pdf.documents.common import ReportKind, pdf_filename
from reports.pdf.parts import PrintedSection, paragraphs
from reports.presenters.tables import Paragraph, Section, Subheading, Summary
from tests.factories import TeamFactory

D = datetime.date


@pytest.mark.parametrize(
    ("now", "before", "is_rate", "words"),
    [
        (691, 300, False, "+391 (+130.3%)"),
        (40, 50, False, "\u221210 (\u221220%)"),
        (5, 0, False, "+5"),
        (25, 25, False, "No change"),
        (0.7619, 0.71, True, "+5.2 points"),
        (0.5, 0.75, True, "\u221225 points"),
        (SUPPRESSED, 40, False, "*"),
        (40, SUPPRESSED, True, "*"),
        (None, 0.5, True, "No data"),
    ],
)
def test_the_change_from_the_year_before_is_worked_out_from_the_figures_as_shown(now, before, is_rate, words):
    assert change_cell(now, before, is_rate=is_rate).text == words


def test_the_year_before_a_service_year_is_the_service_year_before():
    before = year_before(service_year(2024, 3), year_start_month=3)
    assert (before.start, before.end, before.label) == (D(2023, 3, 1), D(2024, 2, 29), "Service year 2023 to 2024")


def test_the_year_before_any_other_window_is_the_same_dates_a_year_earlier():
    before = year_before(Period(D(2024, 2, 29), D(2025, 1, 31)), year_start_month=4)
    assert (before.start, before.end) == (D(2023, 2, 28), D(2024, 1, 31))


def test_a_commentary_keeps_its_paragraphs_and_its_line_breaks():
    text = "First paragraph,\r\nstill the first.\r\n\r\n\r\n  Second.  \n\n"
    assert paragraphs(text) == (Paragraph("First paragraph,\nstill the first."), Paragraph("Second."))
    assert paragraphs("  \n\n ") == ()


@pytest.mark.django_db
def test_a_pdf_is_named_after_its_kind_teams_and_dates():
    teams = [TeamFactory(slug="blackpool"), TeamFactory(slug="fylde")]
    name = pdf_filename(ReportKind.ANNUAL, teams, service_year(2024, 3))
    assert name == "pairs-annual-blackpool-fylde-2024-03-01-to-2025-02-28.pdf"


def test_a_printed_section_leaves_out_links_to_other_pages_and_levels_its_headings():
    section = PrintedSection.of(
        Section(
            id="reach",
            heading="Reach",
            parts=(
                Summary(()),
                Subheading("Needs", "needs"),
                Paragraph("See the needs model:", ("the needs model", "/reports/needs/")),
                Summary(()),
            ),
        )
    )
    assert [(printed.template.rsplit("/", 1)[1], printed.level) for printed in section.parts] == [
        ("summary.html", 3),
        ("subheading.html", 3),
        ("summary.html", 4),
    ]
