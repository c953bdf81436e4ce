from django import template

from pairs.rules import Perm, has_team_perm
from reports.pdf.pages import last_ended_quarter, pdf_links, quarterly_page_href
from reports.presenters.period import PeriodChoice

register = template.Library()


@register.inclusion_tag("reports/pdf/_links.html", takes_context=True)
def pdf_downloads(context, choice: PeriodChoice) -> dict:
    """The links to the PDFs of the period a page shows, for the team worked in."""
    request = context["request"]
    team, user = request.team, request.user
    quarter = choice.period if "-q" in choice.period.key else last_ended_quarter(team, choice.today)
    return {
        "links": pdf_links(team=team, period=choice.period, exact=has_team_perm(user, Perm.VIEW_EXACT_FIGURES, team)),
        "can_manage": has_team_perm(user, Perm.MANAGE_TEAM, team),
        "quarterly_href": quarterly_page_href(quarter),
    }
