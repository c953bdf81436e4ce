"""The working calendar and the random draws: days, months, and whole numbers that sum exactly."""

import calendar
import datetime
import random
from collections.abc import Callable, Sequence
from fractions import Fraction

# Every random draw is seeded from this: the same `today` always gives the same files.
SEED = "blackpool-pairs-demo-v1"
DAY = datetime.timedelta(days=1)
# Christmas Day, Boxing Day and New Year's Day: the team is closed.
CLOSED_DAYS = ((12, 25), (12, 26), (1, 1))


def _is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in CLOSED_DAYS


def working_day(day: datetime.date) -> datetime.date:
    """The day itself, or the next working day after it (the team works weekdays)."""
    while not _is_working_day(day):
        day += DAY
    return day


def _days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Working days from `first` to `last` inclusive; every day when the range holds no working day."""
    days = [first + DAY * n for n in range((last - first).days + 1)]
    return [day for day in days if _is_working_day(day)] or days


def working_day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return rng.choice(_days_between(first, last))


def distinct_days(rng: random.Random, first: datetime.date, last: datetime.date, count: int) -> list[datetime.date]:
    days = _days_between(first, last)
    return sorted(rng.sample(days, min(count, len(days))))


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def pick_several(rng: random.Random, weights: dict, count: int) -> list:
    """`count` different codes, each drawn in proportion to its weight among those not yet drawn."""
    weights, chosen = dict(weights), []
    for _ in range(count):
        chosen.append(pick(rng, weights))
        del weights[chosen[-1]]
    return chosen


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def calendar_months(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar months from `first`'s to `last`'s, each as (first day, last day not after `last`)."""
    months, start = [], first.replace(day=1)
    while start <= last:
        end = min(_add_months(start, 1) - DAY, last)
        months.append((max(start, first), end))
        start = _add_months(start, 1)
    return months


def month_rng(kind: str, month_start: datetime.date) -> random.Random:
    return random.Random(f"{SEED}:{kind}:{month_start:%Y-%m}")


def allocate(
    rng: random.Random, total: int, count: int, low: int, high: int, draw: Callable[[], float] | None = None
) -> list[int]:
    """`count` whole numbers within [low, high] summing exactly to `total`: drawn, then nudged one unit at a time."""
    if not low * count <= total <= high * count:
        raise ValueError(f"{count} values within [{low}, {high}] cannot sum to {total}")
    draw = draw or (lambda: rng.uniform(low, high))
    values = [min(high, max(low, round(draw()))) for _ in range(count)]
    while (gap := total - sum(values)) != 0:
        step = 1 if gap > 0 else -1
        movable = [i for i, value in enumerate(values) if low <= value + step <= high]
        values[rng.choice(movable)] += step
    return values


def spread(rng: random.Random, total: int, slots: Sequence[int], high: int) -> dict[int, int]:
    """Item answers: `total` points spread at random over the items `slots`, each at most `high`."""
    answers = dict.fromkeys(slots, 0)
    for _ in range(total):
        answers[rng.choice([slot for slot in slots if answers[slot] < high])] += 1
    return answers


def _goal_means_sum(rows: list[list[int]]) -> Fraction:
    return sum((Fraction(sum(row), len(row)) for row in rows), Fraction(0))


def fit_goal_ratings(rng: random.Random, rows: list[list[int]], target: Fraction, low: int, high: int) -> None:
    """Nudge goal ratings within [low, high] until the row means (GBO scores) sum exactly to `target`.

    In sixths of a point, one rating step moves its row's mean by 2 (three goals), 3 (two goals) or 6 (one goal): an
    odd gap is closed by a two-goal step, an even one by three-goal steps, falling back to the others when full.
    """
    lowest, highest = (_goal_means_sum([[bound] * len(row) for row in rows]) for bound in (low, high))
    if (target * 6).denominator != 1 or not lowest <= target <= highest:
        raise ValueError(f"Goal ratings within [{low}, {high}] cannot have means summing to {target}")
    for _ in range(100 * sum(map(len, rows)) * (high - low)):
        gap = (target - _goal_means_sum(rows)) * 6
        if gap == 0:
            return
        direction = 1 if gap > 0 else -1
        for goals in (2,) if gap % 2 else (3, 1, 2):  # goals per row, in order of preference
            cells = [
                (r, g)
                for r, row in enumerate(rows)
                if len(row) == goals
                for g, rating in enumerate(row)
                if low <= rating + direction <= high
            ]
            if cells:
                r, g = rng.choice(cells)
                rows[r][g] += direction
                break
    raise ValueError(f"Goal ratings within [{low}, {high}] did not reach means summing to {target}")


def share_of_month(first: datetime.date, last: datetime.date) -> float:
    """How much of its calendar month the range covers (less than 1 only for the month of `today`)."""
    return ((last - first).days + 1) / calendar.monthrange(first.year, first.month)[1]
