"""The annual impact statement: a service year's outputs and outcomes, of direct work and of consultation, training
and awareness, each beside the year before with the change. Commissioner-facing, so always under the teams'
disclosure-control rule; a change is worked out from the figures as shown and hidden with either of them."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import getitem

from pairs.models import Team
from pairs.periods import Period, service_year
from reports.charts.bars import Series, bar_chart
from reports.pdf.documents.common import (
    Figures,
    PdfDocument,
    ReportKind,
    about_section,
    consultation,
    direct_work,
    outcomes,
    targets_section,
    training_and_awareness,
)
from reports.pdf.parts import PrintedSection
from reports.presenters.tables import Column, FigureBlock, Paragraph, Row, Table, bar_value, chart_notes
from reports.presenters.values import (
    Cell,
    count_cell,
    is_shown_number,
    is_suppressed,
    number_cell,
    percent_text,
    rate_cell,
)

THIS_YEAR, YEAR_BEFORE = "This year", "Year before"


@dataclass(frozen=True)
class Compared:
    """A figure of the KPI export compared year on year: its words and where it is in the export."""

    label: str
    path: tuple[str, ...]
    is_rate: bool = False

    def of(self, export: dict):
        return reduce(getitem, self.path, export)


WORKFORCE = (
    Compared("Training sessions", ("training", "sessions")),
    Compared("Training participants", ("training", "participants")),
    Compared("Training feedback rated positive", ("training", "feedback_positive")),
    Compared("Awareness events", ("awareness", "events")),
    Compared("Practitioners and families engaged by awareness events", ("awareness", "people_engaged")),
    Compared("Consultations", ("consultations", "total")),
    Compared("Consultations followed by a referral to the team", ("consultations", "by_outcome", "referred")),
    Compared("Consultations followed by an action plan", ("consultations", "by_outcome", "action_plan")),
    Compared("Children discussed in consultations", ("consultations", "children")),
    Compared("Parent-infant dyads reached by the universal offer", ("universal", "dyads")),
)
DIRECT_WORK = (
    Compared("Referrals received", ("referrals", "received")),
    Compared("Referrals accepted", ("referrals", "accepted")),
    Compared("Families supported", ("referrals", "families_supported")),
    Compared("Completed", ("referrals", "engagement", "total", "completed")),
    Compared("Intervention episodes of the families who finished", ("interventions", "episodes")),
    Compared("Appointments attended", ("appointments", "attended")),
    Compared("Share of referrals accepted", ("referrals", "accepted_rate"), is_rate=True),
    Compared("First contact within the target days", ("referrals", "timeliness", "within_target"), is_rate=True),
)
OUTCOMES = (
    Compared("Completed with paired outcome measures", ("outcomes", "paired")),
    Compared("Families improved", ("outcomes", "families", "improved")),
    Compared("Families with no reliable change", ("outcomes", "families", "no_reliable_change")),
    Compared("Families deteriorated", ("outcomes", "families", "deteriorated")),
    Compared("Caregivers recovered", ("outcomes", "recovery", "recovered")),
    Compared("Pairing rate", ("outcomes", "pairing_rate"), is_rate=True),
    Compared("Recovery rate", ("outcomes", "recovery", "recovery_rate"), is_rate=True),
)


def _a_year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_before(period: Period, *, year_start_month: int) -> Period:
    """The service year before a service year; for any other window, the same dates a year earlier."""
    if period.key.isdigit():
        return service_year(int(period.key) - 1, year_start_month)
    return Period(_a_year_earlier(period.start), _a_year_earlier(period.end))


def _signed(text: str, difference: float) -> str:
    return f"+{text}" if difference > 0 else f"\u2212{text}"


def change_cell(now, before, *, is_rate: bool) -> Cell:
    """The change from the year before, from the figures as shown: hidden where either is, a rate's in percentage
    points, a count's with its share of the year before."""
    if is_suppressed(now) or is_suppressed(before):
        return Cell("*", suppressed=True)
    if not is_shown_number(now) or not is_shown_number(before):
        return Cell("No data", missing=True)
    difference = now - before
    if difference == 0:
        return Cell("No change")
    if is_rate:
        return Cell(f"{_signed(number_cell(abs(difference) * 100, 1).text, difference)} points")
    text = _signed(count_cell(abs(difference)).text, difference)
    if before:
        text = f"{text} ({_signed(percent_text(abs(difference) / before), difference)})"
    return Cell(text)


def comparison_block(*, id: str, title: str, compared: Sequence[Compared], now: dict, before: dict) -> FigureBlock:
    """The figures of both years in a table with the change, and the counts as bars, this year's beside the year
    before's."""
    cell = {False: count_cell, True: rate_cell}
    rows = tuple(
        Row(
            one.label,
            (
                cell[one.is_rate](one.of(now)),
                cell[one.is_rate](one.of(before)),
                change_cell(one.of(now), one.of(before), is_rate=one.is_rate),
            ),
        )
        for one in compared
    )
    table = Table(
        caption=f"{title}: this year and the year before",
        columns=(Column("Figure", numeric=False), Column(THIS_YEAR), Column(YEAR_BEFORE), Column("Change")),
        rows=rows,
    )
    counts = [one for one in compared if not one.is_rate]
    values = [one.of(export) for export in (now, before) for one in counts]
    chart = None
    if any(bar_value(value) for value in values):
        chart = bar_chart(
            [one.label for one in counts],
            [
                Series(
                    name,
                    tuple(bar_value(one.of(export)) for one in counts),
                    tuple(count_cell(one.of(export)).text for one in counts),
                )
                for name, export in ((THIS_YEAR, now), (YEAR_BEFORE, before))
            ],
            alt=(
                f"Bar chart of {title[0].lower()}{title[1:]}: each count this year beside the year before. The same "
                "figures are in the table beside it."
            ),
        )
    return FigureBlock(id=id, title=title, table=table, chart=chart, notes=chart_notes(values))


def trend_section(figures: Figures, earlier: Figures) -> PrintedSection:
    now, before = figures.export, earlier.export
    return PrintedSection.made_of(
        "trend",
        "The year beside the year before",
        (
            Paragraph(
                f"This year is {figures.period.description}; the year before, {earlier.period.description}. Each "
                "change is worked out from the figures as shown, and is hidden (*) where either of them is."
            ),
            comparison_block(
                id="trend-workforce",
                title="Consultation, training and awareness",
                compared=WORKFORCE,
                now=now,
                before=before,
            ),
            comparison_block(
                id="trend-direct-work", title="Direct work with families", compared=DIRECT_WORK, now=now, before=before
            ),
            comparison_block(
                id="trend-outcomes", title="Outcomes of direct work", compared=OUTCOMES, now=now, before=before
            ),
        ),
    )


def annual_document(*, teams: Sequence[Team], period: Period, today: datetime.date) -> PdfDocument:
    teams = tuple(teams)
    figures = Figures.of(teams=teams, period=period, commissioner=True, today=today)
    earlier_period = year_before(period, year_start_month=teams[0].year_start_month)
    earlier = Figures.of(teams=teams, period=earlier_period, commissioner=True, today=today)
    return PdfDocument(
        kind=ReportKind.ANNUAL,
        teams=teams,
        period=period,
        generated_on=today,
        disclosure=figures.disclosure,
        sections=(
            targets_section(figures, today=today, earlier=earlier),
            trend_section(figures, earlier),
            training_and_awareness(figures),
            consultation(figures),
            direct_work(figures),
            outcomes(figures, heading="Outcomes of direct work"),
            about_section(figures),
        ),
    )
