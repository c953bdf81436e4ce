"""The disclosure-control rule a commissioner-facing figure is under (kpis.md, "Small-number suppression" and
"Several teams together").

One team's figures follow its own rule. Figures for a set of teams are shown only where every team's rule would show
them, and rounded to 5 where any of the rules rounds. The `hes` and `mhsds` rules are not ordered (one hides 1 to 7,
the other 0 to 4), so neither may stand in for both: a set of teams under both is under both at once. `none` binds
only a set in which every team has it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from pairs.models import DisclosureControl, Team

# The order rules are named in when several bind at once.
RULE_ORDER = (DisclosureControl.HES, DisclosureControl.MHSDS, DisclosureControl.NONE)


def _is_small_under(count: int, rule: str) -> bool:
    if rule == DisclosureControl.HES:
        return 1 <= count <= 7
    if rule == DisclosureControl.MHSDS:
        return count < 5
    return False


@dataclass(frozen=True)
class DisclosureRule:
    """The rules that bind together: one team's, or those of a set of teams."""

    rules: frozenset[str]

    @classmethod
    def of(cls, rules: Iterable[str]) -> "DisclosureRule":
        binding = {DisclosureControl(rule).value for rule in rules} - {DisclosureControl.NONE.value}
        return cls(frozenset(binding or {DisclosureControl.NONE.value}))

    @classmethod
    def named(cls, rule: "str | DisclosureRule") -> "DisclosureRule":
        """The rule itself, or the rule a name gives (`"hes"`, `"mhsds"`, `"none"`, or several joined by `+`)."""
        return rule if isinstance(rule, DisclosureRule) else cls.of(rule.split("+"))

    @property
    def ordered(self) -> list[str]:
        return [rule.value for rule in RULE_ORDER if rule.value in self.rules]

    @property
    def name(self) -> str:
        """How the KPI export's `disclosure_control` key names it: `hes`, `mhsds`, `none` or `hes+mhsds`."""
        return "+".join(self.ordered)

    @property
    def label(self) -> str:
        if len(self.rules) == 1:
            return DisclosureControl(self.name).label
        names = " and ".join(rule.upper() for rule in self.ordered)
        return f"{names} together: a figure is shown only where each rule shows it, others rounded to the nearest 5"

    @property
    def is_exact(self) -> bool:
        return self.rules == {DisclosureControl.NONE.value}

    @property
    def rates_from_rounded_counts(self) -> bool:
        """HES computes published rates from the published (rounded) counts; MHSDS from the exact ones."""
        return DisclosureControl.HES.value in self.rules

    def is_small(self, count: int) -> bool:
        """Whether a count is too small to publish under any of the rules."""
        return any(_is_small_under(count, rule) for rule in self.rules)


def disclosure_rule(teams: Iterable[Team]) -> DisclosureRule:
    """The rule for the teams' figures: each team's own, combined for a set (HES when there are no teams)."""
    rules = [team.disclosure_control for team in teams]
    return DisclosureRule.of(rules or [DisclosureControl.HES])
