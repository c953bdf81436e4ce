"""Group programmes: creating a run, offering and answering places, recording sessions."""

import datetime
from collections.abc import Iterable, Sequence
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked, model_update
from pairs.models import Team
from pairs.rules import Perm, require
from referrals.models import GroupPlace, GroupProgramme, GroupSession, Intervention, Referral
from referrals.pipeline import Status
from referrals.services.common import CASEWORK_REFUSAL, check_clinical_member, states_on


class SessionChanges(TypedDict, total=False):
    """What `group_session_update` changes: the session's date, its register, or both."""

    held_on: datetime.date
    attendees: Sequence[GroupPlace]


@transaction.atomic
def group_programme_create(
    *,
    actor,
    team: Team,
    intervention: Intervention,
    title: str,
    starts_on: datetime.date,
    places_offered: int,
    sessions_planned: int,
    venue: str = "",
    facilitators: Iterable = (),
) -> GroupProgramme:
    require(actor, Perm.WORK_WITH_CASES, team, CASEWORK_REFUSAL)
    facilitators = list(facilitators)
    for facilitator in facilitators:
        check_clinical_member(facilitator, team, "facilitators")
    with acting(actor):
        programme = GroupProgramme(
            team=team,
            intervention=intervention,
            title=title,
            starts_on=starts_on,
            places_offered=places_offered,
            sessions_planned=sessions_planned,
            venue=venue,
            created_by=actor,
        )
        programme.full_clean()
        programme.save()
        programme.facilitators.set(facilitators)
    return programme


@transaction.atomic
def group_place_offer(
    *,
    actor,
    programme: GroupProgramme,
    referral: Referral,
    offered_on: datetime.date,
    waiting_since: datetime.date,
) -> GroupPlace:
    row = locked(programme)
    require(actor, Perm.WORK_WITH_CASES, row.team, CASEWORK_REFUSAL)
    if referral.team_id != row.team_id:
        raise ValidationError({"referral": "The referral belongs to another team."})
    if not any(
        state and state.status in (Status.IN_PROGRESS, Status.ON_HOLD) for state in states_on(referral, offered_on)
    ):
        raise ValidationError({"referral": "Offer group places to accepted referrals that are still open."})
    if row.places.filter(referral=referral).exists():
        raise ValidationError({"referral": f"{referral.reference} already has a place on this programme."})
    held = row.places.exclude(status=GroupPlace.Status.DECLINED).count()
    if held >= row.places_offered:
        raise ValidationError(f"All {row.places_offered} places are offered or taken up.", code="full")
    if waiting_since < referral.received_on:
        raise ValidationError({"waiting_since": "The family cannot join the waiting list before the referral."})
    with acting(actor):
        place = GroupPlace(programme=row, referral=referral, offered_on=offered_on, waiting_since=waiting_since)
        place.full_clean()
        place.save()
    bump_version(row)
    return place


@transaction.atomic
def group_place_respond(
    *, actor, place: GroupPlace, status: str, responded_on: datetime.date, expected_version: int | None = None
) -> GroupPlace:
    """Record that the family took up or declined the place."""
    row = locked(place)
    require(actor, Perm.WORK_WITH_CASES, row.programme.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="group place")
    if status not in (GroupPlace.Status.TAKEN_UP, GroupPlace.Status.DECLINED):
        raise ValidationError({"status": "Choose taken up or declined."})
    if status == GroupPlace.Status.DECLINED and row.sessions_attended.exists():
        raise ValidationError({"status": "The family has attended sessions: the place was taken up."})
    row.status = status
    row.responded_on = responded_on
    with acting(actor):
        row.full_clean()
        row.save()
    bump_version(row)
    return row


def _attendees_check(programme: GroupProgramme, attendees: Sequence[GroupPlace]) -> None:
    for place in attendees:
        if place.programme_id != programme.pk or place.status != GroupPlace.Status.TAKEN_UP:
            raise ValidationError({"attendees": "Only families who took up a place on this programme can attend."})


def _held_on_check(programme: GroupProgramme, held_on: datetime.date) -> None:
    if held_on < programme.starts_on:
        raise ValidationError({"held_on": "The session cannot be before the programme starts."})


@transaction.atomic
def group_session_record(
    *, actor, programme: GroupProgramme, number: int, held_on: datetime.date, attendees: Sequence[GroupPlace]
) -> GroupSession:
    """Record a session of the programme and who attended it."""
    row = locked(programme)
    require(actor, Perm.WORK_WITH_CASES, row.team, CASEWORK_REFUSAL)
    _attendees_check(row, attendees)
    _held_on_check(row, held_on)
    if row.sessions.filter(number=number).exists():
        raise ValidationError({"number": f"Session {number} is already recorded: change it instead."})
    with acting(actor):
        session = GroupSession(programme=row, number=number, held_on=held_on)
        session.full_clean(validate_unique=False)
        session.save()
        session.attendees.set(attendees)
    bump_version(row)
    return session


@transaction.atomic
def group_session_update(
    *, actor, session: GroupSession, expected_version: int | None = None, **changes: Unpack[SessionChanges]
) -> tuple[GroupSession, list[str]]:
    """Correct a session's date or register; returns the session and the names of what changed. The programme's
    version guards against a stale register."""
    programme = locked(session.programme)
    require(actor, Perm.WORK_WITH_CASES, programme.team, CASEWORK_REFUSAL)
    check_version(programme, expected_version, noun="group programme")
    attendees = list(changes.get("attendees", ()))
    _attendees_check(programme, attendees)
    changed = model_update(session, data=changes, fields=["held_on"])
    _held_on_check(programme, session.held_on)
    if "attendees" in changes and {p.pk for p in attendees} != set(session.attendees.values_list("pk", flat=True)):
        changed.append("attendees")
    if not changed:
        return session, []
    with acting(actor):
        session.full_clean(validate_unique=False)
        session.save()
        if "attendees" in changed:
            session.attendees.set(attendees)
    bump_version(programme)
    return session, changed
