"""The KPI figures as downloads: the same export for the browser's download and the `kpi_report` command.

Every file shows the figures exactly as the export holds them (exact, or under the commissioner's rule); nothing
here computes a figure. Text cells are neutralised (`pairs.spreadsheets`) so no spreadsheet runs one as a formula.
"""

from collections.abc import Iterator
from io import BytesIO

from openpyxl import Workbook

from pairs.spreadsheets import neutralise_formula
from reports.disclosure import DisclosureRule

# The export's keys that say what the figures are, stated at the top of every sheet rather than given one.
ABOUT_KEYS = ("team", "period", "disclosure_control")
EXACT_RULE = "None: the service's own exact figures, no small-number suppression"


def _cell(value):
    if value is None:
        return ""
    return neutralise_formula(value) if isinstance(value, str) else value


def flatten(tree, prefix: str = "") -> Iterator[tuple[str, object]]:
    """(dotted.key, value) rows for CSV; the KPI list is keyed by each KPI's id."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from flatten(value, f"{prefix}{key}.")
    elif isinstance(tree, list):
        for entry in tree:
            name = entry.get("id", "") if isinstance(entry, dict) else ""
            yield from flatten({k: v for k, v in entry.items() if k != "id"}, f"{prefix}{name}.")
    else:
        yield prefix.removesuffix("."), _cell(tree)


def disclosure_rule_label(figures: dict) -> str:
    """The rule the figures are under, in words."""
    name = figures.get("disclosure_control")
    return EXACT_RULE if name is None else DisclosureRule.named(name).label


def kpi_workbook(figures: dict) -> bytes:
    """The export as an .xlsx workbook: one sheet per block, each opening with the team(s), the period and the
    disclosure rule, then the block's rows as `flatten()` gives them to the CSV."""
    period = figures["period"]
    about = [
        ["Team", _cell(figures["team"])],
        ["Period", f"{period['start']} to {period['end']}"],
        ["Months", period["months"]],
        ["Disclosure rule", disclosure_rule_label(figures)],
        [],
        ["figure", "value"],
    ]
    workbook = Workbook(write_only=True)
    for block, tree in figures.items():
        if block in ABOUT_KEYS:
            continue
        sheet = workbook.create_sheet(block)
        for row in about:
            sheet.append(row)
        for figure, value in flatten(tree, f"{block}."):
            sheet.append([figure, None if value == "" else value])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
