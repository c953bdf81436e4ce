"""The access log of report downloads: who took which report of which team, for which period, with what figures
(an access entry written against the team, `jobs.audit.file_download_record`, with the report's particulars)."""

from auditlog.models import LogEntry

from jobs.audit import file_download_record
from pairs.models import Team
from pairs.periods import Period


def report_download_particulars(*, report: str, period: Period, figures: str) -> dict:
    """`report` names the file ("Quarterly performance report PDF"); `figures` says how they were shown ("exact", or
    the disclosure rule's name)."""
    return {"download": report, "start": period.start.isoformat(), "end": period.end.isoformat(), "figures": figures}


def report_download_record(*, actor, team: Team, report: str, period: Period, figures: str) -> LogEntry:
    return file_download_record(
        actor=actor, team=team, particulars=report_download_particulars(report=report, period=period, figures=figures)
    )
