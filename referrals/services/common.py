"""What the casework services share: the refusal of people outside the clinical team, and the rules on who holds a
case, on an open referral and on the date of first contact."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.models import Role, Team
from referrals.models import Referral
from referrals.pipeline import Stage, State, Status

CASEWORK_REFUSAL = "You do not have permission to change referrals in this team."


def check_clinical_member(user, team: Team, field: str) -> None:
    if not user.memberships.filter(team=team, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]).exists():
        raise ValidationError({field: "Choose a practitioner or service manager of this team."})


def states_on(referral: Referral, day: datetime.date) -> tuple[State | None, State | None]:
    """The referral's state as `day` began and as it ended (None before its receipt). A booking or an offer dated
    in the past is judged by its own day, so that a referral closed since can still gain the appointments and
    places it had while open: imports and late data entry, as for intervention episodes."""
    events = referral.events.filter(occurred_on__lte=day).order_by("-occurred_on", "-sequence")
    began = ended = None
    for index, (occurred_on, status, stage) in enumerate(events.values_list("occurred_on", "status", "stage")):
        state = State(Status(status), Stage(stage))
        if index == 0:
            ended = state
        if occurred_on < day:
            began = state
            break
    return began, ended


def require_open(referral: Referral, doing: str, *, on: datetime.date) -> None:
    began, ended = states_on(referral, on)
    if any(state is not None and not state.is_closed for state in (began, ended)):
        return
    label = ended.status.label.lower() if ended else "not yet received"
    raise ValidationError(f"You cannot {doing} for a referral that is {label}. Reopen it first.", code="closed")


def first_contact_check(referral: Referral) -> None:
    if referral.first_contact_on is None:
        return
    if referral.first_contact_on > timezone.localdate():
        raise ValidationError({"first_contact_on": "The date of first contact cannot be in the future."})
    if referral.first_contact_on < referral.received_on:
        raise ValidationError({"first_contact_on": "The date of first contact cannot be before the referral."})
