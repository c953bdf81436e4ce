"""Order statistics of waits in days, taken in the database: the median (the mean of the two middle values when
their number is even), the 90th percentile by nearest rank, and the longest (kpis.md, Timeliness and Clocks).

`day_statistics` measures several waits of the same rows at once, in one query whatever the number of rows: window
functions rank each wait, and only the rows at the ranks wanted come back (at most four a wait).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber


@dataclass(frozen=True)
class DayStatistics:
    n: int
    median: float | None
    p90: int | None
    longest: int | None
    # How many waits are of at most the days asked for (`within` of `day_statistics`); None when not asked.
    within: int | None = None


def _ranks(n: int) -> tuple[int, int, int, int]:
    """The ranks (1 to n) of the two middle values (the same one when n is odd), the 90th percentile's nearest rank
    (ceil(0.9 n)) and the largest."""
    return (n - 1) // 2 + 1, n // 2 + 1, (9 * n + 9) // 10, n


def _rank_expressions(n: F) -> tuple:
    """`_ranks` in SQL, where dividing integers drops the remainder as // does in Python."""
    return (n - 1) / 2 + 1, n / 2 + 1, (9 * n + 9) / 10, n


def day_statistics(rows: QuerySet, waits: dict, *, within: dict[str, int] | None = None) -> dict[str, DayStatistics]:
    """For each named wait (an expression of the rows giving a duration, null where the row has no such wait):
    n, median, 90th percentile and longest, in whole days. `within` names waits whose count of at most so many days
    is wanted too. One query."""
    within = within or {}
    annotated = rows.order_by().annotate(
        **{name: ExpressionWrapper(wait, output_field=DurationField()) for name, wait in waits.items()}
    )
    windows, wanted = {}, Q()
    for name in waits:
        # Nulls rank last, so ranks 1 to n are the n waits there are.
        windows[f"{name}_rank"] = Window(RowNumber(), order_by=[F(name).asc(nulls_last=True), F("pk").asc()])
        windows[f"{name}_n"] = Window(Count(name))
        if name in within:
            limit = datetime.timedelta(days=within[name])
            windows[f"{name}_within"] = Window(Sum(Case(When(**{f"{name}__lte": limit}, then=Value(1)), default=0)))
        at_a_rank = Q()
        for rank in _rank_expressions(F(f"{name}_n")):
            at_a_rank |= Q(**{f"{name}_rank": rank})
        wanted |= Q(**{f"{name}_rank__lte": F(f"{name}_n")}) & at_a_rank
    fetched = list(annotated.annotate(**windows).filter(wanted).values(*waits, *windows))
    return {name: _statistics(name, fetched, counts_within=name in within) for name in waits}


def _statistics(name: str, fetched: list[dict], *, counts_within: bool) -> DayStatistics:
    # Every row carries the window totals, so any row gives n (and none comes back when no row has any wait).
    n = fetched[0][f"{name}_n"] if fetched else 0
    within = (fetched[0][f"{name}_within"] if fetched else 0) if counts_within else None
    if not n:
        return DayStatistics(0, None, None, None, within)
    days = {row[f"{name}_rank"]: row[name].days for row in fetched if row[f"{name}_rank"] <= n}
    low_middle, high_middle, p90, longest = _ranks(n)
    median = (days[low_middle] + days[high_middle]) / 2
    return DayStatistics(n, median, days[p90], days[longest], within)
