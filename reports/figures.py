"""Typed report figures and the small-number suppression that commissioner-facing outputs apply to them.

The KPI engine builds its report as a tree of plain dicts holding `Count`, `Rate` and `Statistic` figures, so that
the one function `export()` can print the service's exact return or a commissioner's disclosure-controlled version
of the same tree (kpis.md, "Small-number suppression"; data-contract.md section 2).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pairs.models import DisclosureControl

SUPPRESSED = "*"


@dataclass(frozen=True)
class Count:
    value: int


@dataclass(frozen=True)
class Rate:
    """A fraction between 0 and 1, kept as its counts so that it can be suppressed or recomputed."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return round_half_up(self.numerator / self.denominator, 4) if self.denominator else None


@dataclass(frozen=True)
class Statistic:
    """A mean, median, percentile, p-value or effect size, with the number of cases it rests on."""

    value: float | None
    base: int
    places: int = 2


def round_half_up(value: float, places: int) -> float:
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_to_five(count: int) -> int:
    """The nearest multiple of 5, halves up (12.5 cannot happen with integers; 2.5 goes to 5)."""
    return int(Decimal(count / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5


def is_small(count: int, rule: str) -> bool:
    """Whether a count is too small to publish under the rule."""
    if rule == DisclosureControl.HES:
        return 1 <= count <= 7
    if rule == DisclosureControl.MHSDS:
        return count < 5
    return False


def disclose_count(count: int, rule: str) -> int | str:
    if rule == DisclosureControl.NONE:
        return count
    if is_small(count, rule):
        return SUPPRESSED
    return round_to_five(count)


def disclose_rate(rate: Rate, rule: str) -> float | str | None:
    if rule == DisclosureControl.NONE or rate.denominator == 0:
        return rate.value
    if is_small(rate.numerator, rule) or is_small(rate.denominator, rule):
        return SUPPRESSED
    if rule == DisclosureControl.HES:
        # HES computes published rates from the published (rounded) counts.
        return Rate(round_to_five(rate.numerator), round_to_five(rate.denominator)).value
    return rate.value


def disclose_statistic(statistic: Statistic, rule: str) -> float | str | None:
    if statistic.value is None:
        return None
    if rule != DisclosureControl.NONE and is_small(statistic.base, rule):
        return SUPPRESSED
    return round_half_up(statistic.value, statistic.places)


def export(tree: Any, rule: str | None = None) -> Any:
    """The JSON-ready form of a report tree: exact when `rule` is None, else under that disclosure-control rule."""
    if isinstance(tree, dict):
        return {key: export(value, rule) for key, value in tree.items()}
    if isinstance(tree, list | tuple):
        return [export(value, rule) for value in tree]
    if isinstance(tree, Count):
        return tree.value if rule is None else disclose_count(tree.value, rule)
    if isinstance(tree, Rate):
        return tree.value if rule is None else disclose_rate(tree, rule)
    if isinstance(tree, Statistic):
        if tree.value is None:
            return None
        return round_half_up(tree.value, tree.places) if rule is None else disclose_statistic(tree, rule)
    return tree
