"""Building referrals for tests: brought to a state through the services (the only way to move one), and dates
posted as the NHS.UK three boxes. Used by the referrals tests and the browser tests."""

import datetime

from django.utils import timezone

from referrals import services
from referrals.models import DeclineReason, DisengagementReason, HoldReason, Intervention
from referrals.pipeline import Stage, State, Status
from tests.factories import CaregiverFactory, InfantFactory, ReferralFactory

TODAY = timezone.localdate()
# Every move of a path is dated one day after the last, from a referral received this many days ago.
RECEIVED_DAYS_AGO = 40


def date_data(name: str, value: datetime.date) -> dict:
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def reason(model, code: str = "other"):
    return model.objects.get(code=code)


def _move(name: str):
    """A step of a path: the service to call and its extra arguments."""
    extras = {
        "referral_decline": lambda: {"reason": reason(DeclineReason, "outside_area")},
        "referral_disengage": lambda: {"reason": reason(DisengagementReason, "not_ready")},
        "referral_hold": lambda: {"reason": reason(HoldReason, "family_request")},
        "intervention_start": lambda: {"intervention": Intervention.objects.get(code="vig")},
    }
    return name, extras.get(name, dict)


# How to reach every state from a new referral.
PATHS = {
    State(Status.AWAITING_DECISION, Stage.REFERRAL): [],
    State(Status.NOT_ACCEPTED, Stage.REFERRAL): ["referral_decline"],
    State(Status.IN_PROGRESS, Stage.REFERRAL): ["referral_accept"],
    State(Status.IN_PROGRESS, Stage.ASSESSMENT): ["referral_accept", "assessment_start"],
    State(Status.IN_PROGRESS, Stage.INTERVENTION): ["referral_accept", "assessment_start", "intervention_start"],
    State(Status.ON_HOLD, Stage.REFERRAL): ["referral_accept", "referral_hold"],
    State(Status.ON_HOLD, Stage.ASSESSMENT): ["referral_accept", "assessment_start", "referral_hold"],
    State(Status.ON_HOLD, Stage.INTERVENTION): [
        "referral_accept",
        "assessment_start",
        "intervention_start",
        "referral_hold",
    ],
    State(Status.DISENGAGED_AT_REFERRAL, Stage.REFERRAL): ["referral_accept", "referral_disengage"],
    State(Status.DISENGAGED_AT_ASSESSMENT, Stage.ASSESSMENT): [
        "referral_accept",
        "assessment_start",
        "referral_disengage",
    ],
    State(Status.DISENGAGED_DURING_INTERVENTION, Stage.INTERVENTION): [
        "referral_accept",
        "assessment_start",
        "intervention_start",
        "referral_disengage",
    ],
    State(Status.COMPLETED, Stage.INTERVENTION): [
        "referral_accept",
        "assessment_start",
        "intervention_start",
        "referral_complete",
    ],
}


def make_referral(*, team, actor, state: State | None = None, received_on: datetime.date | None = None, **fields):
    """A referral with a caregiver and an infant, brought to `state` through the services, one day per move."""
    received_on = received_on or TODAY - datetime.timedelta(days=RECEIVED_DAYS_AGO)
    referral = ReferralFactory.create(team=team, created_by=actor, received_on=received_on, **fields)
    CaregiverFactory(referral=referral)
    InfantFactory(referral=referral)
    day = received_on
    for name in PATHS[state or State(Status.AWAITING_DECISION, Stage.REFERRAL)]:
        day += datetime.timedelta(days=1)
        service_name, extras = _move(name)
        getattr(services, service_name)(referral=referral, actor=actor, occurred_on=day, **extras())
    referral.refresh_from_db()
    return referral
