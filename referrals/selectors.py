"""Every read of casework, scoped to what the person may see in the team they are working in.

Lists and the record page read statuses through `ReferralQuerySet.with_status_as_at`, the same method the KPIs use,
and each page runs a fixed number of queries whatever the number of referrals.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.models import CLINICAL_ROLES, Membership, Team
from referrals.models import (
    Appointment,
    Caregiver,
    GroupPlace,
    GroupProgramme,
    GroupSession,
    InterventionEpisode,
    LevelsRecord,
    PipelineEvent,
    Referral,
    ReferralQuerySet,
)
from referrals.pipeline import EventKind, Stage, Status
from referrals.validators import normalise_nhs_number

User = get_user_model()


def clinicians(team: Team) -> QuerySet:
    """The practitioners and service managers of the team: who can hold cases and see families."""
    members = Membership.objects.filter(team=team, is_active=True, role__in=CLINICAL_ROLES)
    return User.objects.filter(Exists(members.filter(user=OuterRef("pk")))).order_by("first_name", "last_name")


def referral_list(*, user, team: Team) -> ReferralQuerySet:
    """Referrals of the team with their current status, family name and next appointment, for every list."""
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("pk")).order_by("position")
    upcoming = Appointment.objects.filter(referral=OuterRef("pk"), outcome="", starts_at__gte=timezone.now()).order_by(
        "starts_at"
    )
    return (
        Referral.objects.visible_to(user, team)
        .with_current_status()
        .annotate(
            family_name=Subquery(first_caregiver.values("name")[:1]),
            next_appointment_at=Subquery(upcoming.values("starts_at")[:1]),
        )
        .select_related("assigned_practitioner", "referrer_service")
    )


def waiting_list(*, user, team: Team) -> ReferralQuerySet:
    """Accepted referrals not yet in intervention (waiting, or in assessment), the longest waiting first."""
    accepted = PipelineEvent.objects.filter(referral=OuterRef("pk"), kind=EventKind.ACCEPTED).order_by("-sequence")
    return (
        referral_list(user=user, team=team)
        .filter(status_as_at=Status.IN_PROGRESS, stage_as_at__in=[Stage.REFERRAL, Stage.ASSESSMENT])
        .annotate(accepted_on=Subquery(accepted.values("occurred_on")[:1]))
        .order_by("received_on", "pk")
    )


def team_caseload_counts(*, user, team: Team) -> dict[str, int]:
    """How many of the team's referrals stand at each open step today, for the service manager: one query."""
    in_progress = Q(status_as_at=Status.IN_PROGRESS)
    return (
        Referral.objects.visible_to(user, team)
        .with_current_status()
        .aggregate(
            awaiting_decision=Count("pk", filter=Q(status_as_at=Status.AWAITING_DECISION)),
            waiting_for_assessment=Count("pk", filter=in_progress & Q(stage_as_at=Stage.REFERRAL)),
            in_assessment=Count("pk", filter=in_progress & Q(stage_as_at=Stage.ASSESSMENT)),
            in_intervention=Count("pk", filter=in_progress & Q(stage_as_at=Stage.INTERVENTION)),
            on_hold=Count("pk", filter=Q(status_as_at=Status.ON_HOLD)),
        )
    )


def referral_record(*, user, team: Team, pk: int) -> Referral:
    """One referral with everything its record page shows, or 404 outside the person's team."""
    queryset = (
        Referral.objects.visible_to(user, team)
        .with_current_status()
        .select_related("team", "referrer_service", "assigned_practitioner", "thrive_level", "created_by")
        .prefetch_related(
            "complexities",
            "caregivers",
            "infants",
            Prefetch(
                "events",
                PipelineEvent.objects.select_related(
                    "recorded_by", "decline_reason", "disengagement_reason", "hold_reason"
                ),
            ),
            Prefetch("appointments", Appointment.objects.select_related("practitioner")),
            Prefetch("interventions", InterventionEpisode.objects.select_related("intervention")),
            Prefetch("levels_history", LevelsRecord.objects.select_related("thrive_level", "recorded_by")),
            Prefetch(
                "group_places",
                GroupPlace.objects.select_related("programme__intervention").annotate(
                    attended=Count("sessions_attended")
                ),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def referral_in_scope(*, user, team: Team, pk: int) -> Referral:
    """The bare referral, for the forms that change it, or 404 outside the person's team."""
    return get_object_or_404(Referral.objects.visible_to(user, team).with_current_status(), pk=pk)


def open_referrals_matching(*, user, team: Team, caregivers: Sequence[dict]) -> list[Referral]:
    """Open referrals of the team with a caregiver of the same NHS number, or of the same name and date of birth."""
    match = Q()
    for caregiver in caregivers:
        nhs_number = normalise_nhs_number(caregiver.get("nhs_number", ""))
        if nhs_number:
            match |= Q(caregivers__nhs_number=nhs_number)
        name, born = (caregiver.get("name") or "").strip(), caregiver.get("date_of_birth")
        if name and born:
            match |= Q(caregivers__name__iexact=name, caregivers__date_of_birth=born)
    if not match:
        return []
    matching = Referral.objects.visible_to(user, team).filter(match).values("pk")
    return list(
        Referral.objects.filter(pk__in=matching)
        .open_as_at(timezone.localdate())
        .select_related("assigned_practitioner")
        .order_by("-received_on")
    )


# The record page's timeline --------------------------------------------------------------------------------------


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


# Appointments ---------------------------------------------------------------------------------------------------


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def practitioner_week(*, user, team: Team, practitioner, monday: datetime.date) -> list[tuple[datetime.date, list]]:
    """The practitioner's appointments in the week from `monday`, day by day (Monday to Sunday)."""
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min))
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("referral")).order_by("position")
    appointments = (
        Appointment.objects.visible_to(user, team)
        .filter(practitioner=practitioner, starts_at__gte=start, starts_at__lt=end)
        .select_related("referral")
        .annotate(family_name=Subquery(first_caregiver.values("name")[:1]))
        .order_by("starts_at")
    )
    days = {monday + datetime.timedelta(days=offset): [] for offset in range(7)}
    for appointment in appointments:
        days[timezone.localtime(appointment.starts_at).date()].append(appointment)
    return list(days.items())


# Group programmes -----------------------------------------------------------------------------------------------


def group_programmes(*, user, team: Team) -> QuerySet:
    """The team's group programmes with their places and sessions counted in the database."""
    if not user.has_perm("pairs.work_with_cases", team):
        return GroupProgramme.objects.none()
    places = GroupPlace.objects.filter(programme=OuterRef("pk"))
    return (
        GroupProgramme.objects.in_team(team)
        .select_related("intervention")
        .annotate(
            offered=_count(places),
            taken_up=_count(places.filter(status=GroupPlace.Status.TAKEN_UP)),
            sessions_held=_count(GroupSession.objects.filter(programme=OuterRef("pk"))),
        )
    )


def _count(queryset) -> Coalesce:
    """A correlated COUNT of `queryset` (filtered on OuterRef("pk")), 0 when there is nothing to count."""
    counted = queryset.order_by().values(queryset.model._meta.get_field("programme").attname)
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField())


def group_programme_record(*, user, team: Team, pk: int) -> GroupProgramme:
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("referral")).order_by("position")
    places = (
        GroupPlace.objects.select_related("referral")
        .annotate(family_name=Subquery(first_caregiver.values("name")[:1]), attended=Count("sessions_attended"))
        .order_by("offered_on", "pk")
    )
    return get_object_or_404(
        group_programmes(user=user, team=team).prefetch_related(
            "facilitators",
            Prefetch("places", places),
            Prefetch("sessions", GroupSession.objects.prefetch_related("attendees")),
        ),
        pk=pk,
    )


def group_offer_candidates(*, user, team: Team, programme: GroupProgramme) -> ReferralQuerySet:
    """Accepted, open referrals of the team not yet offered a place on the programme, the longest waiting first."""
    return (
        referral_list(user=user, team=team)
        .filter(status_as_at__in=[Status.IN_PROGRESS, Status.ON_HOLD])
        .exclude(group_places__programme=programme)
        .order_by("received_on", "pk")
    )


def group_session_places(programme: GroupProgramme) -> QuerySet:
    """The places taken up on the programme: the families whose attendance a session records."""
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("referral")).order_by("position")
    return (
        programme.places.filter(status=GroupPlace.Status.TAKEN_UP)
        .select_related("referral")
        .annotate(family_name=Subquery(first_caregiver.values("name")[:1]))
    )
