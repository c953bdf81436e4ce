"""The record page's parts about the family's records over their life: the notice at the top of a restricted
referral, and the section with the restriction, the corrections of the family's details and how long the records
are kept."""

from django import template

from pairs.rules import Perm, has_team_perm
from referrals.selectors.lifecycle import active_restriction, correction_history, retention_of_record

register = template.Library()


@register.inclusion_tag("referrals/includes/restriction_banner.html")
def restriction_banner(referral) -> dict:
    """One query (kept for the section below): the referral's restriction in force, shown as an NHS.UK warning
    callout when there is one."""
    return {"restriction": active_restriction(referral)}


@register.inclusion_tag("referrals/includes/record_lifecycle.html", takes_context=True)
def record_lifecycle(context, referral) -> dict:
    """One query, the corrections: the restriction was read for the notice, the retention date's facts are the
    record page's own."""
    user = context["request"].user
    return {
        "referral": referral,
        "restriction": active_restriction(referral),
        "corrections": correction_history(referral),
        "retention": retention_of_record(referral),
        "can_manage": has_team_perm(user, Perm.MANAGE_TEAM, referral.team),
    }
