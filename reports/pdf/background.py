"""The pages' PDFs as background jobs (docs/adr/0004-background-tasks.md): a report takes seconds to render, more
than a person should wait on a request or a web process should be held for, so a worker makes it and the job's page
offers it. `report_pdf_enqueue` is the service the page calls; `report_pdf_make` is what the worker runs.

The figures are decided when the person asks, as they may see them then (exact for a service manager's evaluation
report, under the team's disclosure rule otherwise), and checked again when the worker makes the file and when it
is downloaded (the job needs that permission: `jobs.models.BackgroundJob.is_downloadable_by`).
"""

import datetime

from django.core.exceptions import ValidationError

from jobs.models import BackgroundJob
from jobs.runner import GeneratedFile
from jobs.services import file_job_enqueue
from pairs.models import Team
from pairs.periods import Period
from pairs.rules import Perm, has_team_perm, require
from reports.disclosure import disclosure_rule
from reports.pdf.audit import report_download_particulars
from reports.pdf.documents.common import ReportKind
from reports.pdf.files import is_service_quarter, report_file
from reports.presenters.period import named_period

JOB_KIND = "reports.pdf"


def _figures_permission(exact: bool) -> Perm:
    return Perm.VIEW_EXACT_FIGURES if exact else Perm.VIEW_REPORTS


def report_pdf_enqueue(*, actor, team: Team, kind: ReportKind, period: Period, today: datetime.date) -> BackgroundJob:
    """Queue the team's report of `kind` for the period, as `actor` may see it; return its job. A quarterly report
    needs a service quarter (ValueError otherwise, before anything is queued)."""
    if kind == ReportKind.QUARTERLY and not is_service_quarter(period, [team]):
        raise ValueError(f"{period.description} is not a service quarter of {team.name}.")
    exact = kind == ReportKind.EVALUATION and has_team_perm(actor, Perm.VIEW_EXACT_FIGURES, team)
    return file_job_enqueue(
        actor=actor,
        team=team,
        permission=_figures_permission(exact),
        kind=JOB_KIND,
        title=f"{kind.title}, {period.description} (PDF)",
        callable_path=f"{__name__}.{report_pdf_make.__name__}",
        kwargs={
            "team_id": team.pk,
            "kind": kind.value,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "exact": exact,
            "today": today.isoformat(),
        },
    )


def report_pdf_make(*, actor, team_id: int, kind: str, start: str, end: str, exact: bool, today: str) -> GeneratedFile:
    """The report as `report_pdf_enqueue` asked for it (ISO dates: the job's arguments are JSON), rendered as of the
    day it was asked for, if `actor` may still see it so."""
    team = Team.objects.get(pk=team_id)
    require(
        actor,
        _figures_permission(exact),
        team,
        "Only the team's service manager can see its exact figures."
        if exact
        else "You can no longer see this team's reports.",
    )
    report_kind, day = ReportKind(kind), datetime.date.fromisoformat(today)
    period = named_period(
        datetime.date.fromisoformat(start),
        datetime.date.fromisoformat(end),
        year_start_month=team.year_start_month,
        today=day,
    )
    try:
        file = report_file(kind=report_kind, teams=[team], period=period, commissioner=not exact, today=day)
    except ValueError as problem:  # the team's service year changed since: the quarter asked for is not one now
        raise ValidationError(str(problem), code="invalid") from None
    figures = "exact" if exact else disclosure_rule([team]).name
    return GeneratedFile(
        name=file.filename,
        content_type="application/pdf",
        content=file.content,
        download_record=report_download_particulars(report=f"{report_kind.title} PDF", period=period, figures=figures),
    )
