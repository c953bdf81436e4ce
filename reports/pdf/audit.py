"""The access log of report downloads: who took which report of which team, for which period, with what figures
(the access entry of `referrals.audit.access_record`, written against the team, with the report's particulars)."""

from auditlog.models import LogEntry

from pairs.models import Team
from pairs.periods import Period


def report_download_record(*, actor, team: Team, report: str, period: Period, figures: str) -> LogEntry:
    """`report` names the file ("quarterly report PDF"); `figures` says how they were shown ("exact", or the
    disclosure rule's name)."""
    return LogEntry.objects.log_create(
        team,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        additional_data={
            "download": report,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "figures": figures,
        },
    )
