"""outcomes.csv: one questionnaire, its item answers or totals checked by the instrument's own scoring."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from monitoring import cells
from monitoring.schema.rows import Codes, Row
from outcomes.registry import get_instrument, registry
from outcomes.scoring import score_questionnaire

TIMEPOINTS = {"t1": "T1", "mid": "MID", "t2": "T2"}
ITEM_COLUMNS = [f"item_{number}" for number in range(1, 15)]


@dataclass(frozen=True)
class OutcomeRecord:
    reference: str
    caregiver: int
    instrument: str
    timepoint: str
    completed_on: datetime.date
    answers: dict | None
    totals: dict | None

    @property
    def key(self):
        return (self.reference, self.instrument, self.timepoint, self.caregiver)


OUTCOME_COLUMNS = {
    "reference": True,
    "caregiver": False,
    "instrument": True,
    "timepoint": True,
    "completed_on": True,
    **dict.fromkeys(ITEM_COLUMNS, False),
    "total": False,
    "warmth": False,
    "invasion": False,
    "goal_1": False,
    "goal_2": False,
    "goal_3": False,
}
TOTAL_COLUMNS = ("total", "warmth", "invasion")
GOAL_COLUMNS = ("goal_1", "goal_2", "goal_3")


def read_outcome(values, *, codes: Codes, today: datetime.date) -> OutcomeRecord:
    row = Row(values, today)
    reference = row.get("reference", cells.text, required=True)
    caregiver = row.get("caregiver", cells.integer, minimum=1, maximum=2) or 1
    instrument_code = row.get("instrument", cells.code, required=True, allowed=set(registry().codes))
    timepoint = row.get("timepoint", cells.code, required=True, allowed=set(TIMEPOINTS))
    completed_on = row.date("completed_on", required=True)
    answers = totals = None
    if instrument_code:
        answers, totals = _scores(row, get_instrument(instrument_code))
    row.done()
    return OutcomeRecord(reference, caregiver, instrument_code, TIMEPOINTS[timepoint], completed_on, answers, totals)


def answer_columns(instrument) -> list[str]:
    """The columns of the instrument's items, in the order of its items: goal ratings for the GBO."""
    numbers = [item.number for item in instrument.items]
    return list(GOAL_COLUMNS[: len(numbers)]) if instrument.code == "gbo" else [f"item_{n}" for n in numbers]


def _scores(row: Row, instrument) -> tuple[dict | None, dict | None]:
    """Items, goal ratings and totals as the instrument's scoring takes them; their agreement is checked here."""
    numbers = [item.number for item in instrument.items]
    item_columns = answer_columns(instrument)
    other_columns = [c for c in (*ITEM_COLUMNS, *GOAL_COLUMNS) if c not in item_columns]
    for column in other_columns:
        if row.values.get(column) is not None:
            row.problem(column, f"is not an item of {instrument.code}")
    answers = {}
    for number, column in zip(numbers, item_columns, strict=True):
        value = row.get(column, cells.integer)
        if value is not None:
            answers[number] = value
    if instrument.code != "gbo" and answers and len(answers) < len(numbers):
        missing = [c for n, c in zip(numbers, item_columns, strict=True) if n not in answers]
        row.problem(
            missing[0], f"items given for {instrument.code} must all be given ({len(answers)} of {len(numbers)})"
        )
    totals = {}
    for column in TOTAL_COLUMNS:
        value = row.get(column, cells.integer)
        if value is not None:
            totals[column] = value
    if not answers and not totals:
        row.problem(item_columns[0], f"give the items or the totals of {instrument.code}")
    if row.problems:
        return None, None
    try:
        score_questionnaire(instrument, answers=answers or None, totals=totals or None)
    except ValidationError as error:
        columns = dict(zip([f"item_{n}" for n in numbers], item_columns, strict=True))
        for key, messages in error.message_dict.items():
            column = columns.get(key, key if key in TOTAL_COLUMNS else item_columns[0])
            for message in messages:
                row.problem(column, message)
    return answers or None, totals or None
