"""The record page's timeline: everything that happened to a referral, newest first."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from referrals.models import (
    Referral,
)
from referrals.pipeline import Stage, Status


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date
    title: str
    details: list[str] = field(default_factory=list)
    by: str = ""
    # Orders entries of the same day: a time for appointments, the recording time for the rest.
    at: datetime.datetime | None = None


def _events(referral: Referral) -> list[TimelineEntry]:
    entries = []
    for event in referral.events.all():
        details = [f"Status: {status_tag_text(event.status, event.stage)}"]
        if event.reason:
            details.append(f"Reason: {event.reason}")
        if event.note:
            details.append(event.note)
        by = _name(event.recorded_by)
        entries.append(TimelineEntry(event.occurred_on, event.get_kind_display(), details, by, event.recorded_at))
    return entries


def _appointments(referral: Referral) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            timezone.localtime(appointment.starts_at).date(),
            f"{appointment.get_kind_display()} appointment",
            [
                f"{timezone.localtime(appointment.starts_at):%H:%M}, {appointment.get_mode_display().lower()}",
                f"Outcome: {appointment.get_outcome_display() or 'not yet recorded'}",
            ],
            _name(appointment.practitioner),
            appointment.starts_at,
        )
        for appointment in referral.appointments.all()
    ]


def _interventions(referral: Referral) -> list[TimelineEntry]:
    entries = []
    for episode in referral.interventions.all():
        entries.append(TimelineEntry(episode.started_on, f"{episode.intervention} started"))
        if episode.ended_on:
            attended = episode.sessions_attended
            details = [] if attended is None else [f"{attended} sessions attended"]
            entries.append(TimelineEntry(episode.ended_on, f"{episode.intervention} ended", details))
    return entries


def _levels(referral: Referral) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            record.recorded_on,
            "Levels recorded",
            [
                f"Safeguarding: {record.get_safeguarding_level_display() or 'not recorded'}",
                f"Risks: {'not recorded' if record.risk_count is None else record.risk_count}",
                f"Thrive: {record.thrive_level or 'not recorded'}",
                f"IMD decile: {record.imd_decile or 'not recorded'}",
            ],
            _name(record.recorded_by),
            record.recorded_at,
        )
        for record in referral.levels_history.all()
    ]


def _group_places(referral: Referral) -> list[TimelineEntry]:
    entries = []
    for place in referral.group_places.all():
        entries.append(TimelineEntry(place.offered_on, f"Place offered on {place.programme}"))
        if place.responded_on:
            entries.append(TimelineEntry(place.responded_on, f"Group place {place.get_status_display().lower()}"))
    return entries


# Other apps add their records (questionnaires) with `timeline_sources.append(fn)`, where `fn(referral)` reads only
# what `referral_record` prefetched (or prefetches it once) and returns TimelineEntry objects.
timeline_sources: list[Callable[[Referral], list[TimelineEntry]]] = [
    _events,
    _appointments,
    _interventions,
    _levels,
    _group_places,
]


def referral_timeline(referral: Referral) -> list[TimelineEntry]:
    """Everything that happened to the referral, newest first."""
    entries = [entry for source in timeline_sources for entry in source(referral)]
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(entries, key=lambda entry: (entry.on, entry.at or epoch), reverse=True)


def status_tag_text(status: str, stage: str) -> str:
    """A status in words, with the stage where it matters: "In progress, assessment stage"."""
    text = Status(status).label
    if status in (Status.IN_PROGRESS, Status.ON_HOLD):
        text += f", {Stage(stage).label.lower()} stage"
    return text


def _name(user) -> str:
    return user.get_full_name() or user.get_username() if user else ""
