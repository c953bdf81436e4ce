"""The KPI figures as a person may see them: every page and download that shows KPIs reads them through here."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import getitem

from pairs.cohorts import Cohort
from pairs.models import Team
from pairs.periods import Period
from pairs.rules import Perm, has_team_perm
from reports.kpis import RATE_BASES, kpi_export, kpi_headline_exports
from reports.models import KpiTarget
from reports.targets import (
    KPI_DEFINITIONS,
    KPIS_BY_ID,
    KpiDefinition,
    schedule_for,
    service_year_number,
    target_for_year,
)


def kpi_figures(*, user, team: Team, period: Period, headline: bool = False) -> dict:
    """The period's figures (data-contract.md section 2; with `headline`, only the KPIs and the figures they are
    made of): exact for the service, under the team's disclosure-control rule for anyone else (commissioners)."""
    exact = has_team_perm(user, Perm.VIEW_EXACT_FIGURES, team)
    return kpi_export(teams=[team], period=period, commissioner=not exact, headline=headline)


def kpi_headline_figures(*, user, cohorts: Sequence[Cohort]) -> list[dict]:
    """`kpi_figures(headline=True)` of each cohort (which must share no referral: `kpi_headlines`), in their order,
    together: exact where the person sees every team of the cohort exactly, else under the teams' rule."""
    commissioner = [
        not all(has_team_perm(user, Perm.VIEW_EXACT_FIGURES, team) for team in cohort.teams) for cohort in cohorts
    ]
    return kpi_headline_exports(cohorts=cohorts, commissioner=commissioner)


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

    @property
    def source(self) -> str:
        if self.own_entries:
            return "The team"
        if self.kpi.source == "evaluation report":
            return "Default, from the evaluation report"
        return "Local default, to agree with the commissioner"


def kpi_target_lines(*, team: Team, day: datetime.date) -> tuple[int | None, list[TargetLine]]:
    """The number of the service year containing `day` (None for a team without a start date, whose KPIs take
    their latest target), and each KPI's targets for the team: one query."""
    year = service_year_number(team, day)
    own = KpiTarget.objects.filter(team=team).by_team_and_kpi()
    lines = []
    for kpi in KPI_DEFINITIONS:
        entries = own.get((team.pk, kpi.id), [])
        this_year = target_for_year(schedule_for(kpi, entries), year)
        lines.append(TargetLine(kpi=kpi, this_year=this_year, own_entries=entries))
    return (year if team.reporting_start else None), lines
