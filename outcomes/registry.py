"""The instrument registry: outcome questionnaires held as data (domain.md, Outcome instruments).

Each instrument is one JSON definition in `outcomes/instruments/` (or in a folder named by the setting
`OUTCOMES_INSTRUMENT_DIRS`): its items and the answers allowed for them with the labels practitioners see, its
scales (a total or subscales) and how each is scored, direction of improvement, severity bands, reliable-change
threshold and its source, whether it is validated for pre/post use, and a licence note. Scoring, forms, charts and
statistics read these definitions; nothing in the code names a particular questionnaire, so adding an instrument
means adding a definition.

A service may agree a local reliable-change threshold where none is published (MORS-SF) with the setting
`OUTCOMES_RELIABLE_CHANGE = {"mors_sf.warmth": {"threshold": 5, "source": "..."}}`.
"""

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

BUILT_IN_DIR = Path(__file__).resolve().parent / "instruments"

# Scores such as a GBO mean of three ratings are thirds; a change that is exactly on a threshold must not miss it by
# a rounding error, in Python or in the database.
TOLERANCE = 1e-9


class Verdict(models.TextChoices):
    """Reliable change between T1 and T2, judged against the scale's threshold in its direction of improvement."""

    IMPROVED = "reliably_improved", "Reliable improvement"
    NO_CHANGE = "no_reliable_change", "No reliable change"
    DETERIORATED = "reliably_deteriorated", "Reliable deterioration"


class Improvement(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


class Method(models.TextChoices):
    SUM = "sum", "Sum of the items"
    MEAN = "mean", "Mean of the answered items"


class Kind(models.TextChoices):
    ITEMS = "items", "Fixed items"
    GOALS = "goals", "Goals in the parent's own words"


@dataclass(frozen=True)
class Answer:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    answers: tuple[Answer, ...]
    optional: bool = False

    @property
    def allowed_values(self) -> frozenset[int]:
        return frozenset(answer.value for answer in self.answers)

    def label_for(self, value: int) -> str:
        return next((answer.label for answer in self.answers if answer.value == value), str(value))


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Scale:
    code: str
    name: str
    items: tuple[int, ...]
    method: str
    minimum: float
    maximum: float
    improvement: str
    bands: tuple[Band, ...]
    threshold: float | None
    threshold_source: str
    min_items: int

    def band_for(self, value: float | None) -> str:
        if value is None:
            return ""
        return next((band.label for band in self.bands if band.low <= value <= band.high), "")

    def improvement_of(self, t1: float, t2: float) -> float:
        """How much better T2 is than T1, in the scale's direction (negative when worse)."""
        return t1 - t2 if self.improvement == Improvement.LOWER else t2 - t1

    def verdict(self, t1: float | None, t2: float | None) -> Verdict | None:
        """Reliable change from T1 to T2; None when the scale has no threshold or a score is missing."""
        if self.threshold is None or t1 is None or t2 is None:
            return None
        improvement = self.improvement_of(t1, t2)
        if improvement >= self.threshold - TOLERANCE:
            return Verdict.IMPROVED
        if improvement <= -self.threshold + TOLERANCE:
            return Verdict.DETERIORATED
        return Verdict.NO_CHANGE

    @property
    def improvement_label(self) -> str:
        return Improvement(self.improvement).label

    @property
    def is_whole_number(self) -> bool:
        return self.method == Method.SUM


@dataclass(frozen=True)
class AlertRule:
    """An answer that must be acted on: `item` answered above `above` raises an alert on the referral."""

    item: int
    above: int
    title: str
    guidance: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    title: str
    order: int
    core: bool
    kind: str
    stem: str
    entry_note: str
    inline_answers: bool
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    alerts: tuple[AlertRule, ...]
    validated_for_pre_post: bool
    pre_post_note: str
    licence: str

    def __str__(self) -> str:
        return self.name

    def item(self, number: int) -> Item:
        return next(item for item in self.items if item.number == number)

    def scale(self, code: str) -> Scale:
        return next(scale for scale in self.scales if scale.code == code)

    @property
    def item_numbers(self) -> tuple[int, ...]:
        return tuple(item.number for item in self.items)

    @property
    def has_subscales(self) -> bool:
        return len(self.scales) > 1

    @property
    def is_goals(self) -> bool:
        return self.kind == Kind.GOALS


def _require(condition: bool, source: str, message: str) -> None:
    if not condition:
        raise ImproperlyConfigured(f"Instrument definition {source}: {message}")


def _answers(raw, source: str, where: str) -> tuple[Answer, ...]:
    _require(isinstance(raw, list) and raw, source, f"{where} needs a non-empty list of answers")
    answers = tuple(Answer(value=int(answer["value"]), label=str(answer["label"])) for answer in raw)
    _require(len({a.value for a in answers}) == len(answers), source, f"{where} repeats an answer value")
    return answers


def _scale(raw: dict, items: dict[int, Item], source: str, override: dict | None) -> Scale:
    code = raw.get("code", "")
    _require(bool(re.fullmatch(r"[a-z][a-z0-9_]*", code)), source, f"scale code {code!r} is not lower_snake_case")
    numbers = tuple(raw.get("items") or items)
    _require(all(n in items for n in numbers), source, f"scale {code} names an item that does not exist")
    method = raw.get("method", Method.SUM)
    _require(method in Method.values, source, f"scale {code} has an unknown method {method!r}")
    improvement = raw.get("improvement")
    _require(improvement in Improvement.values, source, f"scale {code} needs improvement 'lower' or 'higher'")
    lows = [min(items[n].allowed_values) for n in numbers]
    highs = [max(items[n].allowed_values) for n in numbers]
    expected = (sum(lows), sum(highs)) if method == Method.SUM else (min(lows), max(highs))
    minimum, maximum = float(raw["min"]), float(raw["max"])
    _require((minimum, maximum) == expected, source, f"scale {code} range {minimum}-{maximum} is not {expected}")
    bands = tuple(Band(low=float(b["from"]), high=float(b["to"]), label=str(b["label"])) for b in raw.get("bands", []))
    if bands:
        _require(bands[0].low == minimum and bands[-1].high == maximum, source, f"scale {code} bands miss its range")
        gaps = [later.low - earlier.high for earlier, later in itertools.pairwise(bands)]
        _require(all(gap == 1 for gap in gaps), source, f"scale {code} bands overlap or leave a gap")
    reliable = dict(raw.get("reliable_change") or {})
    reliable.update(override or {})
    threshold = reliable.get("threshold")
    _require(threshold is None or float(threshold) > 0, source, f"scale {code} threshold must be above 0")
    return Scale(
        code=code,
        name=str(raw.get("name", code)),
        items=numbers,
        method=method,
        minimum=minimum,
        maximum=maximum,
        improvement=improvement,
        bands=bands,
        threshold=None if threshold is None else float(threshold),
        threshold_source=str(reliable.get("source", "")),
        min_items=int(raw.get("min_items", len(numbers) if method == Method.SUM else 1)),
    )


def load_definition(raw: dict, *, source: str = "<definition>", overrides: dict | None = None) -> Instrument:
    """Build an instrument from its definition, refusing a definition that would score wrongly."""
    code = raw.get("code", "")
    _require(bool(re.fullmatch(r"[a-z][a-z0-9_]{1,29}", code)), source, f"code {code!r} is not lower_snake_case")
    kind = raw.get("kind", Kind.ITEMS)
    _require(kind in Kind.values, source, f"unknown kind {kind!r}")
    default_answers = raw.get("answers")
    items = {}
    for entry in raw.get("items", []):
        number = int(entry["number"])
        _require(number not in items, source, f"item {number} appears twice")
        answers = _answers(entry.get("answers", default_answers), source, f"item {number}")
        items[number] = Item(
            number=number, text=str(entry["text"]), answers=answers, optional=entry.get("optional", False)
        )
    _require(bool(items), source, "has no items")
    _require(sorted(items) == list(range(1, len(items) + 1)), source, "items must be numbered 1, 2, 3 ...")
    overrides = overrides or {}
    scales = tuple(
        _scale(entry, items, source, overrides.get(f"{code}.{entry.get('code')}")) for entry in raw.get("scales", [])
    )
    _require(bool(scales), source, "has no scales")
    _require(len({s.code for s in scales}) == len(scales), source, "repeats a scale code")
    alerts = tuple(
        AlertRule(
            item=int(a["item"]), above=int(a["above"]), title=str(a["title"]), guidance=str(a.get("guidance", ""))
        )
        for a in raw.get("alerts", [])
    )
    _require(all(rule.item in items for rule in alerts), source, "an alert names an item that does not exist")
    return Instrument(
        code=code,
        name=str(raw["name"]),
        title=str(raw.get("title", raw["name"])),
        order=int(raw.get("order", 1000)),
        core=bool(raw.get("core", False)),
        kind=kind,
        stem=str(raw.get("stem", "")),
        entry_note=str(raw.get("entry_note", "")),
        inline_answers=bool(raw.get("inline_answers", False)),
        items=tuple(items.values()),
        scales=scales,
        alerts=alerts,
        validated_for_pre_post=bool(raw["validated_for_pre_post"]),
        pre_post_note=str(raw.get("pre_post_note", "")),
        licence=str(raw["licence"]),
    )


class Registry:
    """The instruments in use, in their display order."""

    def __init__(self, instruments):
        ordered = sorted(instruments, key=lambda instrument: (instrument.order, instrument.code))
        self._by_code = {instrument.code: instrument for instrument in ordered}
        if len(self._by_code) != len(ordered):
            raise ImproperlyConfigured("Two instrument definitions share a code.")

    def __iter__(self):
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Instrument:
        """The instrument with this code; KeyError when there is none."""
        return self._by_code[code]

    @property
    def codes(self) -> list[str]:
        return list(self._by_code)

    @property
    def core(self) -> list[Instrument]:
        return [instrument for instrument in self if instrument.core]

    def choices(self) -> list[tuple[str, str]]:
        return [(instrument.code, instrument.name) for instrument in self]


def definition_dirs() -> list[Path]:
    return [BUILT_IN_DIR, *(Path(folder) for folder in getattr(settings, "OUTCOMES_INSTRUMENT_DIRS", []))]


@cache
def registry() -> Registry:
    overrides = getattr(settings, "OUTCOMES_RELIABLE_CHANGE", {})
    instruments = []
    for folder in definition_dirs():
        for path in sorted(folder.glob("*.json")):
            with path.open(encoding="utf-8") as handle:
                instruments.append(load_definition(json.load(handle), source=path.name, overrides=overrides))
    return Registry(instruments)


def get_instrument(code: str) -> Instrument:
    return registry().get(code)


@receiver(setting_changed)
def _reload_on_setting_change(sender, setting, **kwargs):
    if setting in {"OUTCOMES_INSTRUMENT_DIRS", "OUTCOMES_RELIABLE_CHANGE"}:
        registry.cache_clear()
