"""Template tags for showing outcome measures on other apps' pages.

- `{% outcomes_panel referral %}`: the outcomes panel of a referral record (`outcomes/_panel.html`).
- `{% include "outcomes/_alerts.html" %}`: the safety alerts still open in the team, for the manager's home page.
"""

from django import template

from outcomes.panels import outcomes_panel_context
from outcomes.registry import Verdict
from outcomes.selectors import open_alerts
from pairs.rules import Perm, has_team_perm

register = template.Library()

VERDICT_TAGS = {
    Verdict.IMPROVED: "nhsuk-tag--green",
    Verdict.NO_CHANGE: "nhsuk-tag--grey",
    Verdict.DETERIORATED: "nhsuk-tag--red",
}


@register.inclusion_tag("outcomes/_panel.html", takes_context=True)
def outcomes_panel(context, referral, standalone: bool = False):
    """The panel; `standalone` when it is the page's main content, so that its headings follow the page's h1."""
    request = context["request"]
    panel = outcomes_panel_context(referral, user=request.user, team=request.team)
    return {**panel, "request": request, "standalone": standalone, "section_heading": "h2" if standalone else "h3"}


@register.simple_tag(takes_context=True)
def team_safety_alerts(context) -> list:
    request = context["request"]
    if not has_team_perm(request.user, Perm.WORK_WITH_CASES, request.team):
        return []
    return list(open_alerts(user=request.user, team=request.team))


@register.filter
def verdict_tag(verdict) -> str:
    return VERDICT_TAGS.get(verdict, "nhsuk-tag--grey")
