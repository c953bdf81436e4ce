"""Typed report figures and the small-number suppression that commissioner-facing outputs apply to them.

The KPI engine builds its report as a tree of plain dicts holding `Count`, `Rate`, `Statistic`, `Scaled` and
`KpiStatus` figures, so that the one function `export()` can print the service's exact return or a commissioner's
disclosure-controlled version of the same tree (kpis.md, "Small-number suppression"; data-contract.md section 2).
A rule is a `reports.disclosure.DisclosureRule` (one team's, or the combination for a set of teams) or its name.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from reports.disclosure import DisclosureRule

SUPPRESSED = "*"

Rule = str | DisclosureRule


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


@dataclass(frozen=True)
class Scaled:
    """A count times a known factor (accepted referrals a year, their share of births): it discloses as much as the
    count, so it is suppressed with it and, where rates come from rounded counts, computed from the rounded count."""

    count: int
    factor: Fraction | None
    places: int

    @property
    def value(self) -> float | None:
        return self.of(self.count)

    def of(self, count: int) -> float | None:
        return None if self.factor is None else round_half_up(float(count * self.factor), self.places)


@dataclass(frozen=True)
class KpiStatus:
    """A KPI's RAG status, worked out from the exact figures it judges. A commissioner sees it only where those
    figures are shown: "below target" beside a hidden count tells how small the count is (kpis.md)."""

    value: str
    judges: tuple


def round_half_up(value: float, places: int) -> float:
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_to_five(count: int) -> int:
    """The nearest multiple of 5, halves up (12.5 cannot happen with integers; 2.5 goes to 5)."""
    return int(Decimal(count / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5


def is_small(count: int, rule: Rule) -> bool:
    """Whether a count is too small to publish under the rule."""
    return DisclosureRule.named(rule).is_small(count)


def disclose_count(count: int, rule: Rule) -> int | str:
    rule = DisclosureRule.named(rule)
    if rule.is_exact:
        return count
    if rule.is_small(count):
        return SUPPRESSED
    return round_to_five(count)


def disclose_rate(rate: Rate, rule: Rule) -> float | str | None:
    rule = DisclosureRule.named(rule)
    if rule.is_exact or rate.denominator == 0:
        return rate.value
    if rule.is_small(rate.numerator) or rule.is_small(rate.denominator):
        return SUPPRESSED
    if rule.rates_from_rounded_counts:
        return Rate(round_to_five(rate.numerator), round_to_five(rate.denominator)).value
    return rate.value


def disclose_statistic(statistic: Statistic, rule: Rule) -> float | str | None:
    if statistic.value is None:
        return None
    if DisclosureRule.named(rule).is_small(statistic.base):
        return SUPPRESSED
    return round_half_up(statistic.value, statistic.places)


def disclose_scaled(scaled: Scaled, rule: Rule) -> float | str | None:
    rule = DisclosureRule.named(rule)
    if rule.is_exact or scaled.value is None:
        return scaled.value
    if rule.is_small(scaled.count):
        return SUPPRESSED
    return scaled.of(round_to_five(scaled.count) if rule.rates_from_rounded_counts else scaled.count)


def export(tree: Any, rule: Rule | None = None) -> Any:
    """The JSON-ready form of a report tree: exact when `rule` is None, else under that disclosure-control rule."""
    if rule is not None:
        rule = DisclosureRule.named(rule)
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
    if isinstance(tree, Scaled):
        return tree.value if rule is None else disclose_scaled(tree, rule)
    if isinstance(tree, KpiStatus):
        if rule is not None and any(export(figure, rule) == SUPPRESSED for figure in tree.judges):
            return SUPPRESSED
        return tree.value
    return tree
