"""What the casework services share: the permission and version checks, and the rules on who holds a case."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.models import Role, Team
from pairs.rules import require
from referrals.models import (
    Referral,
)
from referrals.pipeline import Stage, State, Status

STALE_MESSAGE = (
    "Someone else changed this {noun} after you opened the form, so your changes have not been saved. "
    "Check the record as it is now and make your changes again."
)


def _require(actor, permission: str, team: Team) -> None:
    require(actor, permission, team, "You do not have permission to change referrals in this team.")


def _check_version(instance, expected_version: int | None, noun: str) -> None:
    if expected_version is not None and instance.version != expected_version:
        raise ValidationError(STALE_MESSAGE.format(noun=noun), code="stale")


def _locked(instance):
    """The row as it is now, locked until the transaction ends, so that two writers cannot interleave."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _bump(instance) -> None:
    """One more on the version of a row read with `_locked()` (or created in this transaction): no one else can
    have changed it meanwhile, so the count is done here rather than in the database."""
    instance.version += 1
    instance.save(update_fields=["version"])


def referral_state(referral: Referral) -> State | None:
    """The state left by the referral's latest event (None before its first)."""
    latest = referral.events.order_by("-occurred_on", "-sequence").values("status", "stage", "occurred_on").first()
    if latest is None:
        return None
    return State(Status(latest["status"]), Stage(latest["stage"]))


def _check_clinical_member(user, team: Team, field: str) -> None:
    if not user.memberships.filter(team=team, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]).exists():
        raise ValidationError({field: "Choose a practitioner or service manager of this team."})


def _require_open(referral: Referral, doing: str) -> None:
    state = referral_state(referral)
    if state is None or state.is_closed:
        label = state.status.label.lower() if state else "not yet received"
        raise ValidationError(f"You cannot {doing} for a referral that is {label}. Reopen it first.", code="closed")


def _first_contact_check(referral: Referral) -> None:
    if referral.first_contact_on is None:
        return
    if referral.first_contact_on > timezone.localdate():
        raise ValidationError({"first_contact_on": "The date of first contact cannot be in the future."})
    if referral.first_contact_on < referral.received_on:
        raise ValidationError({"first_contact_on": "The date of first contact cannot be before the referral."})
