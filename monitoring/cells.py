"""Turning one cell of a monitoring file into a value, or a message saying why it cannot be (no silent coercion)."""

import datetime
import re

from django.utils import timezone

from monitoring.sources import Cell

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCAL_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2}))?$")
# data-contract.md, appointments.csv: "a date alone means 09:00".
TIME_OF_A_DATE_ALONE = datetime.time(9, 0)
MOMENT_FORMAT = "%Y-%m-%d %H:%M"
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


class CellError(ValueError):
    """The message is shown to the person importing, after `FILE:ROW: COLUMN: `."""


def text(cell: Cell) -> str:
    if isinstance(cell, datetime.datetime):
        return cell.strftime(MOMENT_FORMAT)
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell or ""


def date(cell: Cell, *, today: datetime.date, future: bool = False) -> datetime.date:
    """A date; one after `today` only where `future` allows it (things planned rather than things that happened)."""
    if isinstance(cell, datetime.datetime):
        value = cell.date()
    elif isinstance(cell, datetime.date):
        value = cell
    else:
        if not ISO_DATE.match(cell or ""):
            raise CellError(f"{cell!r} is not a date in the form YYYY-MM-DD")
        try:
            value = datetime.date.fromisoformat(cell)
        except ValueError:
            raise CellError(f"{cell!r} is not a real date") from None
    if value > today and not future:
        raise CellError(f"{value.isoformat()} is in the future")
    return value


def moment(cell: Cell) -> datetime.datetime:
    """A local date and time, `YYYY-MM-DD HH:MM` (a date alone is 09:00), as an aware datetime."""
    if isinstance(cell, datetime.datetime):
        # A workbook's times are fractions of a day: 09:30 may come back a hair's breadth from it.
        naive = (cell + datetime.timedelta(seconds=30)).replace(second=0, microsecond=0)
        if abs(naive - cell) >= datetime.timedelta(seconds=1):
            raise CellError(f"{cell.isoformat(sep=' ')} has seconds: give the time to the minute")
    elif isinstance(cell, datetime.date):
        naive = datetime.datetime.combine(cell, TIME_OF_A_DATE_ALONE)
    else:
        match = LOCAL_MOMENT.match(cell or "")
        if not match:
            raise CellError(f"{cell!r} is not a date and time in the form YYYY-MM-DD HH:MM")
        day, hour, minute = match.groups()
        try:
            time = datetime.time(int(hour), int(minute)) if hour else TIME_OF_A_DATE_ALONE
            naive = datetime.datetime.combine(datetime.date.fromisoformat(day), time)
        except ValueError:
            raise CellError(f"{cell!r} is not a real date and time") from None
    return timezone.make_aware(naive)


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
