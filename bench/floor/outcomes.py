"""The floor of the outcomes block, in one query: the cohort's T1/T2 pairs (the first complete T1 against the last
complete T2 of a caregiver's instrument and scale, both by the end) summed by scale with their reliable changes,
rolled up per family and per caregiver (NHS Talking Therapies recovery), and the completed referrals as at the end
with those of them that have a pair of a core instrument."""

import math
from collections.abc import Sequence

from bench.floor.block import Block, Rows
from outcomes.registry import TOLERANCE, Improvement, registry
from outcomes.selectors.cohort import CASENESS
from pairs.models import Team
from pairs.periods import Period
from referrals.pipeline import Status
from reports.figures import Statistic

# Changes that are all equal have no variance (the engine's floor on it, outcomes.statistics).
NO_VARIANCE = 1e-12

# The figures of an instrument's scale.
SCALE_FIGURES = {"n", "mean_t1", "mean_t2", "mean_change", "p_value", "effect_size"}
RELIABLE_CHANGES = ("reliably_improved", "no_reliable_change", "reliably_deteriorated")

# One row a scale of the registry: its pairs' count, means and variance of the change and reliable changes (none
# where the scale has no threshold), each row with the one-row totals. The last T2 is the last with a score on the
# scale; the first T1 is the caregiver's first of the instrument, and makes no pair where it has no score on the
# scale. Only a referral that had started an intervention by the end can have completed by then (the pipeline
# completes from that stage alone): the status as at the end is read for those alone.
PAIRS_SQL = """
WITH scales AS (
    SELECT * FROM unnest(%(scale_instruments)s::text[], %(scale_codes)s::text[], %(thresholds)s::float8[],
                         %(directions)s::int[]) AS s(instrument, scale, threshold, direction)
), cohort AS MATERIALIZED (
    SELECT id, first_intervention_on FROM referrals_referral
    WHERE team_id = ANY(%(teams)s) AND received_on BETWEEN %(start)s AND %(end)s
), completed AS (
    SELECT r.id FROM cohort r
    WHERE r.first_intervention_on <= %(end)s
      AND (SELECT status FROM referrals_pipelineevent
           WHERE referral_id = r.id AND occurred_on <= %(end)s ORDER BY occurred_on DESC, sequence DESC LIMIT 1)
          = %(completed_status)s
), last_t2 AS (
    SELECT DISTINCT ON (q.referral_id, q.caregiver_id, q.instrument, s.scale)
           q.referral_id, q.caregiver_id, q.instrument, s.scale, s.value
    FROM cohort r
    JOIN outcomes_questionnaire q ON q.referral_id = r.id
    -- The scores of each T2 by its own lookup (OFFSET 0 keeps the planner from flattening it into a join): after
    -- some ANALYZE samples it guessed ten times the T2s and hashed all 1.1 million scores (114 to 255 ms).
    CROSS JOIN LATERAL (SELECT scale, value FROM outcomes_score WHERE questionnaire_id = q.id OFFSET 0) s
    WHERE q.timepoint = %(t2)s AND q.status = %(complete)s AND q.completed_on <= %(end)s
      AND q.instrument = ANY(%(instruments)s)
    ORDER BY q.referral_id, q.caregiver_id, q.instrument, s.scale, q.completed_on DESC, q.id DESC
), pairs AS (
    SELECT l.referral_id, l.caregiver_id, l.instrument, l.scale, f.value AS t1, l.value AS t2,
           d.threshold IS NOT NULL AS judged,
           d.direction * (l.value - f.value) >= d.threshold - %(tolerance)s AS improved,
           d.direction * (l.value - f.value) <= %(tolerance)s - d.threshold AS deteriorated
    FROM last_t2 l
    -- One lookup a pair, whatever the planner makes of its estimates (otherwise it hashed every score there is).
    CROSS JOIN LATERAL (
        SELECT s.value FROM outcomes_questionnaire q
        LEFT JOIN outcomes_score s ON s.questionnaire_id = q.id AND s.scale = l.scale
        WHERE q.referral_id = l.referral_id AND q.caregiver_id = l.caregiver_id AND q.instrument = l.instrument
          AND q.timepoint = %(t1)s AND q.status = %(complete)s AND q.completed_on <= %(end)s
        ORDER BY q.completed_on, q.id LIMIT 1
    ) f
    LEFT JOIN scales d ON (d.instrument, d.scale) = (l.instrument, l.scale)
    WHERE f.value IS NOT NULL
), families AS (
    -- A caregiver improved when a pair did and none deteriorated; the family takes the worst of its caregivers.
    SELECT bool_and(improved) AS improved, bool_or(deteriorated) AS deteriorated
    FROM (
        SELECT referral_id, bool_or(improved) AND NOT bool_or(deteriorated) AS improved,
               bool_or(deteriorated) AS deteriorated
        FROM pairs WHERE judged GROUP BY referral_id, caregiver_id
    ) caregivers
    GROUP BY referral_id
), recovery AS (
    SELECT bool_or(p.t1 >= c.cut_off) AS at_caseness, bool_and(p.t2 < c.cut_off) AS below_after,
           bool_or(p.improved) AND NOT bool_or(p.deteriorated) AS reliable
    FROM pairs p
    JOIN unnest(%(caseness_instruments)s::text[], %(caseness_cut_offs)s::float8[]) c(instrument, cut_off)
        USING (instrument)
    GROUP BY p.caregiver_id
    HAVING count(DISTINCT p.instrument) = cardinality(%(caseness_instruments)s::text[])
), totals AS (
    SELECT (SELECT count(*) FROM completed) AS completed,
           (SELECT count(DISTINCT referral_id) FROM pairs
            WHERE instrument = ANY(%(core)s) AND referral_id IN (SELECT id FROM completed)) AS paired,
           f.*, c.*
    FROM (
        SELECT count(*) AS families, count(*) FILTER (WHERE improved) AS improved,
               count(*) FILTER (WHERE deteriorated) AS deteriorated
        FROM families
    ) f
    CROSS JOIN (
        SELECT count(*) AS caregivers_paired, count(*) FILTER (WHERE at_caseness) AS at_caseness,
               count(*) FILTER (WHERE at_caseness AND below_after) AS recovered,
               count(*) FILTER (WHERE at_caseness AND below_after AND reliable) AS reliably_recovered
        FROM recovery
    ) c
)
SELECT s.*, t.*
FROM (
    SELECT d.instrument, d.scale, count(p.t1), avg(p.t1), avg(p.t2), avg(p.t2 - p.t1), var_samp(p.t2 - p.t1),
           CASE WHEN d.threshold IS NOT NULL THEN count(*) FILTER (WHERE p.improved) END,
           CASE WHEN d.threshold IS NOT NULL THEN count(*) FILTER (WHERE p.deteriorated) END
    FROM scales d LEFT JOIN pairs p USING (instrument, scale)
    GROUP BY d.instrument, d.scale, d.threshold
) s
CROSS JOIN totals t
"""


def _pairs_params(teams: Sequence[Team], period: Period) -> dict:
    scales = [(instrument, scale) for instrument in registry() for scale in instrument.scales]
    return {
        "instruments": registry().codes,
        "core": [instrument.code for instrument in registry().core],
        "scale_instruments": [instrument.code for instrument, _ in scales],
        "scale_codes": [scale.code for _, scale in scales],
        "thresholds": [scale.threshold for _, scale in scales],
        "directions": [1 if scale.improvement == Improvement.HIGHER else -1 for _, scale in scales],
        "tolerance": TOLERANCE,
        "caseness_instruments": list(CASENESS),
        "caseness_cut_offs": list(CASENESS.values()),
        "completed_status": Status.COMPLETED.value,
    }


def _statistic(figure: Statistic, value: float | None, n: int, what: str) -> None:
    """The engine's statistic is the floor's rounded to its places (give or take the last bit of the sums, added up
    in another order), over the same pairs."""
    assert figure.base == n, (what, figure, n)
    if figure.value is None or value is None:
        assert figure.value is value, (what, figure, value)
        return
    assert abs(figure.value - value) <= 0.5 * 10**-figure.places + 1e-9, (what, figure, value)


def _paired_t_test(n: int, mean_change: float | None, variance: float | None) -> tuple[float | None, float | None]:
    """The paired t-test's two-sided p-value and Cohen's d_z."""
    if n < 2 or mean_change is None or variance is None or variance <= NO_VARIANCE:
        return None, None
    from scipy import stats

    sd = math.sqrt(variance)
    t = mean_change / (sd / math.sqrt(n))
    return 2 * stats.t.sf(abs(t), df=n - 1), mean_change / sd


def _pairs(rows: Rows, report: dict) -> None:
    outcomes = report["outcomes"]
    assert set(outcomes) == {"completed", "paired", "pairing_rate", "instruments", "families", "recovery"}, outcomes
    instruments = outcomes["instruments"]
    # An instrument of one scale gives its figures directly, one of subscales per subscale.
    every_scale = {
        (code, scale) for code, figures in instruments.items() for scale in ([None] if "n" in figures else figures)
    }
    checked: set[tuple[str, str | None]] = set()
    for instrument, scale, n, t1, t2, change, variance, improved, deteriorated, *_ in rows:
        key = (instrument, None) if "n" in instruments[instrument] else (instrument, scale)
        assert key in every_scale, (key, every_scale)
        assert key not in checked, (key, checked)
        checked.add(key)
        figures = instruments[instrument] if key[1] is None else instruments[instrument][scale]
        what = f"{instrument} {scale}"
        assert set(figures) == {*SCALE_FIGURES, *RELIABLE_CHANGES}, (what, figures)
        assert figures["n"].value == n, (what, figures, n)
        p_value, effect_size = _paired_t_test(n, change, variance)
        _statistic(figures["mean_t1"], t1, n, f"{what} mean T1")
        _statistic(figures["mean_t2"], t2, n, f"{what} mean T2")
        _statistic(figures["mean_change"], change, n, f"{what} mean change")
        _statistic(figures["p_value"], p_value, n, f"{what} p-value")
        _statistic(figures["effect_size"], effect_size, n, f"{what} effect size")
        # None alike where the scale has no reliable-change threshold.
        counts = (improved, None if improved is None else n - improved - deteriorated, deteriorated)
        for name, count in zip(RELIABLE_CHANGES, counts, strict=True):
            figure = figures[name]
            assert (None if figure is None else figure.value) == count, (what, name, figure, count)
    assert checked == every_scale, (checked, every_scale)

    totals = {row[9:] for row in rows}
    assert len(totals) == 1, totals
    ((completed, paired, families, improved, deteriorated, caregivers, at_caseness, recovered, reliably),) = totals
    assert outcomes["completed"].value == completed, (outcomes["completed"], completed)
    assert outcomes["paired"].value == paired, (outcomes["paired"], paired)
    rate = outcomes["pairing_rate"]
    assert (rate.numerator, rate.denominator) == (paired, completed), (rate, paired, completed)
    expected = {
        "n": families,
        "improved": improved,
        "no_reliable_change": families - improved - deteriorated,
        "deteriorated": deteriorated,
    }
    assert {name: figure.value for name, figure in outcomes["families"].items()} == expected, outcomes["families"]
    recovery = outcomes["recovery"]
    expected = {
        "caregivers_paired": caregivers,
        "at_caseness": at_caseness,
        "recovered": recovered,
        "reliably_recovered": reliably,
    }
    rates = {"recovery_rate": recovered, "reliable_recovery_rate": reliably}
    assert set(recovery) == {*expected, *rates}, recovery
    assert {name: recovery[name].value for name in expected} == expected, (recovery, expected)
    for name, numerator in rates.items():
        rate = recovery[name]
        assert (rate.numerator, rate.denominator) == (numerator, at_caseness), (name, rate, numerator, at_caseness)


BLOCKS = {"pairs": Block(PAIRS_SQL, _pairs, _pairs_params)}
