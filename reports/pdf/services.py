"""Writes of the quarterly report: the service manager's commentary while the report is a draft, and marking it
final, which keeps the PDF as issued. Both audited, both for the team's service manager only."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, model_update
from pairs.models import Team
from pairs.periods import Period, format_date, service_quarter_of
from pairs.rules import Perm, require
from reports.pdf.files import quarterly_report_pdf
from reports.pdf.models import QuarterlyReport


def _require_manager(actor, team: Team) -> None:
    require(actor, Perm.MANAGE_TEAM, team, "Only the team's service manager can write or issue its quarterly report.")


def quarter_starting(team: Team, quarter_start: datetime.date) -> Period:
    """The team's service quarter that starts on `quarter_start`; refused for any other date."""
    quarter = service_quarter_of(quarter_start, team.year_start_month)
    if quarter.start != quarter_start:
        raise ValidationError(
            f"{format_date(quarter_start)} does not start one of the team's service quarters.", code="invalid"
        )
    return quarter


def _report_for(team: Team, quarter_start: datetime.date) -> QuarterlyReport:
    """The quarter's report, locked until the transaction ends; or a new one, saved only with its first change."""
    existing = QuarterlyReport.objects.select_for_update().filter(team=team, quarter_start=quarter_start).first()
    return existing or QuarterlyReport(team=team, quarter_start=quarter_start)


def _save(report: QuarterlyReport, actor, fields: list[str]) -> None:
    with acting(actor):
        report.full_clean()
        report.save(update_fields=[*fields, "updated_at"] if report.pk else None)
    bump_version(report)


def _refuse_if_final(report: QuarterlyReport) -> None:
    if report.is_final:
        raise ValidationError(
            f"The report for {report.quarter.label} is final: it was issued on "
            f"{format_date(timezone.localdate(report.finalised_at))} and is kept as issued, so it can no longer "
            "change.",
            code="final",
        )


@transaction.atomic
def quarterly_commentary_save(
    *,
    actor,
    team: Team,
    quarter_start: datetime.date,
    text: str,
    expected_version: int | None = None,
) -> QuarterlyReport:
    """The commentary on the quarter starting `quarter_start`, until its report is final. Saving the same text
    again changes nothing."""
    _require_manager(actor, team)
    quarter_starting(team, quarter_start)
    report = _report_for(team, quarter_start)
    _refuse_if_final(report)
    check_version(report, expected_version, noun="commentary")
    changed = model_update(report, data={"commentary": text.strip()}, fields=["commentary"])
    if changed:
        _save(report, actor, changed)
    return report


@transaction.atomic
def quarterly_report_finalise(
    *,
    actor,
    team: Team,
    quarter_start: datetime.date,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> QuarterlyReport:
    """Mark the quarter's report final once the quarter has ended: its PDF is rendered now, with the commentary as
    it stands, and kept byte for byte; every later download is that file."""
    _require_manager(actor, team)
    quarter = quarter_starting(team, quarter_start)
    today = today or timezone.localdate()
    if today <= quarter.end:
        raise ValidationError(
            f"The report for {quarter.label} can be made final once the quarter has ended, from "
            f"{format_date(quarter.end + datetime.timedelta(days=1))}.",
            code="running",
        )
    report = _report_for(team, quarter_start)
    _refuse_if_final(report)
    check_version(report, expected_version, noun="quarterly report")
    report.finalised_at = timezone.now()
    report.finalised_by = actor
    report.issued_pdf = quarterly_report_pdf(report, today=today)
    _save(report, actor, ["finalised_at", "finalised_by", "issued_pdf"])
    return report
