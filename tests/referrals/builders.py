"""Building referrals for tests: brought to a state through the services (the only way to move one), and dates
posted as the NHS.UK three boxes. Used by the referrals tests and the browser tests."""

import datetime
from functools import partial

from django.utils import timezone

from referrals import services
from referrals.models import DeclineReason, DisengagementReason, HoldReason, Intervention
from referrals.pipeline import EventKind, Stage, State, Status
from tests.factories import AppointmentFactory, CaregiverFactory, InfantFactory, ReferralFactory

TODAY = timezone.localdate()
# Every move of a path is dated one day after the last, from a referral received this many days ago.
RECEIVED_DAYS_AGO = 40


def date_data(name: str, value: datetime.date) -> dict:
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def reason(model, code: str = "other"):
    return model.objects.get(code=code)


# The moves with more to them have their own services; the others are `referral_move` of their kind.
OWN_SERVICES = {
    EventKind.ACCEPTED: services.referral_accept,
    EventKind.INTERVENTION_STARTED: services.intervention_start,
    EventKind.COMPLETED: services.referral_complete,
}


def move_service(kind: EventKind):
    """The service that makes a move of `kind`."""
    return OWN_SERVICES.get(kind) or partial(services.referral_move, kind=kind)


def _move(kind: EventKind):
    """A step of a path: the service to call and its extra arguments."""
    extras = {
        EventKind.NOT_ACCEPTED: lambda: {"reason": reason(DeclineReason, "outside_area")},
        EventKind.DISENGAGED: lambda: {"reason": reason(DisengagementReason, "not_ready")},
        EventKind.ON_HOLD: lambda: {"reason": reason(HoldReason, "family_request")},
        EventKind.INTERVENTION_STARTED: lambda: {"intervention": Intervention.objects.get(code="vig")},
    }
    return move_service(kind), extras.get(kind, dict)


# How to reach every state from a new referral.
PATHS = {
    State(Status.AWAITING_DECISION, Stage.REFERRAL): [],
    State(Status.NOT_ACCEPTED, Stage.REFERRAL): [EventKind.NOT_ACCEPTED],
    State(Status.IN_PROGRESS, Stage.REFERRAL): [EventKind.ACCEPTED],
    State(Status.IN_PROGRESS, Stage.ASSESSMENT): [EventKind.ACCEPTED, EventKind.ASSESSMENT_STARTED],
    State(Status.IN_PROGRESS, Stage.INTERVENTION): [
        EventKind.ACCEPTED,
        EventKind.ASSESSMENT_STARTED,
        EventKind.INTERVENTION_STARTED,
    ],
    State(Status.ON_HOLD, Stage.REFERRAL): [EventKind.ACCEPTED, EventKind.ON_HOLD],
    State(Status.ON_HOLD, Stage.ASSESSMENT): [EventKind.ACCEPTED, EventKind.ASSESSMENT_STARTED, EventKind.ON_HOLD],
    State(Status.ON_HOLD, Stage.INTERVENTION): [
        EventKind.ACCEPTED,
        EventKind.ASSESSMENT_STARTED,
        EventKind.INTERVENTION_STARTED,
        EventKind.ON_HOLD,
    ],
    State(Status.DISENGAGED_AT_REFERRAL, Stage.REFERRAL): [EventKind.ACCEPTED, EventKind.DISENGAGED],
    State(Status.DISENGAGED_AT_ASSESSMENT, Stage.ASSESSMENT): [
        EventKind.ACCEPTED,
        EventKind.ASSESSMENT_STARTED,
        EventKind.DISENGAGED,
    ],
    State(Status.DISENGAGED_DURING_INTERVENTION, Stage.INTERVENTION): [
        EventKind.ACCEPTED,
        EventKind.ASSESSMENT_STARTED,
        EventKind.INTERVENTION_STARTED,
        EventKind.DISENGAGED,
    ],
    State(Status.COMPLETED, Stage.INTERVENTION): [
        EventKind.ACCEPTED,
        EventKind.ASSESSMENT_STARTED,
        EventKind.INTERVENTION_STARTED,
        EventKind.COMPLETED,
    ],
}


def make_referral(*, team, actor, state: State | None = None, received_on: datetime.date | None = None, **fields):
    """A referral with a caregiver and an infant, brought to `state` through the services, one day per move."""
    received_on = received_on or TODAY - datetime.timedelta(days=RECEIVED_DAYS_AGO)
    referral = ReferralFactory.create(team=team, created_by=actor, received_on=received_on, **fields)
    CaregiverFactory(referral=referral)
    InfantFactory(referral=referral)
    day = received_on
    for kind in PATHS[state or State(Status.AWAITING_DECISION, Stage.REFERRAL)]:
        day += datetime.timedelta(days=1)
        service, extras = _move(kind)
        service(referral=referral, actor=actor, occurred_on=day, **extras())
    referral.refresh_from_db()
    return referral


def add_referrals(team, actor, count: int):
    """`count` referrals in assessment, held by `actor`, each with an appointment booked."""
    for _ in range(count):
        referral = make_referral(team=team, actor=actor, state=State(Status.IN_PROGRESS, Stage.ASSESSMENT))
        referral.assigned_practitioner = actor
        referral.save()
        AppointmentFactory(referral=referral, practitioner=actor)
