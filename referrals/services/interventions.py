"""Intervention episodes of a referral."""

import datetime
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked, model_update
from pairs.rules import Perm, require
from referrals.models import Intervention, InterventionEpisode, Referral
from referrals.pipeline import EventKind
from referrals.services.common import CASEWORK_REFUSAL


class EpisodeChanges(TypedDict, total=False):
    """What `intervention_episode_update` changes: how the episode ended, either or both."""

    ended_on: datetime.date | None
    sessions_attended: int | None


@transaction.atomic
def intervention_episode_create(
    *, actor, referral: Referral, intervention: Intervention, started_on: datetime.date
) -> InterventionEpisode:
    """Add an intervention to a referral that has begun intervention (the first comes with `intervention_start`).

    A closed referral may still gain episodes dated from the start of its intervention stage: imports and late
    data entry.
    """
    require(actor, Perm.WORK_WITH_CASES, referral.team, CASEWORK_REFUSAL)
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
    *, actor, episode: InterventionEpisode, expected_version: int | None = None, **changes: Unpack[EpisodeChanges]
) -> tuple[InterventionEpisode, list[str]]:
    """Record how the episode ended; returns the episode and the names of what changed."""
    row = locked(episode)
    require(actor, Perm.WORK_WITH_CASES, row.referral.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="intervention")
    changed = model_update(row, data=changes, fields=EpisodeChanges.__annotations__)
    if not changed:
        return row, []
    with acting(actor):
        row.full_clean()
        row.save()
    bump_version(row)
    return row, changed
