"""Reading a rendered report page as a person does: the figures in its tables, summary lists, tiles and charts."""

import base64
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Columns whose cells are not figures of the period: what a KPI is measured against, and its status in words.
NOT_FIGURES = ("Target", "Status")
COUNT = re.compile(r"^(?:[^:]+: )?(\d[\d,]*)(?: \(.*\))?$")
CHART_VALUE = re.compile(r'<g id="value-\d+">\s*<text[^>]*>([^<]*)</text>')
CHART_BARS = re.compile(r'<g id="bar-\d+">')


@dataclass
class Tile:
    value: str = ""
    status: str = ""


@dataclass
class Table:
    caption: str = ""
    headers: list[str] = field(default_factory=list)
    # Each row's figures, and apart from them its header.
    rows: list[list[str]] = field(default_factory=list)
    row_headers: list[str] = field(default_factory=list)

    @property
    def by_row(self) -> dict[str, list[str]]:
        return dict(zip(self.row_headers, self.rows, strict=True))

    def column(self, header: str) -> list[str]:
        index = self.headers.index(header) - 1
        return [row[index] for row in self.rows]


class ReportPage(HTMLParser):
    """The figures a rendered page shows: table cells by column, summary-list values, KPI tiles, and the values
    drawn in its charts (the SVG groups `value-N`), leaving out the words only screen readers hear."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[Table] = []
        self.summary_values: list[str] = []
        self.tiles: list[Tile] = []
        self.charts: list[str] = []
        self.links: list[str] = []
        self._text: list[str] | None = None
        self._hidden = 0
        self._stack: list[str] = []
        self._cell = ""
        self._row: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        self._stack.append(tag)
        if tag == "span" and ("nhsuk-u-visually-hidden" in classes or self._hidden):
            self._hidden += 1
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "img" and attributes.get("src", "").startswith("data:image/svg+xml;base64,"):
            self.charts.append(base64.b64decode(attributes["src"].split(",", 1)[1]).decode())
        if tag == "table":
            self.tables.append(Table())
        if tag == "tr" and self.tables:
            self._row = []
        if tag in ("th", "td", "caption") or (tag == "dd" and "nhsuk-summary-list__value" in classes):
            self._cell, self._text = tag, []
        if tag == "li" and "pairs-tile" in classes:
            self.tiles.append(Tile())
        if tag == "p" and "pairs-tile__value" in classes:
            self._cell, self._text = "tile", []
        if tag == "strong" and "nhsuk-tag" in classes and self.tiles and not self.tiles[-1].status:
            self._cell, self._text = "status", []
        if tag == "br" and self._text is not None and self._cell in ("dd", "tile"):
            self._finish()

    def handle_endtag(self, tag):
        if tag == "span" and self._hidden:
            self._hidden -= 1
        if self._text is not None and tag == {"tile": "p", "status": "strong"}.get(self._cell, self._cell):
            self._finish()
        if tag == "tr" and self._row is not None and self.tables:
            if self._row:
                self.tables[-1].row_headers.append(self._row[0])
                self.tables[-1].rows.append(self._row[1:])
            self._row = None
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._text is not None and not self._hidden:
            self._text.append(data)

    def _finish(self):
        text = " ".join("".join(self._text).split())
        kind, self._text = self._cell, None
        if kind == "caption":
            self.tables[-1].caption = text
        elif kind == "th" and "thead" in self._stack:
            self.tables[-1].headers.append(text)
        elif kind in ("th", "td") and self._row is not None:
            self._row.append(text)
        elif kind == "dd":
            self.summary_values.append(text)
        elif kind == "tile":
            self.tiles[-1].value = text
        elif kind == "status":
            self.tiles[-1].status = text

    def table(self, caption: str) -> Table:
        return next(table for table in self.tables if table.caption == caption)

    @property
    def figures(self) -> list[str]:
        """Every figure of the period on the page, as shown."""
        shown = list(self.summary_values) + [tile.value for tile in self.tiles]
        for table in self.tables:
            for index, header in enumerate(table.headers[1:]):
                if header not in NOT_FIGURES:
                    shown += [row[index] for row in table.rows if index < len(row)]
        for svg in self.charts:
            shown += CHART_VALUE.findall(svg)
        return shown

    @property
    def counts(self) -> list[int]:
        """The counts among the figures (a bare number, or one with its share: "3 (5.5%)")."""
        return [int(match[1].replace(",", "")) for text in self.figures if (match := COUNT.match(text))]

    @property
    def bars_drawn(self) -> int:
        return sum(len(CHART_BARS.findall(svg)) for svg in self.charts)
