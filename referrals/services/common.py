"""What the casework services share: the refusal of people outside the clinical team, and the rules on who holds a
case, on an open referral and on the date of first contact."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.models import Role, Team
from referrals.models import Referral
from referrals.selectors import referral_state

CASEWORK_REFUSAL = "You do not have permission to change referrals in this team."


def check_clinical_member(user, team: Team, field: str) -> None:
    if not user.memberships.filter(team=team, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]).exists():
        raise ValidationError({field: "Choose a practitioner or service manager of this team."})


def require_open(referral: Referral, doing: str) -> None:
    state = referral_state(referral)
    if state is None or state.is_closed:
        label = state.status.label.lower() if state else "not yet received"
        raise ValidationError(f"You cannot {doing} for a referral that is {label}. Reopen it first.", code="closed")


def first_contact_check(referral: Referral) -> None:
    if referral.first_contact_on is None:
        return
    if referral.first_contact_on > timezone.localdate():
        raise ValidationError({"first_contact_on": "The date of first contact cannot be in the future."})
    if referral.first_contact_on < referral.received_on:
        raise ValidationError({"first_contact_on": "The date of first contact cannot be before the referral."})
