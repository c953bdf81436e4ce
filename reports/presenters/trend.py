"""The trend of the main KPIs over the last eight quarters: small multiples, one chart a KPI with its target drawn,
each with its figures in a table. The figures of each quarter are the engine's KPIs (`reports.kpis.kpi_headlines`,
a fixed number of queries whatever the data); pandas shapes them into the quarters-by-KPI table the charts and
tables read."""

import datetime
from dataclasses import dataclass

import pandas as pd
from django.db.models import Min

from pairs.models import Team
from pairs.periods import Period
from referrals.models import Referral
from reports.charts import Chart
from reports.charts.trend import trend_chart
from reports.presenters.kpi_tiles import status_of, target_text
from reports.presenters.period import eight_quarters_to
from reports.presenters.tables import Column, Row, Table
from reports.presenters.values import Cell, count_cell, is_shown_number, is_suppressed, rate_cell
from reports.targets import KPI_DEFINITIONS, KPIS_BY_ID
from training.models import AwarenessEvent, Consultation, TrainingSession, UniversalOfferContact


def service_start_of(team: Team) -> datetime.date | None:
    """When the trend starts: the service's recorded start or, for a team without one, the first day of anything
    the KPIs count (a referral received, a training session, a consultation, an awareness event, a universal offer
    contact); None when there is nothing yet. No queries with a recorded start, else five."""
    if team.reporting_start:
        return team.reporting_start
    firsts = [Referral.objects.in_team(team).aggregate(first=Min("received_on"))["first"]]
    for model in (TrainingSession, Consultation, AwarenessEvent, UniversalOfferContact):
        firsts.append(model.objects.in_team(team).aggregate(first=Min("date"))["first"])
    known = [day for day in firsts if day is not None]
    return min(known) if known else None


def trend_periods(period: Period, *, team: Team) -> list[Period]:
    """The quarters of the trend: the last eight to the period's end, from the service's start (none before it has
    recorded anything, whose quarters would only show zeros)."""
    since = service_start_of(team)
    if since is None:
        return []
    return eight_quarters_to(period, year_start_month=team.year_start_month, since=since)


@dataclass(frozen=True)
class TrendQuarter:
    period: Period
    figures: dict
    year_start_month: int

    @property
    def number(self) -> int:
        return int(self.period.key.partition("-q")[2])

    @property
    def year_name(self) -> str:
        start_year = int(self.period.key.partition("-q")[0])
        if self.year_start_month == 1:
            return str(start_year)
        return f"{start_year % 100:02d}/{(start_year + 1) % 100:02d}"

    @property
    def short_name(self) -> str:
        return f"Q{self.number}\n{self.year_name}"

    @property
    def name(self) -> str:
        return f"Q{self.number} {self.year_name} ({self.period.description})"


@dataclass(frozen=True)
class TrendPanel:
    id: str
    label: str
    chart: Chart
    table: Table


def trend_frame(quarters: list[TrendQuarter], *, today) -> pd.DataFrame:
    """One row a quarter and KPI: the actual figure (a rate for a rate KPI), the target it is judged against (to
    date in a running quarter), the status, and whether the figure is suppressed."""
    records = []
    for quarter in quarters:
        running = today in quarter.period
        for entry in quarter.figures["kpis"]:
            value = entry["rate"] if KPIS_BY_ID[entry["id"]].is_rate else entry["actual"]
            to_date = entry.get("target_to_date")
            records.append(
                {
                    "quarter": quarter.name,
                    "short_name": quarter.short_name,
                    "kpi": entry["id"],
                    "value": value if is_shown_number(value) else None,
                    "suppressed": is_suppressed(value),
                    "target": to_date if running and to_date is not None else entry["target"],
                    "running": running,
                    "status": entry["status"],
                }
            )
    return pd.DataFrame.from_records(records)


def trend_panels(quarters: list[TrendQuarter], *, today) -> list[TrendPanel]:
    frame = trend_frame(quarters, today=today)
    if frame.empty:
        return []
    order = list(dict.fromkeys(frame["quarter"]))
    values = frame.pivot(index="quarter", columns="kpi", values="value").reindex(order)
    targets = frame.pivot(index="quarter", columns="kpi", values="target").reindex(order)
    suppressed = frame.pivot(index="quarter", columns="kpi", values="suppressed").reindex(order)
    statuses = frame.pivot(index="quarter", columns="kpi", values="status").reindex(order)
    running = frame.drop_duplicates("quarter").set_index("quarter")["running"].reindex(order)
    short_names = frame.drop_duplicates("quarter").set_index("quarter")["short_name"].reindex(order)
    panels = []
    for kpi in KPI_DEFINITIONS:
        actual = [None if pd.isna(value) else float(value) for value in values[kpi.id]]
        target = [None if pd.isna(value) else float(value) for value in targets[kpi.id]]
        hidden = [bool(flag) for flag in suppressed[kpi.id]]
        rows = []
        for index, quarter in enumerate(order):
            shown: Cell
            if hidden[index]:
                shown = Cell("*", suppressed=True)
            elif kpi.is_rate:
                shown = rate_cell(actual[index])
            else:
                value = actual[index]
                shown = count_cell(None if value is None else int(value))
            to_date = bool(running[quarter])
            target_words = target_text(target[index], is_rate=kpi.is_rate)
            if to_date and not kpi.is_rate and target[index] is not None:
                target_words = f"{target_words} to date"
            status = status_of(statuses[kpi.id][quarter], to_date=to_date)
            rows.append(Row(quarter, (shown, Cell(target_words), Cell(status.words))))
        table = Table(
            caption=f"{kpi.label} by quarter",
            columns=(
                Column("Quarter", numeric=False),
                Column("Actual"),
                Column("Target"),
                Column("Status", numeric=False),
            ),
            rows=tuple(rows),
        )
        chart = trend_chart(
            list(short_names),
            actual,
            target,
            is_rate=kpi.is_rate,
            suppressed=hidden,
            alt=(
                f"Line chart of {kpi.label.lower()} in each of the last {len(order)} quarters, with the target as a "
                "dashed line. The same figures are in the table with it."
            ),
        )
        panels.append(TrendPanel(id=f"trend-{kpi.id}", label=kpi.label, chart=chart, table=table))
    return panels
