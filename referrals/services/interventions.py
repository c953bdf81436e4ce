"""Intervention episodes of a referral."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from pairs.audit import acting
from referrals import pipeline
from referrals.models import (
    Intervention,
    InterventionEpisode,
    Referral,
)
from referrals.pipeline import EventKind
from referrals.services.common import _check_version, _locked, _require


@transaction.atomic
def intervention_episode_create(
    *, referral: Referral, actor, intervention: Intervention, started_on: datetime.date
) -> InterventionEpisode:
    """Add an intervention to a referral that has begun intervention (the first comes with `intervention_start`).

    A closed referral may still gain episodes dated from the start of its intervention stage: imports and late
    data entry.
    """
    _require(actor, pipeline.WORK_WITH_CASES, referral.team)
    began = (
        referral.events.filter(kind=EventKind.INTERVENTION_STARTED)
        .order_by("occurred_on", "sequence")
        .values_list("occurred_on", flat=True)
        .first()
    )
    if began is None:
        raise ValidationError("Start the intervention stage before adding interventions.", code="stage")
    if started_on < began:
        raise ValidationError(
            {"started_on": f"The start date cannot be before the intervention stage began, on {began:%-d %B %Y}."}
        )
    with acting(actor):
        episode = InterventionEpisode(referral=referral, intervention=intervention, started_on=started_on)
        episode.full_clean()
        episode.save()
    return episode


@transaction.atomic
def intervention_episode_update(
    *,
    episode: InterventionEpisode,
    actor,
    expected_version: int,
    ended_on: datetime.date | None,
    sessions_attended: int | None,
) -> InterventionEpisode:
    locked = _locked(episode)
    _require(actor, pipeline.WORK_WITH_CASES, locked.referral.team)
    _check_version(locked, expected_version, "intervention")
    locked.ended_on = ended_on
    locked.sessions_attended = sessions_attended
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    return locked
