"""The notice at the top of a restricted referral's pages."""

from django import template

from referrals.selectors.lifecycle import active_restriction

register = template.Library()


@register.inclusion_tag("referrals/includes/restriction_banner.html")
def restriction_banner(referral) -> dict:
    """One query: the referral's restriction in force, shown as an NHS.UK warning callout when there is one."""
    return {"restriction": active_restriction(referral.pk)}
