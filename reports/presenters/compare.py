"""Teams compared: for a person who is a service manager or commissioner in two or more teams, each team's key
figures for the period side by side, and the teams' total (kpis.md, "Several teams together").

Each team's figures are as the person may see them there: exact where they manage it, under that team's rule where
they commission it. The total is the engine's figures for the set of teams: exact only where the person sees every
team's exact figures, otherwise under the combined rule of all the teams (shown only where every team's rule would
show it), so that a managed team's exact count cannot be taken from the total to uncover another team's.
"""

from dataclasses import dataclass

from pairs.cohorts import Cohort
from pairs.models import Team
from pairs.rules import Perm, has_team_perm
from reports.disclosure import DisclosureRule
from reports.kpis import kpi_export
from reports.presenters.kpi_tiles import kpi_tiles
from reports.presenters.period import PeriodChoice
from reports.presenters.tables import Column, Row, Table
from reports.presenters.values import Cell, count_cell
from reports.selectors import kpi_headline_figures, kpi_table

EXACT = "Exact figures"


@dataclass(frozen=True)
class Compared:
    name: str
    # How its figures are shown: exact, or under which rule.
    rule: str


@dataclass(frozen=True)
class Comparison:
    columns: tuple[Compared, ...]
    table: Table


def _rule_words(figures: dict) -> str:
    name = figures.get("disclosure_control")
    if name is None:
        return EXACT
    rule = DisclosureRule.named(name)
    if rule.is_exact:
        return "Exact figures (the teams' rule is none)"
    return f"{name.upper().replace('+', ' and ')} rule"


def _rows(figures: dict) -> list[tuple[str, Cell, str]]:
    """The key figures of one column: (label, figure, status in words)."""
    referrals = figures["referrals"]
    rows = [
        ("Referrals received", count_cell(referrals["received"]), ""),
        ("Referrals accepted", count_cell(referrals["accepted"]), ""),
    ]
    for tile in kpi_tiles(kpi_table(figures)):
        rows.append((tile.label, tile.value, tile.status.words))
    return rows


def comparison_for(*, user, teams: list[Team], choice: PeriodChoice) -> Comparison:
    """The engine's KPIs of each team, asked together (`reports.kpis.kpi_headlines`), and of the set: the queries of
    two teams' KPIs, whatever the number of teams."""
    per_team = kpi_headline_figures(user=user, cohorts=[Cohort.of([team], choice.period) for team in teams])
    every_exact = all(has_team_perm(user, Perm.VIEW_EXACT_FIGURES, team) for team in teams)
    total = kpi_export(teams=teams, period=choice.period, commissioner=not every_exact, headline=True)
    columns = [Compared(team.name, _rule_words(figures)) for team, figures in zip(teams, per_team, strict=True)]
    columns.append(Compared("All these teams", _rule_words(total)))
    shown = [_rows(figures) for figures in [*per_team, total]]
    rows = []
    for index, (label, _, _) in enumerate(shown[0]):
        cells = []
        for column in shown:
            _, value, status = column[index]
            cells.append(
                Cell(f"{value.text} ({status.lower()})" if status else value.text, suppressed=value.suppressed)
            )
        rows.append(Row(label, tuple(cells)))
    table = Table(
        caption=f"Key figures, {choice.period.label}",
        columns=(Column("Figure", numeric=False), *(Column(column.name) for column in columns)),
        rows=tuple(rows),
        notes=(
            "Statuses are against each team's own targets; the total's against the sum of the teams' targets, and "
            "a rate's only where every team has the same target.",
        ),
    )
    return Comparison(columns=tuple(columns), table=table)
