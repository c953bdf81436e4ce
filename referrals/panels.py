"""The record page's panel of the family's records over their life: the restriction of processing, if any, with the
service manager's way to place or lift it; the corrections of the family's details with their reasons; and how long
the records are kept. Registered with `referrals.hooks.record_panel_register` in `ReferralsConfig.ready`."""

from django.http import HttpRequest

from pairs.rules import Perm
from referrals.hooks import RecordPanel
from referrals.models import Referral
from referrals.selectors.lifecycle import active_restriction, correction_history, retention_of_referral


def lifecycle_panel_context(referral: Referral, request: HttpRequest) -> dict:
    """Four queries: the restriction in force, the corrections, and the retention date's facts (two)."""
    return {
        "referral": referral,
        "restriction": active_restriction(referral.pk),
        "corrections": correction_history(referral),
        "retention": retention_of_referral(referral),
        "can_manage": request.user.has_perm(Perm.MANAGE_TEAM, referral.team),
    }


LIFECYCLE_PANEL = RecordPanel("referrals/includes/record_lifecycle.html", lifecycle_panel_context)
