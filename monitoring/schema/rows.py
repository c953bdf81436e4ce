"""Reading one row of a monitoring file: every problem of the row collected, with the contract's messages."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from monitoring import cells
from monitoring.sources import Cell
from pairs.bounds import MAX_TEXT_LENGTH

# The longest a cell may be, by column (a case reference is at most 30 characters, as the referral keeps it);
# any other at most the bound on free text.
CELL_MAX_LENGTHS = {"reference": 30}
MAX_MESSAGE_LENGTH = 300


@dataclass(frozen=True)
class Codes:
    """The codes a team may use, from its vocabularies, and the people who may hold its appointments."""

    services: frozenset[str]
    complexities: frozenset[str]
    interventions: frozenset[str]
    disengagement_reasons: frozenset[str]
    hold_reasons: frozenset[str]
    decline_reasons: frozenset[str]
    group_interventions: frozenset[str]
    # The usernames of the team's practitioners and service managers, who may hold appointments, and the
    # importing user's, who holds those whose practitioner is blank.
    practitioners: frozenset[str]
    importing_user: str


class RowProblems(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems  # (column, message)


class Row:
    """Reads the cells of one row, collecting every problem instead of stopping at the first."""

    def __init__(self, values: dict[str, Cell], today: datetime.date):
        self.values = values
        self.today = today
        self.problems: list[tuple[str, str]] = []

    def problem(self, column: str, message: str) -> None:
        # A message quotes what the cell holds: a long cell is quoted by its start, so the list stays readable.
        if len(message) > MAX_MESSAGE_LENGTH:
            message = f"{message[: MAX_MESSAGE_LENGTH - 20]}... (shortened)"
        self.problems.append((column, message))

    def get(self, column: str, parse: Callable, *, required: bool = False, **options):
        value = self.values.get(column)
        if value is None:
            if required:
                self.problem(column, "is required")
            return None
        longest = CELL_MAX_LENGTHS.get(column, MAX_TEXT_LENGTH)
        if isinstance(value, str) and len(value) > longest:
            self.problem(column, f"is {len(value):,} characters long: at most {longest:,} are allowed")
            return None
        try:
            return parse(value, **options)
        except cells.CellError as error:
            self.problem(column, str(error))
            return None

    def date(self, column: str, *, required: bool = False, future: bool = False) -> datetime.date | None:
        return self.get(column, cells.date, required=required, today=self.today, future=future)

    def done(self):
        if self.problems:
            raise RowProblems(self.problems)
