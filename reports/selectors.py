"""The KPI figures as a person may see them: every page and download that shows KPIs reads them through here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import getitem

from pairs.models import Team
from pairs.periods import Period
from reports.kpis import kpi_export
from reports.models import KpiTarget
from reports.targets import KPI_DEFINITIONS, KPIS_BY_ID, KpiDefinition, service_year_number, target_for_year


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


@dataclass(frozen=True)
class TargetLine:
    """One KPI's targets for a team: the annual target of the service year shown, and the team's own entries
    (none when it follows the default schedule)."""

    kpi: KpiDefinition
    this_year: Decimal | None
    own_entries: list[KpiTarget]


def kpi_target_lines(*, team: Team, day: datetime.date) -> tuple[int | None, list[TargetLine]]:
    """The number of the service year containing `day` (None for a team without a start date, whose KPIs take
    their latest target), and each KPI's targets for the team: one query."""
    year = service_year_number(team, day)
    own = {}
    for target in KpiTarget.objects.filter(team=team).order_by("from_service_year"):
        own.setdefault(target.kpi, []).append(target)
    lines = []
    for kpi in KPI_DEFINITIONS:
        entries = own.get(kpi.id, [])
        schedule = tuple((entry.from_service_year, entry.annual_target) for entry in entries) or kpi.defaults
        lines.append(TargetLine(kpi=kpi, this_year=target_for_year(schedule, year), own_entries=entries))
    return (year if team.service_started_on else None), lines
