"""The KPI figures as a person may see them: every page and download that shows KPIs reads them through here."""

from functools import reduce
from operator import getitem

from pairs.models import Team
from pairs.periods import Period
from reports.kpis import kpi_export
from reports.targets import KPIS_BY_ID


def kpi_figures(*, user, team: Team, period: Period) -> dict:
    """The period's figures (data-contract.md section 2): exact for the service, under the team's
    disclosure-control rule for anyone else (commissioners)."""
    exact = user.has_perm("reports.view_exact_figures", team)
    return kpi_export(teams=[team], period=period, commissioner=not exact)


# Where in the figures each rate KPI finds the count it is a share of, shown beside it ("93.3%: 112 of 120").
RATE_BASES = {
    "outcome_pairing_rate": ("outcomes", "completed"),
    "training_positive_feedback": ("training", "feedback_returned"),
    "timeliness_first_contact": ("referrals", "timeliness", "with_first_contact"),
}


def kpi_table(figures: dict) -> list[dict]:
    """The KPIs of `figures` in the published order, each with its label, whether it is a rate, and a rate's base
    (under the same disclosure control as the figures)."""
    return [
        {
            **entry,
            "label": KPIS_BY_ID[entry["id"]].label,
            "is_rate": KPIS_BY_ID[entry["id"]].is_rate,
            "base": reduce(getitem, RATE_BASES[entry["id"]], figures) if entry["id"] in RATE_BASES else None,
        }
        for entry in figures["kpis"]
    ]
