"""Writes of the reports app: a team's own KPI targets."""

from decimal import Decimal

from django.db import transaction

from pairs.audit import acting
from pairs.models import Team
from pairs.rules import Perm, require
from reports.models import KpiTarget


def _require_manager(actor, team: Team) -> None:
    require(actor, Perm.MANAGE_TEAM, team, "Only the team's service manager can change its targets.")


@transaction.atomic
def kpi_target_set(*, team: Team, actor, kpi: str, from_service_year: int, annual_target: Decimal) -> KpiTarget:
    """The team's annual target for `kpi` from `from_service_year` until a later entry, replacing the team's
    entry for that year if there is one. Rates are fractions (0.75 for 75%)."""
    _require_manager(actor, team)
    target = KpiTarget.objects.select_for_update().filter(
        team=team, kpi=kpi, from_service_year=from_service_year
    ).first() or KpiTarget(team=team, kpi=kpi, from_service_year=from_service_year)
    target.annual_target = annual_target
    with acting(actor):
        target.full_clean()
        target.save()
    return target


@transaction.atomic
def kpi_target_remove(*, target: KpiTarget, actor) -> None:
    """Remove one of the team's entries; without any, the KPI follows the default schedule again."""
    _require_manager(actor, target.team)
    with acting(actor):
        target.delete()
