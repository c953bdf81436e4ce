"""The audit trail's entry for a download of a file a job made (or a report served at once): who took which file
of which team, with the particulars the file's maker gave (which report, which period, which figures)."""

from auditlog.models import LogEntry

from pairs.models import Team


def file_download_record(*, actor, team: Team, particulars: dict) -> LogEntry:
    """An access entry written against `team`, whatever is downloaded: the team's history lists every file taken."""
    return LogEntry.objects.log_create(
        team,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        additional_data=particulars,
    )
