"""Turning one cell of a monitoring file into a value, or a message saying why it cannot be (no silent coercion)."""

import datetime
import re

from monitoring.sources import Cell

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


class CellError(ValueError):
    """The message is shown to the person importing, after `FILE:ROW: COLUMN: `."""


def text(cell: Cell) -> str:
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell or ""


def date(cell: Cell, *, today: datetime.date) -> datetime.date:
    if isinstance(cell, datetime.date):
        value = cell
    else:
        if not ISO_DATE.match(cell or ""):
            raise CellError(f"{cell!r} is not a date in the form YYYY-MM-DD")
        try:
            value = datetime.date.fromisoformat(cell)
        except ValueError:
            raise CellError(f"{cell!r} is not a real date") from None
    if value > today:
        raise CellError(f"{value.isoformat()} is in the future")
    return value


def integer(cell: Cell, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = text(cell)
    if not re.fullmatch(r"-?\d+", raw):
        raise CellError(f"{raw!r} is not a whole number")
    value = int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if maximum is None:
            raise CellError(f"{value} is below {minimum}")
        if minimum is None:
            raise CellError(f"{value} is above {maximum}")
        raise CellError(f"{value} is not between {minimum} and {maximum}")
    return value


def code(cell: Cell, allowed) -> str:
    """A code of the contract, matched case-insensitively with surrounding spaces ignored."""
    value = text(cell).strip().lower()
    if value not in allowed:
        raise CellError(f"unknown code {text(cell)!r} (expected one of: {', '.join(sorted(allowed))})")
    return value


def codes(cell: Cell, allowed) -> list[str]:
    values = [part for part in (piece.strip() for piece in text(cell).split(";")) if part]
    return sorted({code(value, allowed) for value in values})


def yes_no(cell: Cell) -> bool:
    value = text(cell).strip().lower()
    if value not in ("yes", "no"):
        raise CellError(f"{text(cell)!r} is not yes or no")
    return value == "yes"


def postcode(cell: Cell) -> str:
    value = re.sub(r"\s+", " ", text(cell).strip().upper())
    if not POSTCODE.match(value):
        raise CellError(f"{text(cell)!r} is not a UK postcode")
    if " " not in value:
        value = f"{value[:-3]} {value[-3:]}"
    return value
