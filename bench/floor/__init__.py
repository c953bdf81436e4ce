"""The floor: every figure of the KPI dictionary from hand-written SQL, run straight through the database driver.

A `Block` is one query a skilled hand would write for a part of `kpi_report` and the check that its rows give the
engine's figures (or the floor would be the floor of something else). Each module holds the blocks of one part of
the report: `referrals` (engagement, the clocks, the waiting list), `profile` (who was referred, at acceptance,
disengagement), `activity` (interventions, appointments, group places), `outcomes` and `workforce` (training,
awareness, universal offer, consultations, reach and the targets). The floor of a report is every block run in turn
on one connection; the benchmark's ratio is the engine's time over that.

The blocks take the same parameters, those of `floor_params`, by name (`%(teams)s`); a block may add its own.
"""

import datetime
from collections.abc import Iterable, Sequence

from bench.floor.block import Block, Rows, close
from outcomes.models import QuestionnaireStatus, Timepoint
from pairs.models import Team
from pairs.periods import Period
from referrals.pipeline import OPEN_STATUSES

__all__ = ["BLOCKS", "Block", "Rows", "check_floor", "close", "floor_params", "floor_rows"]


def floor_params(teams: Sequence[Team], period: Period, today: datetime.date) -> dict:
    return {
        "teams": [team.pk for team in teams],
        "start": period.start,
        "end": period.end,
        "today": today,
        "open": sorted(OPEN_STATUSES),
        "complete": QuestionnaireStatus.COMPLETE.value,
        "t1": Timepoint.T1.value,
        "t2": Timepoint.T2.value,
    }


def _blocks() -> dict[str, Block]:
    from bench.floor import activity, outcomes, profile, referrals, workforce

    return {**referrals.BLOCKS, **profile.BLOCKS, **activity.BLOCKS, **outcomes.BLOCKS, **workforce.BLOCKS}


BLOCKS = _blocks()


def floor_rows(
    connection, teams: Sequence[Team], period: Period, today: datetime.date, blocks: Iterable[str] = tuple(BLOCKS)
) -> dict[str, Rows]:
    """The rows of each block named (all by default), through `connection`: a psycopg connection, or Django's (whose
    cursor sees a test's transaction)."""
    common = floor_params(teams, period, today)
    rows = {}
    with connection.cursor() as cursor:
        for name in blocks:
            block = BLOCKS[name]
            cursor.execute(block.sql, {**common, **block.params(teams, period)} if block.params else common)
            rows[name] = cursor.fetchall()
    return rows


def check_floor(rows: dict[str, Rows], report: dict) -> None:
    """Every block's rows against the engine's report."""
    for name, block_rows in rows.items():
        BLOCKS[name].check(block_rows, report)
