"""Order statistics of waits in days, taken in the database: the median (the mean of the two middle values when
their number is even), the 90th percentile by nearest rank, and the longest (kpis.md, Timeliness and Clocks).

The waits of a set of rows are one query whatever the number of rows: the ORM's query of the rows gives each row's
waits once, in a materialised common table expression. PostgreSQL takes the statistics of each wait from it by its
ordered-set aggregates: the median is `percentile_cont(0.5)` and the nearest rank `percentile_disc(0.9)`, the value
at rank ceil(0.9 n). SQLite has none, so there window functions rank each wait and only the rows at the ranks
wanted come back (at most four a wait, or four a group), which `_statistics` reads.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, QuerySet
from django.db.models.expressions import Combinable


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
RANK_SQL = ("({n} - 1) / 2 + 1", "{n} / 2 + 1", "(9 * {n} + 9) / 10", "{n}")


def _duration(value) -> datetime.timedelta | None:
    """A wait as the database gives it: an interval on PostgreSQL, microseconds on SQLite."""
    if value is None or isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(microseconds=value)


def day_statistics_of(
    rows: QuerySet, waits: Mapping[str, Any], *, within_days: Mapping[str, int | None] | None = None
) -> dict[str, DayStatistics]:
    """n, median, 90th percentile and longest of each wait (`waits`: a name to an expression of the rows giving a
    duration, null where a row has no such wait), in whole days, and how many waits are of at most the days of
    `within_days` for the names it gives: {name: DayStatistics}. One query for all the waits."""
    asked = {name: days for name, days in (within_days or {}).items() if days is not None}
    if connection.vendor == "postgresql":
        return _aggregated(rows, waits, within_days=asked)[None]
    fetched = _ranked(rows, waits, within_days=asked)
    return {name: _statistics(fetched, name, counts_within=name in asked) for name in waits}


def day_statistics_by(
    rows: QuerySet, wait, *, group, within_days: Mapping[Any, int | None] | None = None, groups: Iterable = ()
) -> dict:
    """A wait measured in groups of the rows (`group` an expression of the rows; rows where it is null are in none):
    {group value: DayStatistics}, each as `day_statistics_of` gives it, for the groups that have waits and every
    value of `groups`; `within_days` gives a group's days to count the waits within (none for a group not in it, or
    given None). One query."""
    asked = {value: days for value, days in (within_days or {}).items() if days is not None}
    # The rows of no group are measured as one more group, then left out: filtering them out in the query would
    # repeat the group's expression in it, which costs more to build than their statistics cost the database.
    if connection.vendor == "postgresql":
        found = {
            value: statistics["wait"]
            for value, statistics in _aggregated(rows, {"wait": wait}, group_within_days=asked, partition=group).items()
            if value is not None and statistics["wait"].n
        }
    else:
        fetched = _ranked(rows, {"wait": wait}, group_within_days=asked, partition=group)
        found = {
            value: _statistics([row for row in fetched if row["group"] == value], "wait", counts_within=value in asked)
            for value in {row["group"] for row in fetched} - {None}
        }
    return {
        value: found.get(value) or _statistics([], "wait", counts_within=value in asked) for value in {*groups, *found}
    }


def _ranked(
    rows: QuerySet,
    waits: Mapping[str, Any],
    *,
    within_days: Mapping[str, int] | None = None,
    group_within_days: Mapping[Any, int] | None = None,
    partition: Combinable | None = None,
) -> list[dict]:
    """The rows at the wanted ranks of any of the waits (in each partition), with, for each wait `w` (its position
    among `waits`), its value `w_wait`, its rank `w_rank` and the window totals `w_n` and `w_within`.

    The waits are computed once a row, in a common table expression that the ranking reads as columns: written with
    the ORM's windows, each mention of a wait (the value, the order of the ranks, the count, the count within the
    days) would repeat its expression, and the subqueries in it, in the SQL. Each wait is ranked by its own window
    over the same rows, so that several waits of the same rows (the four clocks) are one scan and one query.
    """
    names, inner, params = _waits(rows, waits, partition)
    group_column = connection.ops.quote_name("group")
    over = f"PARTITION BY {group_column}" if partition is not None else ""
    columns, wanted, outer_params = [], [], []
    for name, column in names.items():
        wait = connection.ops.quote_name(column)
        columns += [
            f"{wait} AS {column}_wait",
            # Equal waits in either order give the same statistics: the wait alone is the sort key.
            f"ROW_NUMBER() OVER ({over} ORDER BY {wait} NULLS LAST) AS {column}_rank",
            f"COUNT({wait}) OVER ({over}) AS {column}_n",
        ]
        within = _within(wait, name, within_days, group_within_days)
        if within is not None:
            condition, condition_params = within
            columns.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) OVER ({over}) AS {column}_within")
            outer_params += condition_params
        ranks = " OR ".join(f"{column}_rank = {rank.format(n=f'{column}_n')}" for rank in RANK_SQL)
        wanted.append(f"({column}_rank <= {column}_n AND ({ranks}))")
    if partition is not None:
        columns.append(group_column)
    # Built from the ORM's own SQL, quoted names and constant ranks; the values are parameters. The waits are a
    # materialised common table expression: as a subquery in FROM, PostgreSQL merges them into the ranking, which
    # then works each wait out (with the subqueries in it) once to sort it and again to return it. (`MATERIALIZED`
    # needs SQLite 3.35 or later; Debian 12 has 3.40.)
    ranked = f"SELECT {', '.join(columns)} FROM waits"  # noqa: S608
    sql = f"WITH waits AS MATERIALIZED ({inner}) SELECT * FROM ({ranked}) AS ranked WHERE {' OR '.join(wanted)}"  # noqa: S608
    with connection.cursor() as cursor:
        # The inner query's parameters come before the outer query's (the days within) in the text.
        cursor.execute(sql, (*params, *outer_params))
        selected = [column[0] for column in cursor.description]
        fetched = [dict(zip(selected, row, strict=True)) for row in cursor.fetchall()]
    return [
        {
            **({"group": row["group"]} if partition is not None else {}),
            **{
                name: {
                    "wait": _duration(row[f"{column}_wait"]),
                    "rank": row[f"{column}_rank"],
                    "n": row[f"{column}_n"],
                    "within": row.get(f"{column}_within"),
                }
                for name, column in names.items()
            },
        }
        for row in fetched
    ]


def _aggregated(
    rows: QuerySet,
    waits: Mapping[str, Any],
    *,
    within_days: Mapping[str, int] | None = None,
    group_within_days: Mapping[Any, int] | None = None,
    partition: Combinable | None = None,
) -> dict[Any, dict[str, DayStatistics]]:
    """The statistics of each wait (in each partition: {group value: {name: DayStatistics}}, or {None: ...} for all
    the rows) by PostgreSQL's ordered-set aggregates over the waits' common table expression, one row a partition.

    Each statistic is of the waits' whole days, as `_statistics` reads them (`timedelta.days`)."""
    names, inner, params = _waits(rows, waits, partition)
    group_column = connection.ops.quote_name("group")
    columns, outer_params = [], []
    for name, column in names.items():
        wait = connection.ops.quote_name(column)
        # Days as a double, not `extract`'s numeric: the two percentiles of the same sort key share one sort.
        days = f"floor(date_part('epoch', {wait}) / 86400)"
        columns += [
            f"COUNT({wait}) AS {column}_n",
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {days}) AS {column}_median",
            f"percentile_disc(0.9) WITHIN GROUP (ORDER BY {days}) AS {column}_p90",
            f"MAX({days}) AS {column}_longest",
        ]
        within = _within(wait, name, within_days, group_within_days)
        if within is not None:
            condition, condition_params = within
            columns.append(f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0) AS {column}_within")
            outer_params += condition_params
    grouping = ""
    if partition is not None:
        columns.append(group_column)
        grouping = f" GROUP BY {group_column}"
    # Built as `_ranked`'s query is; without a partition, one row even when there are no rows.
    sql = f"WITH waits AS MATERIALIZED ({inner}) SELECT {', '.join(columns)} FROM waits{grouping}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *outer_params))
        selected = [column[0] for column in cursor.description]
        fetched = [dict(zip(selected, row, strict=True)) for row in cursor.fetchall()]
    return {
        row.get("group"): {
            name: DayStatistics(
                row[f"{column}_n"],
                row[f"{column}_median"],
                None if row[f"{column}_p90"] is None else int(row[f"{column}_p90"]),
                None if row[f"{column}_longest"] is None else int(row[f"{column}_longest"]),
                row.get(f"{column}_within"),
            )
            for name, column in names.items()
        }
        for row in fetched
    }


def _waits(rows: QuerySet, waits: Mapping[str, Any], partition: Combinable | None) -> tuple[dict[str, str], str, tuple]:
    """The columns the waits are given (`w0`, `w1`, ... by name) and the ORM's query of the rows that gives them
    (and `group`, the partition), with its parameters."""
    names = dict(zip(waits, (f"w{position}" for position in range(len(waits))), strict=True))
    fields: dict[str, Any] = {
        names[name]: ExpressionWrapper(wait, output_field=DurationField()) for name, wait in waits.items()
    }
    if partition is not None:
        fields["group"] = partition
    inner, params = rows.order_by().values(**fields).query.sql_with_params()
    return names, inner, params


def _within(
    wait: str, name: str, within_days: Mapping[str, int] | None, group_within_days: Mapping[Any, int] | None
) -> tuple[str, list] | None:
    """The condition that a wait is of at most the days asked for it, or its group's, with its parameters; None when
    none are asked."""

    def limit(days: int):
        return DurationField().get_db_prep_value(datetime.timedelta(days=days), connection)

    if within_days and name in within_days:
        return f"{wait} <= %s", [limit(within_days[name])]
    if group_within_days:
        # Each partition's own days: a group without any compares with null, and counts none.
        cases = " ".join("WHEN %s THEN %s" for _ in group_within_days)
        condition_params: list = []
        for value, days in group_within_days.items():
            condition_params += [value, limit(days)]
        return f"{wait} <= CASE {connection.ops.quote_name('group')} {cases} END", condition_params
    return None


def _statistics(fetched: list[dict], name: str, *, counts_within: bool = False) -> DayStatistics:
    """The statistics of the wait `name` from the rows `_ranked` returned: every row carries the window totals, so any
    row gives n (and none comes back when no wait has any value); a row returned for another wait's ranks is at
    some other rank of this one, or past its n (a row without this wait), and is not read."""
    ranked = [row[name] for row in fetched]
    n = ranked[0]["n"] if ranked else 0
    within = (ranked[0]["within"] if ranked else 0) if counts_within else None
    if not n:
        return DayStatistics(0, None, None, None, within)
    days = {wait["rank"]: wait["wait"].days for wait in ranked if wait["rank"] <= n}
    low_middle, high_middle, p90, longest = _ranks(n)
    median = (days[low_middle] + days[high_middle]) / 2
    return DayStatistics(n, median, days[p90], days[longest], within)
