"""Reading a PDF back as a reader's software would: its text through poppler's pdftotext."""

import re
import subprocess
from collections.abc import Iterable, Sequence

from reports.presenters.tables import FigureBlock, Summary, Table


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The PDF's text; with `layout`, each printed line as a line (a table's row on one line)."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(command, input=content, capture_output=True, check=True).stdout.decode()


def flowing(content: bytes) -> str:
    """The PDF's text with every run of white space one space, so that a sentence wrapped over lines reads whole."""
    return " ".join(pdf_text(content).split())


def has_row(layout_text: str, header: str, cells: Sequence[str]) -> bool:
    """Whether a printed line holds the start of a row's header (its first words: the rest may wrap) followed by its
    cells, each a whole word or words, in order."""
    lead = " ".join(header.split()[:2])
    pattern = re.compile(
        re.escape(lead) + "".join(rf".*?(?<!\S){re.escape(' '.join(cell.split()))}(?!\S)" for cell in cells)
    )
    return any(pattern.search(" ".join(line.split())) for line in layout_text.splitlines())


def page_count(content: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def unshown_rows(layout_text: str, parts: Iterable) -> list[str]:
    """The rows of the dashboard's tables and summaries among `parts` (a figure's table included) that no printed
    line of the PDF shows as the dashboard does: header, then each cell's text."""
    unshown = []
    for part in parts:
        shown = part.table if isinstance(part, FigureBlock) else part
        if isinstance(shown, Table):
            rows = [(row.header, [cell.text for cell in row.cells]) for row in shown.rows]
        elif isinstance(shown, Summary):
            rows = [(row.key, [row.value.text]) for row in shown.rows]
        else:
            continue
        unshown += [f"{header}: {cells}" for header, cells in rows if not has_row(layout_text, header, cells)]
    return unshown


def unshown_tiles(layout_text: str, tiles: Iterable) -> list[str]:
    """The KPI tiles whose figure, target and status in words no row of the PDF's KPI summary shows."""
    return [
        tile.label
        for tile in tiles
        if not has_row(layout_text, tile.label, [tile.value.text, tile.target, tile.status.words])
    ]
