"""Group programmes: creating a run, offering and answering places, recording sessions."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from pairs.audit import acting
from pairs.models import Team
from referrals import pipeline
from referrals.models import (
    GroupPlace,
    GroupProgramme,
    GroupSession,
    Intervention,
    Referral,
)
from referrals.pipeline import Status
from referrals.services.common import _bump, _check_clinical_member, _check_version, _locked, _require, referral_state


@transaction.atomic
def group_programme_create(
    *,
    team: Team,
    actor,
    intervention: Intervention,
    title: str,
    starts_on: datetime.date,
    places_offered: int,
    sessions_planned: int,
    venue: str = "",
    facilitators: Iterable = (),
) -> GroupProgramme:
    _require(actor, pipeline.WORK_WITH_CASES, team)
    facilitators = list(facilitators)
    for facilitator in facilitators:
        _check_clinical_member(facilitator, team, "facilitators")
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
    programme: GroupProgramme,
    referral: Referral,
    actor,
    offered_on: datetime.date,
    waiting_since: datetime.date,
) -> GroupPlace:
    locked = _locked(programme)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    if referral.team_id != locked.team_id:
        raise ValidationError({"referral": "The referral belongs to another team."})
    state = referral_state(referral)
    if state is None or state.status not in (Status.IN_PROGRESS, Status.ON_HOLD):
        raise ValidationError({"referral": "Offer group places to accepted referrals that are still open."})
    if locked.places.filter(referral=referral).exists():
        raise ValidationError({"referral": f"{referral.reference} already has a place on this programme."})
    held = locked.places.exclude(status=GroupPlace.Status.DECLINED).count()
    if held >= locked.places_offered:
        raise ValidationError(f"All {locked.places_offered} places are offered or taken up.", code="full")
    if waiting_since < referral.received_on:
        raise ValidationError({"waiting_since": "The family cannot join the waiting list before the referral."})
    with acting(actor):
        place = GroupPlace(programme=locked, referral=referral, offered_on=offered_on, waiting_since=waiting_since)
        place.full_clean()
        place.save()
        _bump(locked)
    return place


@transaction.atomic
def group_place_respond(
    *, place: GroupPlace, actor, status: str, responded_on: datetime.date, expected_version: int
) -> GroupPlace:
    """Record that the family took up or declined the place."""
    locked = _locked(place)
    _require(actor, pipeline.WORK_WITH_CASES, locked.programme.team)
    _check_version(locked, expected_version, "group place")
    if status not in (GroupPlace.Status.TAKEN_UP, GroupPlace.Status.DECLINED):
        raise ValidationError({"status": "Choose taken up or declined."})
    if status == GroupPlace.Status.DECLINED and locked.sessions_attended.exists():
        raise ValidationError({"status": "The family has attended sessions: the place was taken up."})
    locked.status = status
    locked.responded_on = responded_on
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    return locked


def _attendees_check(programme: GroupProgramme, attendees: Sequence[GroupPlace]) -> None:
    for place in attendees:
        if place.programme_id != programme.pk or place.status != GroupPlace.Status.TAKEN_UP:
            raise ValidationError({"attendees": "Only families who took up a place on this programme can attend."})


@transaction.atomic
def group_session_record(
    *, programme: GroupProgramme, actor, number: int, held_on: datetime.date, attendees: Sequence[GroupPlace]
) -> GroupSession:
    """Record a session of the programme and who attended it."""
    locked = _locked(programme)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    _attendees_check(locked, attendees)
    if held_on < locked.starts_on:
        raise ValidationError({"held_on": "The session cannot be before the programme starts."})
    if locked.sessions.filter(number=number).exists():
        raise ValidationError({"number": f"Session {number} is already recorded: change it instead."})
    with acting(actor):
        session = GroupSession(programme=locked, number=number, held_on=held_on)
        session.full_clean(validate_unique=False)
        session.save()
        session.attendees.set(attendees)
        _bump(locked)
    return session


@transaction.atomic
def group_session_update(
    *, session: GroupSession, actor, expected_version: int, held_on: datetime.date, attendees: Sequence[GroupPlace]
) -> GroupSession:
    """Correct a session's date or attendance. The programme's version guards against a stale register."""
    programme = _locked(session.programme)
    _require(actor, pipeline.WORK_WITH_CASES, programme.team)
    _check_version(programme, expected_version, "group programme")
    _attendees_check(programme, attendees)
    if held_on < programme.starts_on:
        raise ValidationError({"held_on": "The session cannot be before the programme starts."})
    with acting(actor):
        session.held_on = held_on
        session.full_clean(validate_unique=False)
        session.save()
        session.attendees.set(attendees)
        _bump(programme)
    return session
