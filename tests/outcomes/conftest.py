"""Referrals at the stages the outcome prompts depend on, moved there by the referrals services."""

import datetime

import pytest
from django.utils import timezone

from referrals import services as referral_services
from tests.factories import CaregiverFactory, ReferralFactory


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def make_referral(*, team, actor, caregivers: int = 1, stage: str = "intervention", received_days_ago: int = 120):
    """A referral of `team` with its caregivers, accepted and moved to `stage` (`referral`, `intervention`,
    `completed`) by `actor`."""
    referral = ReferralFactory.create(team=team, created_by=actor, received_on=days_ago(received_days_ago))
    for position in range(1, caregivers + 1):
        CaregiverFactory(referral=referral, position=position)
    referral_services.referral_accept(referral=referral, actor=actor, occurred_on=days_ago(received_days_ago - 5))
    if stage in ("intervention", "completed"):
        referral_services.intervention_start(
            referral=referral, actor=actor, occurred_on=days_ago(received_days_ago - 10)
        )
    if stage == "completed":
        referral_services.referral_complete(referral=referral, actor=actor, occurred_on=days_ago(1))
    referral.refresh_from_db()
    return referral


@pytest.fixture
def referral(team_a, practitioner):
    return make_referral(team=team_a, actor=practitioner)
