"""The KPI tiles at the top of the dashboard: each KPI's actual figure, its target (to date while the period runs)
and its status in words and in colour, never in colour alone (kpis.md, "Targets and RAG")."""

from dataclasses import dataclass

from reports.figures import SUPPRESSED
from reports.presenters.values import Cell, count_cell, number_cell, percent_text, rate_cell

# Each status's words and its NHS.UK tag colour.
STATUSES = {
    "green": ("On target", "nhsuk-tag--green"),
    "amber": ("Within 10% of target", "nhsuk-tag--yellow"),
    "red": ("Below target", "nhsuk-tag--red"),
    "too_few": ("Too few to rate", "nhsuk-tag--grey"),
    "no_target": ("No target", "nhsuk-tag--white"),
    SUPPRESSED: ("Not shown: the figure is suppressed", "nhsuk-tag--grey"),
}
# Statuses judged against a target, which a running period judges against its target to date.
JUDGED = ("green", "amber", "red")


@dataclass(frozen=True)
class Status:
    code: str
    words: str
    tag_class: str


def status_of(code: str, *, to_date: bool = False) -> Status:
    words, tag_class = STATUSES.get(code, STATUSES["no_target"])
    if to_date and code in JUDGED:
        words = f"{words} to date"
    return Status(code, words, tag_class)


def target_text(value, *, is_rate: bool) -> str:
    if value is None:
        return "None set"
    return percent_text(value) if is_rate else number_cell(value, 1).text


@dataclass(frozen=True)
class KpiTile:
    id: str
    label: str
    value: Cell
    # A rate's count and base, "7 of 8"; empty for a count.
    of_base: str
    target: str
    # The target to date of a running period, with the whole period's target as `target`.
    target_to_date: str
    status: Status

    @property
    def judged_to_date(self) -> bool:
        return bool(self.target_to_date)


def kpi_tiles(kpis: list[dict]) -> list[KpiTile]:
    """A tile for each entry of `reports.selectors.kpi_table` (the export's `kpis`, with labels and rate bases)."""
    tiles = []
    for kpi in kpis:
        is_rate = kpi["is_rate"]
        to_date = kpi.get("target_to_date")
        if is_rate:
            value = rate_cell(kpi["rate"])
            if kpi["rate"] is None:
                value = Cell("No data", missing=True)
            shown_base = not value.suppressed and not value.missing
            of_base = f"{count_cell(kpi['actual']).text} of {count_cell(kpi['base']).text}" if shown_base else ""
        else:
            value, of_base = count_cell(kpi["actual"]), ""
        tiles.append(
            KpiTile(
                id=kpi["id"],
                label=kpi["label"],
                value=value,
                of_base=of_base,
                target=target_text(kpi["target"], is_rate=is_rate),
                target_to_date="" if to_date is None or is_rate else target_text(to_date, is_rate=False),
                status=status_of(kpi["status"], to_date=to_date is not None),
            )
        )
    return tiles
