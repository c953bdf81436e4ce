"""The PDF files the pages offer and `manage.py report_pdf` writes: one function for both, so that they are the same
files. A quarter's report that is final is the file as issued; every other report is rendered from today's figures.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from pairs.models import Team
from pairs.periods import Period, format_date, service_quarter_of
from reports.pdf.documents.annual import annual_document
from reports.pdf.documents.common import ReportKind, pdf_filename
from reports.pdf.documents.evaluation import evaluation_document
from reports.pdf.documents.quarterly import Commentary, quarterly_document
from reports.pdf.models import QuarterlyReport
from reports.pdf.render import pdf_bytes

SEVERAL_TEAMS = (
    "Several teams together, from the figures as they stand today: each team's own quarterly report is issued by "
    "its service manager."
)


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content: bytes
    # Whether the file is a quarter's report as issued (final), rather than rendered now.
    issued: bool = False


def report_state(report: QuarterlyReport | None) -> str:
    """How a quarterly report stands, as its cover says."""
    if report is not None and report.is_final:
        finaliser = report.finalised_by
        by = (finaliser.get_full_name() or finaliser.get_username()) if finaliser else "the service manager"
        return f"Final: issued on {format_date(timezone.localdate(report.finalised_at))} by {by}."
    return "Draft: the service manager has not yet marked this report final, so its figures and commentary may change."


def is_service_quarter(period: Period, teams: Sequence[Team]) -> bool:
    return all(
        (quarter.start, quarter.end) == (period.start, period.end)
        for quarter in (service_quarter_of(period.start, team.year_start_month) for team in teams)
    )


def quarterly_report_pdf(report: QuarterlyReport, *, today: datetime.date) -> bytes:
    """One team's quarterly report as it stands: the file to issue when it is made final."""
    document = quarterly_document(
        teams=[report.team],
        quarter=report.quarter,
        today=today,
        commentaries=[Commentary(report.team, report.commentary)],
        state=report_state(report),
    )
    return pdf_bytes(document)


def issued_report_file(*, kind: ReportKind, teams: Sequence[Team], period: Period) -> ReportFile | None:
    """A team's quarterly report for the quarter, as issued, when it is final: kept, so served at once, never made
    again. None for any other report, or for several teams together (never issued as one)."""
    if kind != ReportKind.QUARTERLY or len(teams) != 1 or not is_service_quarter(period, teams):
        return None
    report = QuarterlyReport.objects.filter(team=teams[0], quarter_start=period.start, finalised_at__isnull=False)
    issued = report.values_list("issued_pdf", flat=True).first()
    if issued is None:
        return None
    return ReportFile(pdf_filename(kind, teams, period), bytes(issued), issued=True)


def report_file(
    *, kind: ReportKind, teams: Sequence[Team], period: Period, commissioner: bool, today: datetime.date
) -> ReportFile:
    """The report of `kind` for the teams (summed) and period. The quarterly report and the annual statement are
    commissioner-facing and always under the teams' disclosure rule; the evaluation report is exact unless
    `commissioner`. A quarterly report needs a service quarter (ValueError otherwise)."""
    teams = list(teams)
    filename = pdf_filename(kind, teams, period)
    if kind == ReportKind.QUARTERLY:
        if not is_service_quarter(period, teams):
            raise ValueError(f"{period.description} is not a service quarter of {', '.join(t.name for t in teams)}.")
        if (issued := issued_report_file(kind=kind, teams=teams, period=period)) is not None:
            return issued
        reports = list(
            QuarterlyReport.objects.filter(team__in=teams, quarter_start=period.start).select_related(
                "team", "finalised_by"
            )
        )
        document = quarterly_document(
            teams=teams,
            quarter=period,
            today=today,
            commentaries=[Commentary(report.team, report.commentary) for report in reports],
            state=report_state(reports[0] if reports else None) if len(teams) == 1 else SEVERAL_TEAMS,
        )
    elif kind == ReportKind.ANNUAL:
        document = annual_document(teams=teams, period=period, today=today)
    else:
        document = evaluation_document(teams=teams, period=period, commissioner=commissioner, today=today)
    return ReportFile(filename, pdf_bytes(document))
