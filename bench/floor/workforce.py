"""The floor of the workforce figures, reach and the KPIs against their targets: training sessions by type,
consultations by outcome and by consultee service, awareness events and universal offer dyads in one query; the
teams' births and the period's months for reach; and every KPI's target and target to date, pro-rated from the
teams' own schedules or the defaults, with the entries' actuals and statuses judged against them."""

from fractions import Fraction

from bench.floor.block import Block, Rows, close
from pairs.bounds import EARLIEST_RECORD_DATE
from pairs.periods import LATEST_PERIOD_DATE
from reports.figures import Count, Rate, Scaled
from reports.kpis.entries import kpi_entries
from reports.targets import KPI_DEFINITIONS
from training.models import ConsultationOutcome, SessionType

# A month's share of days is counted in parts of a month: 377,580, the least common multiple of 28, 29, 30 and 31,
# so that every day of every month is a whole number of parts and sums of shares are exact, as kpis.md's rounding of
# a pro-rated target needs.
MONTH_PARTS = 377_580

# One row a figure and key: each kind of activity's records in the period grouped by type or outcome, with the
# totals as the row of no key, and the consultee services ranked as the report lists them. The consultations are
# read once for their totals, outcomes and services alike (grouping sets).
WORKFORCE_SQL = """
WITH consultation AS (
    SELECT outcome, consultee_service_id AS service_id, count(*) AS n, count(children) AS recorded_in,
           coalesce(sum(children), 0) AS children
    FROM training_consultation
    WHERE team_id = ANY(%(teams)s) AND date BETWEEN %(start)s AND %(end)s
    GROUP BY GROUPING SETS ((), (outcome), (consultee_service_id))
)
SELECT 'training', session_type, count(*), coalesce(sum(participants), 0), coalesce(sum(feedback_returned), 0),
       coalesce(sum(feedback_positive), 0)
FROM training_trainingsession
WHERE team_id = ANY(%(teams)s) AND date BETWEEN %(start)s AND %(end)s
GROUP BY ROLLUP (session_type)
UNION ALL
SELECT 'consultations', outcome, n, recorded_in, children, NULL FROM consultation WHERE service_id IS NULL
UNION ALL
SELECT 'by_service', s.code, c.n, row_number() OVER (ORDER BY c.n DESC, s.sort_order, s.code), NULL, NULL
FROM consultation c JOIN pairs_service s ON s.id = c.service_id
UNION ALL
SELECT 'awareness', NULL, count(*), coalesce(sum(people_engaged), 0), NULL, NULL
FROM training_awarenessevent
WHERE team_id = ANY(%(teams)s) AND date BETWEEN %(start)s AND %(end)s
UNION ALL
SELECT 'universal', NULL, NULL, coalesce(sum(dyads), 0), NULL, NULL
FROM training_universaloffercontact
WHERE team_id = ANY(%(teams)s) AND date BETWEEN %(start)s AND %(end)s
"""

TRAINING_KEYS = {"sessions", "participants", "by_type", "feedback_returned", "feedback_positive"}
# In the order of data-contract.md 2.1, which puts the shares beside the counts.
CONSULTATION_KEYS = ("total", "by_outcome", "by_outcome_share", "children_recorded_in", "children", "by_service")


def _workforce(rows: Rows, report: dict) -> None:
    figures = {(figure, key): numbers for figure, key, *numbers in rows}

    training = report["training"]
    assert set(training) == TRAINING_KEYS, training
    sessions, participants, returned, positive = figures["training", None]
    assert training["sessions"].value == sessions, ("training sessions", training["sessions"], sessions)
    assert training["participants"].value == participants, ("training participants", training, participants)
    assert training["feedback_returned"].value == returned, ("feedback returned", training, returned)
    assert training["feedback_positive"].value == positive, ("feedback positive", training, positive)
    assert set(training["by_type"]) == set(SessionType.values), training["by_type"]
    for kind, by_type in training["by_type"].items():
        sessions, participants, *_ = figures.get(("training", kind), (0, 0))
        assert (by_type["sessions"].value, by_type["participants"].value) == (sessions, participants), (kind, by_type)

    consultations = report["consultations"]
    assert tuple(consultations) == CONSULTATION_KEYS, tuple(consultations)
    total, recorded_in, children, _ = figures["consultations", None]
    assert consultations["total"].value == total, ("consultations", consultations["total"], total)
    assert consultations["children_recorded_in"].value == recorded_in, ("children recorded in", recorded_in)
    assert consultations["children"].value == children, ("children discussed", consultations["children"], children)
    assert set(consultations["by_outcome"]) == set(consultations["by_outcome_share"]) == set(ConsultationOutcome.values)
    for outcome in ConsultationOutcome.values:
        n = figures.get(("consultations", outcome), (0,))[0]
        assert consultations["by_outcome"][outcome].value == n, (outcome, consultations["by_outcome"][outcome], n)
        assert consultations["by_outcome_share"][outcome] == Rate(n, total), (outcome, n, total)
    ranked = sorted((rank, code, n) for (figure, code), (n, rank, *_) in figures.items() if figure == "by_service")
    assert [rank for rank, _, _ in ranked] == list(range(1, len(ranked) + 1)), ranked
    by_service = [(code, count.value) for code, count in consultations["by_service"].items()]
    assert by_service == [(code, n) for _, code, n in ranked], ("by service", by_service, ranked)

    events, people, *_ = figures["awareness", None]
    assert report["awareness"] == {"events": Count(events), "people_engaged": Count(people)}, report["awareness"]
    dyads = figures["universal", None][1]
    assert report["universal"] == {"dyads": Count(dyads)}, (report["universal"], dyads)


# The births are unknown when a team has none; the period's months are its unrounded length, each calendar month
# it touches counting the share of its days inside it (kpis.md), here in parts of a month (`MONTH_PARTS`).
REACH_SQL = """
SELECT CASE WHEN count(births_per_year) = count(*) THEN sum(births_per_year) END,
       (SELECT sum((least((m + interval '1 month')::date, %(end)s + 1) - greatest(m::date, %(start)s))
                   * (%(parts)s::int / ((m + interval '1 month')::date - m::date)))
        FROM generate_series(date_trunc('month', %(start)s::timestamp), %(end)s::timestamp, interval '1 month') m)
FROM pairs_team WHERE id = ANY(%(teams)s)
"""


def _reach(rows: Rows, report: dict) -> None:
    ((births, parts),) = rows
    reach = report["reach"]
    assert set(reach) == {"births_per_year", "accepted_per_year", "share_of_births"}, reach
    assert reach["births_per_year"] == births, ("births per year", reach["births_per_year"], births)
    # The accepted referrals are the engagement block's to check; reach scales them.
    accepted = report["referrals"]["accepted"].value
    per_year = Fraction(12 * MONTH_PARTS, parts)
    for name, factor, places in (
        ("accepted_per_year", per_year, 1),
        ("share_of_births", per_year / births if births else None, 4),
    ):
        scaled = reach[name]
        assert scaled == Scaled(accepted, factor, places), (name, scaled, accepted, factor)


# Each KPI's target for the period and, while the period runs (it contains today), to today: a count pro-rated,
# the sum over the teams and the calendar months each span touches of (the month's annual target / 12) x (the share
# of its days inside the span), rounded to one place; a rate the teams' target at the period's end when they share
# one. A team's schedule of a KPI is its own entries when it has any, else the defaults; a service year takes the
# entry with the latest first year not after it. Service year 1 contains the service's start (a start outside the
# dates reports cover counts as none), and a team with no start is established: every year is a late one
# (10,000).
TARGETS_SQL = """
WITH team AS (
    SELECT id, year_start_month - 1 AS shift,
           CASE WHEN service_started_on BETWEEN %(earliest)s AND %(latest)s
                THEN (extract(year FROM service_started_on) * 12 + extract(month FROM service_started_on))::int - 1
           END AS started_month
    FROM pairs_team WHERE id = ANY(%(teams)s)
), schedule AS (
    SELECT team_id, kpi, from_year, target,
           lead(from_year) OVER (PARTITION BY team_id, kpi ORDER BY from_year) AS until_year
    FROM (
        SELECT team_id, kpi, from_service_year AS from_year, annual_target AS target
        FROM reports_kpitarget WHERE team_id = ANY(%(teams)s)
        UNION ALL
        SELECT t.id, d.kpi, d.from_year, d.target
        FROM team t
        CROSS JOIN unnest(%(default_kpis)s::text[], %(default_years)s::int[], %(default_targets)s::numeric[])
            AS d (kpi, from_year, target)
        WHERE NOT EXISTS (SELECT FROM reports_kpitarget own WHERE own.team_id = t.id AND own.kpi = d.kpi)
    ) AS entry
), span AS (
    SELECT false AS to_today, %(start)s::date AS first, %(end)s::date AS last
    UNION ALL
    SELECT true, %(start)s, %(today)s WHERE %(today)s BETWEEN %(start)s AND %(end)s
), judged AS (
    -- A count is judged month by month, a rate once, at the period's end (no parts); months are numbered
    -- year x 12 + month - 1, so that a month's service year is a division.
    SELECT false AS is_rate, s.to_today, (extract(year FROM m) * 12 + extract(month FROM m))::int - 1 AS month,
           (least((m + interval '1 month')::date, s.last + 1) - greatest(m::date, s.first))
           * (%(parts)s::int / ((m + interval '1 month')::date - m::date)) AS parts
    FROM span s
    CROSS JOIN generate_series(date_trunc('month', s.first::timestamp), s.last::timestamp, interval '1 month') m
    UNION ALL
    SELECT true, false, (extract(year FROM %(end)s::date) * 12 + extract(month FROM %(end)s::date))::int - 1, NULL
), service_year AS (
    -- The months of a service year weigh together: their target is the same.
    SELECT t.id AS team_id, j.is_rate, j.to_today, sum(j.parts) AS parts,
           CASE WHEN t.started_month IS NULL THEN 10000
                ELSE (j.month - t.shift) / 12 - (t.started_month - t.shift) / 12 + 1 END AS number
    FROM team t CROSS JOIN judged j
    GROUP BY t.id, j.is_rate, j.to_today, number
), targeted AS (
    SELECT k.kpi, k.is_rate, y.to_today, y.parts, sc.target
    FROM unnest(%(kpis)s::text[], %(rates)s::boolean[]) AS k (kpi, is_rate)
    JOIN service_year y USING (is_rate)
    LEFT JOIN schedule sc ON sc.team_id = y.team_id AND sc.kpi = k.kpi AND y.number >= 1
         AND y.number >= sc.from_year AND (sc.until_year IS NULL OR y.number < sc.until_year)
), rates AS (
    SELECT kpi, CASE WHEN count(*) = count(target) AND count(DISTINCT target) = 1 THEN min(target) END AS shared
    FROM targeted WHERE is_rate GROUP BY kpi
)
SELECT kpi, round(sum(target * parts) FILTER (WHERE NOT to_today) / (12 * %(parts)s::int), 1),
       round(sum(target * parts) FILTER (WHERE to_today) / (12 * %(parts)s::int), 1)
FROM targeted WHERE NOT is_rate GROUP BY kpi
UNION ALL
SELECT kpi, shared, CASE WHEN %(today)s BETWEEN %(start)s AND %(end)s THEN shared END FROM rates
"""

_DEFAULTS = [(kpi.id, year, target) for kpi in KPI_DEFINITIONS for year, target in kpi.defaults]
TARGET_PARAMS = {
    "kpis": [kpi.id for kpi in KPI_DEFINITIONS],
    "rates": [kpi.is_rate for kpi in KPI_DEFINITIONS],
    "default_kpis": [kpi for kpi, _, _ in _DEFAULTS],
    "default_years": [year for _, year, _ in _DEFAULTS],
    "default_targets": [target for _, _, target in _DEFAULTS],
    "parts": MONTH_PARTS,
    "earliest": EARLIEST_RECORD_DATE,
    "latest": LATEST_PERIOD_DATE,
}
ENTRY_KEYS = {"id", "target", "target_to_date", "actual", "rate", "status"}


def _targets(rows: Rows, report: dict) -> None:
    targets = {kpi: tuple(None if value is None else float(value) for value in both) for kpi, *both in rows}
    entries = report["kpis"]
    assert [entry["id"] for entry in entries] == TARGET_PARAMS["kpis"], entries
    assert set(targets) == set(TARGET_PARAMS["kpis"]), targets
    for kpi, entry in zip(KPI_DEFINITIONS, entries, strict=True):
        assert set(entry) == ENTRY_KEYS, entry
        target, to_date = targets[kpi.id]
        close(entry["target"], target, f"{kpi.id} target")
        close(entry["target_to_date"], to_date, f"{kpi.id} target to date")
    # The actuals are the figures the other blocks check; each entry must be the engine's judgement of them against
    # the targets the rows give.
    judged = kpi_entries(
        report,
        {kpi: target for kpi, (target, _) in targets.items()},
        {kpi: to_date for kpi, (_, to_date) in targets.items()},
    )
    for entry, expected in zip(entries, judged, strict=True):
        assert entry == expected, (entry, expected)


BLOCKS = {
    "workforce": Block(WORKFORCE_SQL, _workforce),
    "reach": Block(REACH_SQL, _reach, lambda teams, period: {"parts": MONTH_PARTS}),
    "targets": Block(TARGETS_SQL, _targets, lambda teams, period: TARGET_PARAMS),
}
