"""Scoring a questionnaire from its definition: item answers, or totals kept without items.

Validation errors are keyed as the data contract names its columns (`item_3`, `total`, `warmth`), so that a form
and an importer can both point at the field or cell that is wrong.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from outcomes.registry import TOLERANCE, AlertRule, Instrument, Method


class ScoreSource:
    ITEMS = "items"
    TOTALS = "totals"


@dataclass(frozen=True)
class ScoreResult:
    source: str
    answers: dict[int, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    missing: tuple[int, ...] = ()
    alerts: tuple[AlertRule, ...] = ()

    @property
    def complete(self) -> bool:
        return bool(self.scores)


def item_key(number: int) -> str:
    return f"item_{number}"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def clean_answers(instrument: Instrument, answers: Mapping) -> dict[int, int]:
    """The answered items as {number: value}; unanswered ones (None or "") are left out.

    Raises ValidationError for an item the instrument does not have or an answer it does not allow.
    """
    errors, cleaned = {}, {}
    allowed_items = {item.number: item for item in instrument.items}
    for key, value in answers.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            errors[str(key)] = f"{instrument.name} has no item {key}."
            continue
        if number not in allowed_items:
            errors[item_key(number)] = f"{instrument.name} has no item {number}."
            continue
        if value is None or value == "":
            continue
        item = allowed_items[number]
        lowest, highest = min(item.allowed_values), max(item.allowed_values)
        try:
            answer = int(value)
        except (TypeError, ValueError):
            answer = None
        if answer is None or str(answer) != str(value).strip() or answer not in item.allowed_values:
            errors[item_key(number)] = (
                f"{instrument.name} item {number} must be a whole number from {lowest} to {highest}."
            )
            continue
        cleaned[number] = answer
    if errors:
        raise ValidationError(errors)
    return dict(sorted(cleaned.items()))


def score_items(instrument: Instrument, answers: Mapping) -> ScoreResult:
    """Scores from item answers. A missing required item leaves the whole questionnaire incomplete, with no score."""
    cleaned = clean_answers(instrument, answers)
    missing = tuple(item.number for item in instrument.items if not item.optional and item.number not in cleaned)
    alerts = tuple(rule for rule in instrument.alerts if cleaned.get(rule.item, rule.above) > rule.above)
    scores = {}
    for scale in instrument.scales:
        values = [cleaned[number] for number in scale.items if number in cleaned]
        if missing or len(values) < scale.min_items:
            scores = {}
            break
        scores[scale.code] = float(sum(values)) if scale.method == Method.SUM else sum(values) / len(values)
    return ScoreResult(source=ScoreSource.ITEMS, answers=cleaned, scores=scores, missing=missing, alerts=alerts)


def clean_totals(instrument: Instrument, totals: Mapping) -> dict[str, float]:
    """Totals brought in without items (historical data): one for every scale, each within the scale's range."""
    errors, cleaned = {}, {}
    known = {scale.code: scale for scale in instrument.scales}
    for code in totals:
        if code not in known:
            errors[str(code)] = f"{instrument.name} has no score called {code}."
    for scale in instrument.scales:
        value = totals.get(scale.code)
        if value is None or value == "":
            errors[scale.code] = f"Give the {instrument.name} {scale.name.lower()} score."
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        in_range = _is_number(number) and scale.minimum <= number <= scale.maximum
        if not in_range or (scale.is_whole_number and not number.is_integer()):
            kind = "a whole number" if scale.is_whole_number else "a number"
            errors[scale.code] = (
                f"The {instrument.name} {scale.name.lower()} score must be {kind} "
                f"from {scale.minimum:g} to {scale.maximum:g}."
            )
            continue
        cleaned[scale.code] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def score_questionnaire(
    instrument: Instrument, *, answers: Mapping | None = None, totals: Mapping | None = None
) -> ScoreResult:
    """Score from items, or from totals alone; when both are given they must agree."""
    has_totals = bool(totals) and any(value not in (None, "") for value in totals.values())
    if answers is None and not has_totals:
        raise ValidationError("Give the item answers or the scores.")
    if answers is None:
        return ScoreResult(source=ScoreSource.TOTALS, scores=clean_totals(instrument, totals))
    result = score_items(instrument, answers)
    if not has_totals:
        return result
    given = clean_totals(instrument, totals)
    if not result.complete:
        missing = ", ".join(str(number) for number in result.missing) or "none rated"
        raise ValidationError(
            {
                item_key(n): f"{instrument.name} item {n} is missing, so the scores cannot be checked."
                for n in result.missing
            }
            or {"__all__": f"The items are incomplete ({missing}), so the scores cannot be checked."}
        )
    mismatches = {
        code: f"The {instrument.name} {instrument.scale(code).name.lower()} score {value:g} does not match the items, "
        f"which give {result.scores[code]:g}."
        for code, value in given.items()
        if abs(value - result.scores[code]) > 0.005 + TOLERANCE
    }
    if mismatches:
        raise ValidationError(mismatches)
    return result
