"""The benchmark's floor (bench/floor): its hand-written SQL gives every figure of the engine's report, on the demo
service, for the published window, a quarter and a year of it, a window that ends before most of its history, and the
months to today (the demo's diary: appointments and group places)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bench.floor import BLOCKS, check_floor, floor_rows
from pairs.periods import Period
from reports.kpis import kpi_report
from reports.models import KpiTarget

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark's floor is PostgreSQL's SQL"),
]

# (period, today): a today inside the published window judges its targets to date too.
PUBLISHED = datetime.date(2024, 5, 15)
PERIODS = [
    (Period(datetime.date(2023, 3, 1), datetime.date(2024, 5, 31)), PUBLISHED),  # the published window
    (Period(datetime.date(2023, 6, 1), datetime.date(2023, 8, 31)), PUBLISHED),
    (Period(datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)), PUBLISHED),
    (Period(datetime.date(2022, 10, 1), datetime.date(2023, 1, 15)), PUBLISHED),
    # The demo's appointments and group places are dated from the day it is loaded.
    (Period(timezone.localdate() - datetime.timedelta(days=180), timezone.localdate()), timezone.localdate()),
]


@pytest.mark.parametrize(("period", "today"), PERIODS, ids=[f"{p.start}..{p.end}" for p, _ in PERIODS])
def test_the_floor_gives_every_figure_of_the_engine(demo_team, period, today):
    rows = floor_rows(connection, [demo_team], period, today)

    check_floor(rows, kpi_report(teams=[demo_team], period=period, today=today))


def test_the_floor_gives_the_targets_of_a_team_s_own_schedules(demo_team):
    """The demo keeps the default targets; a team's own schedules change from one service year to the next, and
    1 consultation a year over the published window's 15 months is 1.25, a tie that rounds up to 1.3."""
    for kpi, from_year, annual in (
        ("training_sessions", 1, "10"),
        ("training_sessions", 2, "20.5"),
        ("outcome_pairing_rate", 1, "0.7"),
        ("outcome_pairing_rate", 2, "0.75"),
        ("consultations", 1, "1"),
    ):
        KpiTarget.objects.create(team=demo_team, kpi=kpi, from_service_year=from_year, annual_target=Decimal(annual))

    for period, today in PERIODS:
        report = kpi_report(teams=[demo_team], period=period, today=today)
        check_floor(floor_rows(connection, [demo_team], period, today, ["targets"]), report)
    published = kpi_report(teams=[demo_team], period=PERIODS[0][0], today=PERIODS[0][1])["kpis"]
    assert next(entry for entry in published if entry["id"] == "consultations")["target"] == 1.3


def test_every_block_is_checked_and_a_wrong_row_fails_its_check(demo_team):
    period, today = PERIODS[0]
    report = kpi_report(teams=[demo_team], period=period, today=today)
    rows = floor_rows(connection, [demo_team], period, today)

    for name, block_rows in rows.items():
        assert block_rows, f"{name}: no rows to check on the demo's published window"
        with pytest.raises(AssertionError):
            BLOCKS[name].check(_one_figure_off(block_rows), report)


def _one_figure_off(rows: list[tuple]) -> list[tuple]:
    """The rows with the first number of the first row that has one (a count, most often) one more."""
    for index, row in enumerate(rows):
        for position, value in enumerate(row):
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                changed = (*row[:position], value + 1, *row[position + 1 :])
                return [*rows[:index], changed, *rows[index + 1 :]]
    raise AssertionError(f"no number in {rows}")
