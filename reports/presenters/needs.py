"""The needs-model page: the Commissioning Toolkit's modelled attachment patterns and levels of need for the team's
births and local adversity (`reports.needs`), as ranges, beside the team's accepted referrals a year in the period and
its reach against the 1-5% of births teams are resourced for (the engine's `reach` figures)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pairs.models import Team
from reports.needs import NOT_REACHING_SERVICES, NeedsLine, NeedsModel, Share, needs_model
from reports.presenters.activity import reach_summary
from reports.presenters.tables import Column, Row, Summary, Table
from reports.presenters.values import Cell


def share_text(share: Share) -> str:
    """A share as the Toolkit writes it, "1.5 to 2%", to at most two places: 15.75 stays 15.75."""

    def one(value: Decimal) -> str:
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}"

    return f"{one(share.low)}%" if share.is_single else f"{one(share.low)} to {one(share.high)}%"


def babies_text(line: NeedsLine) -> str:
    babies = line.babies
    return f"{babies.low:,}" if babies.is_single else f"{babies.low:,} to {babies.high:,}"


def _table(caption: str, heading: str, lines: tuple[NeedsLine, ...]) -> Table:
    return Table(
        caption=caption,
        columns=(Column(heading, numeric=False), Column("Share of births"), Column("Babies a year")),
        rows=tuple(Row(line.label, (Cell(share_text(line.share)), Cell(babies_text(line)))) for line in lines),
    )


@dataclass(frozen=True)
class NeedsPage:
    team: Team
    model: NeedsModel | None
    reach: Summary

    @property
    def births(self) -> str:
        return f"{self.model.births_per_year:,}" if self.model else ""

    @property
    def adjustment_words(self) -> str:
        adjustment = self.team.adversity_adjustment
        if adjustment == 0:
            return "at the UK average level of adversity"
        direction = "above" if adjustment > 0 else "below"
        return f"with local adversity {abs(adjustment)}% {direction} the UK average"

    @property
    def attachment(self) -> Table | None:
        if self.model is None:
            return None
        return _table("Attachment patterns", "Attachment", self.model.attachment)

    @property
    def tiers(self) -> Table | None:
        if self.model is None:
            return None
        return _table("Levels of need", "Need", self.model.tiers)

    @property
    def resourced_for(self) -> str:
        if self.model is None:
            return ""
        return babies_text(self.model.resourced_for)

    @property
    def not_reaching(self) -> str:
        return share_text(NOT_REACHING_SERVICES)


def needs_page(*, team: Team, figures: dict) -> NeedsPage:
    """`figures` are the period's, as the person may see them (the reach is under the commissioner's rule)."""
    model = None
    if team.births_per_year:
        model = needs_model(births_per_year=team.births_per_year, adversity_adjustment=team.adversity_adjustment)
    return NeedsPage(team=team, model=model, reach=reach_summary(figures["reach"]))
