"""What a set of referrals' pairs add up to (kpis.md, Outcomes): per instrument scale, the sums its statistics are
made of and its reliable changes; per family, the roll-up; per caregiver, NHS Talking Therapies recovery.

All three come from one query. The pairs are worked out once, in a common table expression built from the ORM's
query of them (`paired_scores`), and summed three ways over it: finding each caregiver's first T1 and last T2 is
most of the work, and three queries did it three times (bench/README.md). The sums need SQL the ORM cannot write
(aggregates over aggregates of one shared derived table); they read only the derived table's columns, so every
condition on a pair (improved, deteriorated, its threshold) stays the ORM's, written once, in `paired_scores` and
here.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, QuerySet, Value, When

from outcomes.registry import Instrument, registry
from outcomes.selectors.pairs import RELIABLY_DETERIORATED, RELIABLY_IMPROVED, core_instrument_codes, paired_scores
from outcomes.statistics import PairedSums, paired_statistics, rounded

# Rounding of the KPI export (data-contract.md section 2).
MEAN_PLACES = 2
P_VALUE_PLACES = 4
EFFECT_SIZE_PLACES = 2

# NHS Talking Therapies caseness: at or above these totals at T1 (kpis.md, Recovery). Recovery needs both measures.
CASENESS = {"phq9": 10, "gad7": 8}

# The sums, over the pairs' table, in the order of `_SUMS_SQL`'s columns after the scale's.
_SCALE_SUMS = ("n", "sum_t1", "sum_t2", "sum_change", "sum_change_squared", "improved", "deteriorated")
_FAMILY_SUMS = ("families", "families_improved", "families_deteriorated")
_RECOVERY_SUMS = ("caregivers_paired", "at_caseness", "recovered", "reliably_recovered")
_PAIRED_SUMS = ("referrals_paired",)

# Over the pairs' table `pairs` (one row a pair: referral, caregiver, instrument, scale, t1, t2, change, threshold,
# and 0 or 1 for improved and deteriorated). The parameters are the two caseness instruments (six times: four
# columns and the filter) and then their caseness totals (four times); `{paired_referral}` is the condition on a
# pair of `_paired_referral`, whose parameters come last.
_SUMS_SQL = """
families AS (
    SELECT referral,
           COUNT(DISTINCT caregiver) AS caregivers,
           COUNT(DISTINCT CASE WHEN improved = 1 THEN caregiver END) AS improved_caregivers,
           SUM(deteriorated) AS deteriorated_pairs
    FROM pairs WHERE threshold IS NOT NULL GROUP BY referral
),
caregivers AS (
    SELECT caregiver,
           MAX(CASE WHEN instrument = %s THEN t1 END) AS first_t1,
           MAX(CASE WHEN instrument = %s THEN t2 END) AS first_t2,
           MAX(CASE WHEN instrument = %s THEN t1 END) AS second_t1,
           MAX(CASE WHEN instrument = %s THEN t2 END) AS second_t2,
           SUM(improved) AS improved,
           SUM(deteriorated) AS deteriorated
    FROM pairs WHERE instrument IN (%s, %s) GROUP BY caregiver HAVING COUNT(DISTINCT instrument) = 2
),
family_sums AS MATERIALIZED (
    SELECT COUNT(*) AS families,
           COALESCE(SUM(CASE WHEN deteriorated_pairs = 0 AND improved_caregivers = caregivers THEN 1 ELSE 0 END), 0)
               AS families_improved,
           COALESCE(SUM(CASE WHEN deteriorated_pairs > 0 THEN 1 ELSE 0 END), 0) AS families_deteriorated
    FROM families
),
recovery_sums AS MATERIALIZED (
    SELECT COUNT(*) AS caregivers_paired,
           COALESCE(SUM(at_caseness), 0) AS at_caseness,
           COALESCE(SUM(at_caseness * below_after), 0) AS recovered,
           COALESCE(SUM(at_caseness * below_after * reliable), 0) AS reliably_recovered
    FROM (
        SELECT CASE WHEN first_t1 >= %s OR second_t1 >= %s THEN 1 ELSE 0 END AS at_caseness,
               CASE WHEN first_t2 < %s AND second_t2 < %s THEN 1 ELSE 0 END AS below_after,
               CASE WHEN improved > 0 AND deteriorated = 0 THEN 1 ELSE 0 END AS reliable
        FROM caregivers
    ) AS caseness
),
paired_sums AS MATERIALIZED (
    SELECT COUNT(DISTINCT referral) AS referrals_paired FROM pairs WHERE {paired_referral}
)
SELECT scales.*, family_sums.*, recovery_sums.*, paired_sums.*
FROM (
    SELECT instrument, scale, COUNT(*) AS n, SUM(t1) AS sum_t1, SUM(t2) AS sum_t2, SUM(change) AS sum_change,
           SUM(change * change) AS sum_change_squared, SUM(improved) AS improved, SUM(deteriorated) AS deteriorated
    FROM pairs GROUP BY instrument, scale
) AS scales
-- The one-row sums are materialised: joined as subqueries, PostgreSQL worked them out again for every scale.
CROSS JOIN family_sums CROSS JOIN recovery_sums CROSS JOIN paired_sums
"""


@dataclass(frozen=True)
class CohortOutcomes:
    # Keyed as the KPI export's `outcomes.instruments` block (`cohort_statistics`).
    instruments: dict[str, dict]
    # The referrals with a pair of a scale with a reliable-change threshold, by the roll-up rule of domain.md: per
    # caregiver first (improved when at least one measure reliably improved and none deteriorated), then the
    # referral takes the worst of its caregivers. So a referral deteriorated when any pair did, improved when every
    # caregiver improved, and showed no reliable change otherwise.
    families: int
    families_improved: int
    families_deteriorated: int
    # NHS Talking Therapies recovery, over the caregivers with both PHQ-9 and GAD-7 paired: at caseness at T1 on
    # either; recovered when at caseness at T1 and below it on both at T2; reliably recovered when recovered,
    # reliably improved on at least one and reliably deteriorated on neither.
    caregivers_paired: int
    at_caseness: int
    recovered: int
    reliably_recovered: int
    # The referrals (of `paired_among`, when given) with a pair of a core instrument: `with_paired_outcomes`.
    referrals_paired: int


def cohort_outcomes(
    referrals: QuerySet, *, end: datetime.date | None = None, paired_among: QuerySet | None = None
) -> CohortOutcomes:
    """The referrals' pairs summed per scale, per family and per caregiver, and how many of them (or of
    `paired_among`, some of them: the completed ones, for the pairing rate) have a pair of a core instrument. One
    query whatever their number."""
    pairs = (
        paired_scores(referrals, end=end)
        .annotate(
            improved=Case(When(RELIABLY_IMPROVED, then=Value(1)), default=Value(0)),
            deteriorated=Case(When(RELIABLY_DETERIORATED, then=Value(1)), default=Value(0)),
        )
        .values(
            "scale",
            "t1",
            "t2",
            "change",
            "threshold",
            "improved",
            "deteriorated",
            referral=F("questionnaire__referral"),
            caregiver=F("questionnaire__caregiver"),
            instrument=F("questionnaire__instrument"),
        )
        .order_by()
    )
    pairs_sql, pairs_params = pairs.query.sql_with_params()
    paired_referral, paired_params = _paired_referral(paired_among)
    (first, first_caseness), (second, second_caseness) = CASENESS.items()
    params = (
        *pairs_params,
        *(first, first, second, second, first, second),
        *(first_caseness, second_caseness, first_caseness, second_caseness),
        *paired_params,
    )
    # Built from the ORM's own SQL and constant text; the values are parameters.
    sql = f"WITH pairs AS ({pairs_sql}), {_SUMS_SQL.format(paired_referral=paired_referral)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    # Every row carries the family and recovery sums; no row at all when there is no pair.
    totals = rows[0] if rows else dict.fromkeys((*_FAMILY_SUMS, *_RECOVERY_SUMS, *_PAIRED_SUMS), 0)
    by_scale = {(row["instrument"], row["scale"]): {name: row[name] for name in _SCALE_SUMS} for row in rows}
    return CohortOutcomes(
        instruments=_instruments(by_scale),
        **{name: int(totals[name]) for name in (*_FAMILY_SUMS, *_RECOVERY_SUMS, *_PAIRED_SUMS)},
    )


def _paired_referral(paired_among: QuerySet | None) -> tuple[str, tuple]:
    """The condition on a row of the pairs' table for `referrals_paired`, and its parameters: a core instrument's
    pair, of a referral of `paired_among` when given (the ORM's SQL of its ids)."""
    core = core_instrument_codes()
    if not core:
        return "1 = 0", ()
    condition, params = f"instrument IN ({', '.join(['%s'] * len(core))})", tuple(core)
    if paired_among is None:
        return condition, params
    among_sql, among_params = paired_among.order_by().values("pk").query.sql_with_params()
    return f"{condition} AND referral IN ({among_sql})", (*params, *among_params)


def cohort_statistics(referrals: QuerySet, *, end: datetime.date | None = None) -> dict[str, dict]:
    """Per-instrument statistics for a set of referrals, keyed as the KPI export's `outcomes.instruments` block.

    An instrument with one scale gives its figures directly ({"phq9": {"n": ...}}); one with subscales gives them
    per subscale ({"mors_sf": {"warmth": {...}, "invasion": {...}}}). One query whatever the number of referrals.
    """
    return cohort_outcomes(referrals, end=end).instruments


def _instruments(by_scale: dict) -> dict[str, dict]:
    # A scale with no pair has no row: its sums are those of nothing.
    nothing = {"n": 0, "sum_t1": None, "sum_t2": None, "sum_change": None, "sum_change_squared": None}
    nothing |= {"improved": 0, "deteriorated": 0}
    result = {}
    for instrument in registry():
        figures = {}
        for scale in instrument.scales:
            sums = by_scale.get((instrument.code, scale.code), nothing)
            figures[scale.code] = _figures(instrument, scale, sums)
        result[instrument.code] = figures if instrument.has_subscales else figures[instrument.scales[0].code]
    return result


def _figures(instrument: Instrument, scale, sums: dict) -> dict:
    statistics = paired_statistics(
        PairedSums(
            n=sums["n"],
            sum_t1=sums["sum_t1"] or 0.0,
            sum_t2=sums["sum_t2"] or 0.0,
            sum_change=sums["sum_change"] or 0.0,
            sum_change_squared=sums["sum_change_squared"] or 0.0,
        )
    )
    has_threshold = scale.threshold is not None
    improved, deteriorated = int(sums["improved"]), int(sums["deteriorated"])
    return {
        "n": statistics.n,
        "mean_t1": rounded(statistics.mean_t1, MEAN_PLACES),
        "mean_t2": rounded(statistics.mean_t2, MEAN_PLACES),
        "mean_change": rounded(statistics.mean_change, MEAN_PLACES),
        "p_value": rounded(statistics.p_value, P_VALUE_PLACES),
        "effect_size": rounded(statistics.effect_size, EFFECT_SIZE_PLACES),
        "reliably_improved": improved if has_threshold else None,
        "no_reliable_change": sums["n"] - improved - deteriorated if has_threshold else None,
        "reliably_deteriorated": deteriorated if has_threshold else None,
    }
