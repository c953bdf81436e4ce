"""How one figure of the KPI export reads on a page: a count, a rate, a mean or a number of days, exact or as a
commissioner sees it (the suppressed "*"), or missing because it cannot be computed.

The engine has done every sum and every suppression; these only format what it exported. The one thing worked out
here is a share of two figures the export gives as counts (a row of Table 2 as a share of the accepted referrals, a
code's share of a distribution), and it is worked out from the counts as shown, so that it tells a reader nothing
the counts do not: it is suppressed when either count is.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reports.figures import SUPPRESSED

Figure = int | float | str | None

# Read out after a suppressed "*" by screen readers, which would otherwise say "star".
SUPPRESSED_NOTE = "suppressed: a small number"
NOT_COMPUTED = "No data"


@dataclass(frozen=True)
class Cell:
    """A figure as text, with what a screen reader should hear besides it."""

    text: str
    suppressed: bool = False
    missing: bool = False

    @property
    def hidden_note(self) -> str:
        return SUPPRESSED_NOTE if self.suppressed else ""


def is_suppressed(value: Figure) -> bool:
    return value == SUPPRESSED


def is_shown_number(value: Figure) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimal_text(value: float, places: int, *, fixed: bool = False) -> str:
    """A number to `places` decimal places, halves up; without trailing zeros unless `fixed`: 9.70 is "9.7", or
    "9.70" fixed."""
    quantised = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{quantised:,f}"
    if fixed or "." not in text:
        return text
    return text.rstrip("0").rstrip(".")


def count_cell(value: Figure) -> Cell:
    if is_suppressed(value):
        return Cell(SUPPRESSED, suppressed=True)
    if value is None:
        return Cell(NOT_COMPUTED, missing=True)
    return Cell(f"{value:,}" if isinstance(value, int) else _decimal_text(value, 1))


def number_cell(value: Figure, places: int = 2, *, fixed: bool = False) -> Cell:
    """A median or a month count to `places` places at most; a mean, effect size or p-value to exactly `places`
    (`fixed`), as the export gives them, so that a column of them lines up."""
    if is_suppressed(value):
        return Cell(SUPPRESSED, suppressed=True)
    if value is None:
        return Cell(NOT_COMPUTED, missing=True)
    return Cell(_decimal_text(value, places, fixed=fixed))


def percent_text(rate: float) -> str:
    """A fraction from 0 to 1 as a percentage to one place without a trailing ".0": 0.4787 is "47.9%"."""
    return f"{_decimal_text(rate * 100, 1)}%"


def rate_cell(value: Figure) -> Cell:
    if is_suppressed(value):
        return Cell(SUPPRESSED, suppressed=True)
    if value is None:
        return Cell(NOT_COMPUTED, missing=True)
    return Cell(percent_text(value))


def p_value_cell(value: Figure) -> Cell:
    """A p-value to four places, and below 0.0001 as such rather than as 0."""
    if is_shown_number(value) and value < 0.0001:
        return Cell("< 0.0001")
    return number_cell(value, 4, fixed=True)


def days_cell(value: Figure) -> Cell:
    cell = number_cell(value, 1)
    if cell.suppressed or cell.missing:
        return cell
    return Cell(f"{cell.text} {'day' if cell.text == '1' else 'days'}")


def share(numerator: Figure, base: Figure) -> Figure:
    """`numerator` as a share of `base`, both as shown: suppressed where either is, none where the base is 0."""
    if is_suppressed(numerator) or is_suppressed(base):
        return SUPPRESSED
    if not is_shown_number(numerator) or not is_shown_number(base) or base == 0:
        return None
    return numerator / base


def count_with_share_cell(count: Figure, base: Figure) -> Cell:
    """A count with its share of `base` in brackets: "3 (5.5%)"."""
    shown = count_cell(count)
    if shown.suppressed or shown.missing:
        return shown
    fraction = share(count, base)
    if not is_shown_number(fraction):
        return shown
    return Cell(f"{shown.text} ({percent_text(fraction)})")


def total_of(values: list[Figure]) -> Figure:
    """The sum of counts as shown, suppressed when any of them is (a total would give the hidden one away)."""
    if any(is_suppressed(value) for value in values):
        return SUPPRESSED
    return sum(value for value in values if is_shown_number(value))
