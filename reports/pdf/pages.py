"""What the pages say about the PDFs: the links to download them for a period, and the quarterly report's page (its
standing, who may write or issue it, the quarters around it)."""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from pairs.models import Team
from pairs.periods import Period, add_months, format_date, service_quarter_of, service_year_of
from reports.pdf.documents.common import ReportKind
from reports.pdf.files import report_state
from reports.pdf.models import QuarterlyReport
from reports.presenters.period import stable_query

RECENT_QUARTERS = 8


@dataclass(frozen=True)
class PdfLink:
    label: str
    href: str
    # What the file holds, after the link.
    note: str = ""


def pdf_href(kind: ReportKind, period: Period) -> str:
    return f"{reverse('reports:report_pdf', args=[kind.value])}?{stable_query(period)}"


def quarterly_page_href(quarter: Period) -> str:
    return f"{reverse('reports:quarterly_report')}?{stable_query(quarter)}"


def pdf_links(*, team: Team, period: Period, exact: bool) -> list[PdfLink]:
    """The PDFs for the period a page shows: the quarterly report when it is a service quarter, the annual statement
    of the service year (the one the period ends in, unless it is one), and the evaluation report of the period."""
    month = team.year_start_month
    links = []
    quarter = service_quarter_of(period.start, month)
    if (quarter.start, quarter.end) == (period.start, period.end):
        links.append(
            PdfLink(
                f"Quarterly performance report, {quarter.label}",
                pdf_href(ReportKind.QUARTERLY, quarter),
                "for the commissioner, under the team's disclosure rule",
            )
        )
    year = period if period.key.isdigit() else service_year_of(period.end, month)
    links.append(
        PdfLink(
            f"Annual impact statement, {year.label[0].lower()}{year.label[1:]}",
            pdf_href(ReportKind.ANNUAL, year),
            "beside the year before, under the team's disclosure rule",
        )
    )
    links.append(
        PdfLink(
            f"Evaluation report, {period.description}",
            pdf_href(ReportKind.EVALUATION, period),
            "exact figures" if exact else "under the team's disclosure rule",
        )
    )
    return links


def last_ended_quarter(team: Team, today: datetime.date) -> Period:
    month = team.year_start_month
    return service_quarter_of(service_quarter_of(today, month).start - datetime.timedelta(days=1), month)


@dataclass(frozen=True)
class QuarterLine:
    quarter: Period
    href: str
    standing: str
    current: bool


@dataclass(frozen=True)
class QuarterlyReportPage:
    """One quarter's report: its standing, its commentary, and what the person may do with it."""

    team: Team
    quarter: Period
    report: QuarterlyReport | None
    today: datetime.date
    can_manage: bool
    quarters: list[QuarterLine]

    @property
    def is_final(self) -> bool:
        return self.report is not None and self.report.is_final

    @property
    def standing(self) -> str:
        return report_state(self.report)

    @property
    def commentary(self) -> str:
        return self.report.commentary if self.report else ""

    @property
    def version(self) -> int:
        return self.report.version if self.report else 0

    @property
    def has_ended(self) -> bool:
        return self.today > self.quarter.end

    @property
    def can_edit(self) -> bool:
        return self.can_manage and not self.is_final

    @property
    def can_finalise(self) -> bool:
        return self.can_edit and self.has_ended

    @property
    def not_yet_final_words(self) -> str:
        """Why a manager cannot issue the report yet."""
        if self.has_ended:
            return ""
        ends = format_date(self.quarter.end + datetime.timedelta(days=1))
        return f"The quarter is still running: its report can be made final from {ends}."

    @property
    def download_href(self) -> str:
        return pdf_href(ReportKind.QUARTERLY, self.quarter)

    @property
    def query(self) -> str:
        return stable_query(self.quarter)


def quarterly_report_page(
    *, team: Team, quarter: Period, today: datetime.date, can_manage: bool
) -> QuarterlyReportPage:
    """The quarter's report and the last eight quarters to the one that ended last (or the quarter shown, when it is
    later), each with its standing. One query for the reports, one for the finaliser."""
    month = team.year_start_month
    newest = max(last_ended_quarter(team, today), quarter, key=lambda one: one.start)
    quarters = [service_quarter_of(add_months(newest.start, -3 * back), month) for back in range(RECENT_QUARTERS)]
    if team.reporting_start:
        quarters = [one for one in quarters if one.end >= team.reporting_start] or [quarter]
    starts = {one.start for one in quarters} | {quarter.start}
    reports = {
        report.quarter_start: report
        for report in QuarterlyReport.objects.filter(team=team, quarter_start__in=starts).select_related(
            "team", "finalised_by"
        )
    }
    lines = [
        QuarterLine(
            one,
            quarterly_page_href(one),
            "Final" if one.start in reports and reports[one.start].is_final else "Draft",
            one.start == quarter.start,
        )
        for one in quarters
    ]
    return QuarterlyReportPage(
        team=team,
        quarter=quarter,
        report=reports.get(quarter.start),
        today=today,
        can_manage=can_manage,
        quarters=lines,
    )
