"""The building blocks every dashboard section is made of: headings, paragraphs, summary lists of figures, tables
of figures, and figures (a chart with its table beside it). Each names the template that renders it, so a section's
template only walks its parts in order."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from reports.charts import Chart
from reports.charts.bars import Series, bar_chart
from reports.presenters.labels import NOT_RECORDED
from reports.presenters.values import (
    Cell,
    Figure,
    count_cell,
    count_with_share_cell,
    is_shown_number,
    is_suppressed,
)

SUPPRESSED_BARS_NOTE = "A bar is not drawn where its count is suppressed (*)."


@dataclass(frozen=True)
class Subheading:
    text: str
    id: str
    template = "reports/parts/subheading.html"


@dataclass(frozen=True)
class Paragraph:
    text: str
    # A link after the words, as (words, href).
    link: tuple[str, str] | None = None
    template = "reports/parts/paragraph.html"


@dataclass(frozen=True)
class SummaryRow:
    key: str
    value: Cell
    # Words after the figure: its base, what it is a share of.
    note: str = ""


@dataclass(frozen=True)
class Summary:
    """A summary list of single figures under an optional heading."""

    rows: tuple[SummaryRow, ...]
    template = "reports/parts/summary.html"


@dataclass(frozen=True)
class Section:
    """One section of the dashboard, in the published report's order: a heading and its parts."""

    id: str
    heading: str
    parts: tuple

    @property
    def leveled_parts(self) -> list[tuple[object, int]]:
        """Each part with the level of its heading: 3 before the section's first subheading, 4 after it."""
        level, leveled = 3, []
        for part in self.parts:
            leveled.append((part, 3 if isinstance(part, Subheading) else level))
            if isinstance(part, Subheading):
                level = 4
        return leveled


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Row:
    header: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # Words under the table: what a figure counts, its base.
    notes: tuple[str, ...] = ()
    template = "reports/parts/table.html"

    @property
    def is_narrow(self) -> bool:
        """A table of a figure or two a row, which need not run across a wide screen."""
        return len(self.columns) <= 3


@dataclass(frozen=True)
class FigureBlock:
    """A numbered figure of the evaluation (or an unnumbered chart): its chart, and its table of the same figures.

    `chart` is None when there is nothing to draw (every count is 0 or suppressed); the table still shows.
    """

    id: str
    title: str
    table: Table
    chart: Chart | None
    number: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    template = "reports/parts/figure.html"

    @property
    def heading(self) -> str:
        return f"Figure {self.number}: {self.title}" if self.number else self.title


def bar_value(value) -> float | None:
    """What a chart draws for a figure: the number, or nothing (None) for a suppressed or missing one."""
    return value if is_shown_number(value) else None


def chart_notes(values: Sequence) -> tuple[str, ...]:
    return (SUPPRESSED_BARS_NOTE,) if any(is_suppressed(value) for value in values) else ()


def distribution_block(
    *,
    id: str,
    title: str,
    counts: Mapping[str, Figure],
    label: Callable[[str], str],
    heading: str,
    base: Figure = None,
    base_words: str = "",
    number: int | None = None,
    count_heading: str = "Number",
) -> FigureBlock:
    """A figure of one distribution of the export (code to count, in its order): a bar a code, and a table of the
    counts, each recorded code's with its share of `base` when one is given (`base_words` says what it is)."""
    codes = list(counts)
    labels = [label(code) for code in codes]
    values = [counts[code] for code in codes]
    cells = [
        count_with_share_cell(value, base) if base is not None and code != NOT_RECORDED else count_cell(value)
        for code, value in zip(codes, values, strict=True)
    ]
    notes = (f"Percentages are of {base_words}.",) if base is not None and base_words else ()
    table = Table(
        caption=title,
        columns=(Column(heading, numeric=False), Column(count_heading)),
        rows=tuple(Row(words, (cell,)) for words, cell in zip(labels, cells, strict=True)),
        notes=notes,
    )
    drawn = [bar_value(value) for value in values]
    chart = None
    if any(drawn):
        chart = bar_chart(
            labels,
            [Series(count_heading, tuple(drawn), tuple(cell.text for cell in cells))],
            alt=f"Bar chart of {title[0].lower()}{title[1:]}. The same figures are in the table that follows.",
        )
    return FigureBlock(id=id, title=title, table=table, chart=chart, number=number, notes=chart_notes(values))
