"""KPI targets: the catalogue of KPIs with targets, pro-rating to a period, and RAG status (kpis.md)."""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pairs.models import Team
from pairs.periods import Period, service_year_start

# A rate computed from fewer cases than this is "too few to rate".
MINIMUM_BASE_FOR_RATING = 5
AMBER_MARGIN = Decimal("0.10")


@dataclass(frozen=True)
class KpiDefinition:
    id: str
    label: str
    is_rate: bool
    # Annual targets by service year: ((from_year, target), ...); a year takes the entry with the latest from_year
    # not after it. Rates are fractions and are never pro-rated.
    defaults: tuple[tuple[int, Decimal], ...]
    source: str


KPI_DEFINITIONS = (
    KpiDefinition("training_participants", "Training participants", False, ((1, Decimal(240)),), "evaluation report"),
    KpiDefinition("training_sessions", "Training sessions", False, ((1, Decimal(12)),), "evaluation report"),
    KpiDefinition("consultations", "Consultations", False, ((1, Decimal(40)),), "evaluation report"),
    KpiDefinition(
        "families_supported", "Families supported", False, ((1, Decimal(40)), (2, Decimal(60))), "evaluation report"
    ),
    KpiDefinition(
        "outcome_pairing_rate",
        "Completed families with paired outcome measures",
        True,
        ((1, Decimal("0.75")),),
        "evaluation report",
    ),
    KpiDefinition(
        "training_positive_feedback",
        "Training feedback rated positive",
        True,
        ((1, Decimal("0.80")),),
        "local default",
    ),
    KpiDefinition(
        "timeliness_first_contact",
        "First contact within the target days",
        True,
        ((1, Decimal("0.90")),),
        "local default",
    ),
)
KPIS_BY_ID = {kpi.id: kpi for kpi in KPI_DEFINITIONS}


def service_year_number(team: Team, day: datetime.date) -> int | None:
    """1 for the service year that contains the service's start, 2 for the next, ...; None before the service began.

    A team without a recorded start date is treated as established: every year takes its latest target.
    """
    if team.reporting_start is None:
        return 10_000
    first = service_year_start(team.reporting_start, team.year_start_month)
    this = service_year_start(day, team.year_start_month)
    number = this.year - first.year + 1
    return number if number >= 1 else None


def schedule_for(kpi: KpiDefinition, own_entries) -> tuple[tuple[int, Decimal], ...]:
    """The team's own schedule of `kpi` (its KpiTarget entries) when it has one, else the default schedule."""
    return tuple((entry.from_service_year, entry.annual_target) for entry in own_entries) or kpi.defaults


def target_for_year(schedule: tuple[tuple[int, Decimal], ...], year: int | None) -> Decimal | None:
    if year is None:
        return None
    applicable = [target for from_year, target in sorted(schedule) if from_year <= year]
    return applicable[-1] if applicable else None


def prorated_sum(annual_target: Callable[[datetime.date], Decimal | None], period: Period) -> Fraction | None:
    """Sum over the months touched of (that month's annual target / 12) x (share of its days), exact and unrounded:
    in decimals, a third of a month's target loses its last digit, and a sum that ends exactly in .x5 would come out
    below the tie and be rounded down."""
    total = Fraction(0)
    any_target = False
    for month, share in period.month_shares():
        target = annual_target(month)
        if target is not None:
            any_target = True
            total += Fraction(target) / 12 * share
    return total if any_target else None


def round_target(total: Fraction | None) -> float | None:
    """A pro-rated target as kpis.md prints it: to one decimal place, a tie rounded up (targets are never
    negative)."""
    return None if total is None else math.floor(total * 10 + Fraction(1, 2)) / 10


def prorated_target(annual_target: Callable[[datetime.date], Decimal | None], period: Period) -> float | None:
    return round_target(prorated_sum(annual_target, period))


def rag_status(*, actual: float | None, target: float | None, base: int | None = None) -> str:
    """green at or above target, amber within 10% below, red further below (kpis.md, "Targets and RAG")."""
    if target is None:
        return "no_target"
    if base is not None and base < MINIMUM_BASE_FOR_RATING:
        return "too_few"
    if actual is None:
        return "no_target"
    actual_d, target_d = Decimal(str(actual)), Decimal(str(target))
    if actual_d >= target_d:
        return "green"
    if actual_d >= target_d * (1 - AMBER_MARGIN):
        return "amber"
    return "red"
