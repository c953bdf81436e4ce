"""Reading a PDF back as a reader's software would: its text through poppler's pdftotext."""

import re
import subprocess
from collections.abc import Sequence


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
