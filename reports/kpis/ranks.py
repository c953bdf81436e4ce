"""Order statistics of waits in days, taken in the database: the median (the mean of the two middle values when
their number is even), the 90th percentile by nearest rank, and the longest (kpis.md, Timeliness and Clocks).

Each wait is one query whatever the number of rows: window functions rank the waits, and only the rows at the ranks
wanted come back (at most four, or four a group). One wait a query, because every mention of a wait in the ranking
repeats its expression (and its subqueries) in the SQL: several waits at once cost PostgreSQL more than the sum.
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
    # How many waits are of at most the days asked for (`within_days` of `day_statistics`); None when not asked.
    within: int | None = None


NO_WAITS = DayStatistics(0, None, None, None)


def _ranks(n: int) -> tuple[int, int, int, int]:
    """The ranks (1 to n) of the two middle values (the same one when n is odd), the 90th percentile's nearest rank
    (ceil(0.9 n)) and the largest."""
    return (n - 1) // 2 + 1, n // 2 + 1, (9 * n + 9) // 10, n


def _rank_expressions(n: F) -> tuple:
    """`_ranks` in SQL, where dividing integers drops the remainder as // does in Python."""
    return (n - 1) / 2 + 1, n / 2 + 1, (9 * n + 9) / 10, n


def day_statistics(rows: QuerySet, wait, *, within_days: int | None = None) -> DayStatistics:
    """n, median, 90th percentile and longest of a wait (an expression of the rows giving a duration, null where a row
    has no such wait), in whole days, and how many waits are of at most `within_days` when given. One query."""
    fetched = _ranked(rows, wait, within_days=within_days)
    return _statistics(fetched, counts_within=within_days is not None)


def day_statistics_by(rows: QuerySet, wait, *, group) -> dict:
    """A wait measured in groups of the rows (`group` an expression of the rows; rows where it is null are in none):
    {group value: DayStatistics} for the groups that have waits. One query."""
    fetched = _ranked(rows.annotate(group=group).exclude(group=None), wait, partition=F("group"))
    groups = {row["group"] for row in fetched}
    return {value: _statistics([row for row in fetched if row["group"] == value]) for value in groups}


def _ranked(rows: QuerySet, wait, *, within_days: int | None = None, partition: F | None = None) -> list[dict]:
    """The rows at the wanted ranks of the wait (in each partition), with their rank and the window totals."""
    over = {"partition_by": [partition]} if partition is not None else {}
    windows = {
        # Nulls rank last, so ranks 1 to n are the n waits there are.
        "rank": Window(RowNumber(), order_by=[F("wait").asc(nulls_last=True), F("pk").asc()], **over),
        "n": Window(Count("wait"), **over),
    }
    if within_days is not None:
        limit = datetime.timedelta(days=within_days)
        windows["within"] = Window(Sum(Case(When(wait__lte=limit, then=Value(1)), default=0)), **over)
    at_a_rank = Q()
    for rank in _rank_expressions(F("n")):
        at_a_rank |= Q(rank=rank)
    fields = ["wait", *windows, *(["group"] if partition is not None else [])]
    return list(
        rows.order_by()
        .annotate(wait=ExpressionWrapper(wait, output_field=DurationField()))
        .annotate(**windows)
        .filter(Q(rank__lte=F("n")) & at_a_rank)
        .values(*fields)
    )


def _statistics(fetched: list[dict], *, counts_within: bool = False) -> DayStatistics:
    # Every row carries the window totals, so any row gives n (and none comes back when there is no wait).
    n = fetched[0]["n"] if fetched else 0
    within = (fetched[0]["within"] if fetched else 0) if counts_within else None
    if not n:
        return DayStatistics(0, None, None, None, within)
    days = {row["rank"]: row["wait"].days for row in fetched}
    low_middle, high_middle, p90, longest = _ranks(n)
    median = (days[low_middle] + days[high_middle]) / 2
    return DayStatistics(n, median, days[p90], days[longest], within)
