"""The KPI figures as a person may see them: every page and download that shows KPIs reads them through here."""

from pairs.models import Team
from pairs.periods import Period
from reports.kpis import kpi_export
from reports.targets import KPIS_BY_ID


def kpi_figures(*, user, team: Team, period: Period) -> dict:
    """The period's figures (data-contract.md section 2): exact for the service, under the team's
    disclosure-control rule for anyone else (commissioners)."""
    exact = user.has_perm("reports.view_exact_figures", team)
    return kpi_export(teams=[team], period=period, commissioner=not exact)


def kpi_table(figures: dict) -> list[dict]:
    """The KPIs of `figures` in the published order, each with its label and whether it is a rate."""
    return [
        {**entry, "label": KPIS_BY_ID[entry["id"]].label, "is_rate": KPIS_BY_ID[entry["id"]].is_rate}
        for entry in figures["kpis"]
    ]
