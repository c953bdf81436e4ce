"""The dashboard's sections as printed: each part of a `reports.presenters.tables.Section` (a subheading, a paragraph,
a summary, a table, a figure) with the print template that renders it and the level of its heading.

The parts are the dashboard's own, built by its presenters from the engine's figures; only their templates differ,
since a page of paper has no scroll regions, visually hidden text or links to follow.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from reports.presenters.kpi_tiles import KpiTile
from reports.presenters.tables import FigureBlock, Paragraph, Section, Subheading, Summary, Table


@dataclass(frozen=True)
class Bullets:
    """A list of statements: the rules a report's figures follow."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class KpiSummary:
    """Each KPI's figure, target and status (in words, and in colour), as the dashboard's tiles have them; with
    the same KPIs of an earlier period beside them when `earlier` is given (the annual statement's year before)."""

    caption: str
    tiles: tuple[KpiTile, ...]
    earlier: tuple[KpiTile, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rows(self) -> list[tuple[KpiTile, KpiTile | None]]:
        earlier = {tile.id: tile for tile in self.earlier}
        return [(tile, earlier.get(tile.id)) for tile in self.tiles]


PRINT_TEMPLATES = {
    Subheading: "reports/pdf/parts/subheading.html",
    Paragraph: "reports/pdf/parts/paragraph.html",
    Summary: "reports/pdf/parts/summary.html",
    Table: "reports/pdf/parts/table.html",
    FigureBlock: "reports/pdf/parts/figure.html",
    Bullets: "reports/pdf/parts/bullets.html",
    KpiSummary: "reports/pdf/parts/kpi_summary.html",
}


@dataclass(frozen=True)
class PrintedPart:
    part: object
    # The level of the part's own heading: 3 in a section, 4 under one of its subheadings.
    level: int

    @property
    def template(self) -> str:
        return PRINT_TEMPLATES[type(self.part)]


@dataclass(frozen=True)
class PrintedSection:
    """A section of a PDF: its heading (level 2) and its parts in order."""

    id: str
    heading: str
    parts: tuple[PrintedPart, ...]

    @classmethod
    def of(cls, section: Section) -> "PrintedSection":
        printable = tuple(PrintedPart(part, level) for part, level in section.leveled_parts if not _is_a_link(part))
        return cls(section.id, section.heading, printable)

    @classmethod
    def made_of(cls, id: str, heading: str, parts: Iterable) -> "PrintedSection":
        """A section of the PDF's own, put together from the dashboard's parts."""
        return cls.of(Section(id=id, heading=heading, parts=tuple(parts)))


def _is_a_link(part) -> bool:
    """A paragraph that only leads to another page of the app (the needs model) says nothing on paper."""
    return isinstance(part, Paragraph) and part.link is not None


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Text typed in a text box as paragraphs: a blank line starts a new one (a single line break is printed as
    typed)."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(Paragraph(block) for block in blocks if block)
