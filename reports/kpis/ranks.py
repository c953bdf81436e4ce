"""Order statistics of waits in days, taken in the database: the median (the mean of the two middle values when
their number is even), the 90th percentile by nearest rank, and the longest (kpis.md, Timeliness and Clocks).

Each wait is one query whatever the number of rows: the ORM's query of the rows gives each row's wait once, in a
materialised common table expression, and window functions over it rank the waits, so that only the rows at the
ranks wanted come back (at most four, or four a group).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, QuerySet


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


# `_ranks` in SQL, where dividing integers drops the remainder as // does in Python.
RANK_SQL = ("(n - 1) / 2 + 1", "n / 2 + 1", "(9 * n + 9) / 10", "n")


def _duration(value) -> datetime.timedelta | None:
    """A wait as the database gives it: an interval on PostgreSQL, microseconds on SQLite."""
    if value is None or isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(microseconds=value)


def day_statistics(rows: QuerySet, wait, *, within_days: int | None = None) -> DayStatistics:
    """n, median, 90th percentile and longest of a wait (an expression of the rows giving a duration, null where a row
    has no such wait), in whole days, and how many waits are of at most `within_days` when given. One query."""
    fetched = _ranked(rows, wait, within_days=within_days)
    return _statistics(fetched, counts_within=within_days is not None)


def day_statistics_by(
    rows: QuerySet, wait, *, group, within_days: Mapping[Any, int | None] | None = None, groups: Iterable = ()
) -> dict:
    """A wait measured in groups of the rows (`group` an expression of the rows; rows where it is null are in none):
    {group value: DayStatistics}, each as `day_statistics` gives it, for the groups that have waits and every value
    of `groups`; `within_days` gives a group's days to count the waits within (none for a group not in it, or
    given None). One query."""
    asked = {value: days for value, days in (within_days or {}).items() if days is not None}
    fetched = _ranked(rows.annotate(group=group).exclude(group=None), wait, within_days=asked, partition=F("group"))
    values = {*groups, *(row["group"] for row in fetched)}
    return {
        value: _statistics([row for row in fetched if row["group"] == value], counts_within=value in asked)
        for value in values
    }


def _ranked(
    rows: QuerySet, wait, *, within_days: int | Mapping[Any, int] | None = None, partition: F | None = None
) -> list[dict]:
    """The rows at the wanted ranks of the wait (in each partition), with their rank and the window totals.

    The wait is computed once a row, in a common table expression that the ranking reads as a column: written with
    the ORM's windows, each mention of the wait (the value, the order of the ranks, the count, the count within the
    days) would repeat its expression, and the subqueries in it, in the SQL.
    """
    fields = {"row_id": F("pk"), "wait": ExpressionWrapper(wait, output_field=DurationField())}
    if partition is not None:
        fields["group"] = partition
    waits = rows.order_by().values(**fields)
    if partition is not None:
        waits = waits.exclude(group=None)
    inner, params = waits.query.sql_with_params()
    quote = connection.ops.quote_name
    wait_column, group_column = quote("wait"), quote("group")
    over = f"PARTITION BY {group_column}" if partition is not None else ""
    columns = [
        f"ROW_NUMBER() OVER ({over} ORDER BY {wait_column} IS NULL, {wait_column}, {quote('row_id')}) AS rank",
        f"COUNT({wait_column}) OVER ({over}) AS n",
    ]
    outer_params: list = []

    def limit(days: int):
        return DurationField().get_db_prep_value(datetime.timedelta(days=days), connection)

    if isinstance(within_days, int):
        columns.append(f"SUM(CASE WHEN {wait_column} <= %s THEN 1 ELSE 0 END) OVER ({over}) AS within")
        outer_params.append(limit(within_days))
    elif within_days:
        # Each partition's own days: a group without any compares with null, and counts none.
        cases = " ".join("WHEN %s THEN %s" for _ in within_days)
        columns.append(
            f"SUM(CASE WHEN {wait_column} <= CASE {group_column} {cases} END THEN 1 ELSE 0 END) OVER ({over}) AS within"
        )
        for value, days in within_days.items():
            outer_params.extend((value, limit(days)))
    selected = [wait_column, *columns, *([group_column] if partition is not None else [])]
    ranks = " OR ".join(f"rank = {rank}" for rank in RANK_SQL)
    # Built from the ORM's own SQL, quoted names and constant ranks; the values are parameters. The waits are a
    # materialised common table expression: as a subquery in FROM, PostgreSQL merges them into the ranking, which
    # then works each wait out (with the subqueries in it) once to sort it and again to return it. (`MATERIALIZED`
    # needs SQLite 3.35 or later; Debian 12 has 3.40.)
    ranked = f"SELECT {', '.join(selected)} FROM waits"  # noqa: S608
    sql = f"WITH waits AS MATERIALIZED ({inner}) SELECT * FROM ({ranked}) AS ranked WHERE rank <= n AND ({ranks})"  # noqa: S608
    with connection.cursor() as cursor:
        # The inner query's parameters come before the outer query's (the days within) in the text.
        cursor.execute(sql, (*params, *outer_params))
        names = [column[0] for column in cursor.description]
        fetched = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in fetched:
        row["wait"] = _duration(row["wait"])
    return fetched


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
