"""Outcomes (kpis.md): paired measures of completed families, per-instrument statistics, the family roll-up and
recovery. Pairs are those of `outcomes.selectors` (first T1 against last T2 of the same caregiver, both on or before
the period's end); every figure is summed in the database, a fixed number of queries whatever the data size."""

import datetime
from collections.abc import Sequence

from django.db.models import Count, F, Max, Q, QuerySet

from outcomes.registry import TOLERANCE
from outcomes.selectors import cohort_statistics, paired_scores, with_paired_outcomes
from pairs.period_ends import PeriodEnds
from pairs.periods import Period
from referrals.pipeline import Status
from reports.figures import Count as CountFigure
from reports.figures import Rate, Statistic

# NHS Talking Therapies caseness: at or above these totals at T1 (kpis.md, Recovery). Recovery needs both measures.
CASENESS = {"phq9": 10, "gad7": 8}

# Reliable change of a pair, in its scale's direction of improvement (the pairs carry `improvement` and
# `threshold`; pairs of a scale without a threshold are neither).
RELIABLY_IMPROVED = Q(improvement__gte=F("threshold") - TOLERANCE)
RELIABLY_DETERIORATED = Q(improvement__lte=-F("threshold") + TOLERANCE)


def pairing_figures(period: Period, cohort: QuerySet, completed: int) -> dict:
    """The completed referrals (as at the period's end, counted by the caller), those with paired outcome measures,
    and the pairing rate. One query."""
    return pairing_by_period(PeriodEnds((period,)), cohort, [completed])[0]


def pairing_by_period(ends: PeriodEnds, cohort: QuerySet, completed: Sequence[int]) -> list[dict]:
    """`pairing_figures` of each period's referrals in the cohort, as at that period's end, in the periods' order
    (`completed` counted by the caller for each). One query."""
    completed_referrals = cohort.with_status_as_at(ends).filter(status_as_at=Status.COMPLETED)
    rows = (
        with_paired_outcomes(completed_referrals, end=ends)
        .filter(has_paired_outcomes=True)
        .values(period=ends.index_of(F("received_on")))
        .annotate(n=Count("pk"))
    )
    paired = {row["period"]: row["n"] for row in rows}
    figures = []
    for index, completed_in_period in enumerate(completed):
        n = paired.get(index, 0)
        figures.append(
            {
                "completed": CountFigure(completed_in_period),
                "paired": CountFigure(n),
                "pairing_rate": Rate(n, completed_in_period),
            }
        )
    return figures


def outcome_figures(period: Period, cohort: QuerySet, completed: int) -> dict:
    end = period.end
    instruments = {}
    for code, figures in cohort_statistics(cohort, end=end).items():
        if "n" in figures:
            instruments[code] = _instrument_figures(figures)
        else:
            instruments[code] = {scale: _instrument_figures(values) for scale, values in figures.items()}
    return {
        **pairing_figures(period, cohort, completed),
        "instruments": instruments,
        "families": family_rollup(cohort, end=end),
        "recovery": recovery(cohort, end=end),
    }


def _instrument_figures(figures: dict) -> dict:
    n = figures["n"]

    def count_or_none(value):
        return None if value is None else CountFigure(value)

    return {
        "n": CountFigure(n),
        "mean_t1": Statistic(figures["mean_t1"], n, 2),
        "mean_t2": Statistic(figures["mean_t2"], n, 2),
        "mean_change": Statistic(figures["mean_change"], n, 2),
        "p_value": Statistic(figures["p_value"], n, 4),
        "effect_size": Statistic(figures["effect_size"], n, 2),
        "reliably_improved": count_or_none(figures["reliably_improved"]),
        "no_reliable_change": count_or_none(figures["no_reliable_change"]),
        "reliably_deteriorated": count_or_none(figures["reliably_deteriorated"]),
    }


def family_rollup(cohort: QuerySet, *, end: datetime.date) -> dict:
    """The referrals with a pair of an instrument that has a reliable-change threshold, each counted once by the
    roll-up rule of domain.md: per caregiver first (improved when at least one measure reliably improved and none
    deteriorated), then the referral takes the worst of its caregivers. So a referral deteriorated when any pair
    did, improved when every caregiver improved, and showed no reliable change otherwise. One query."""
    per_referral = (
        paired_scores(cohort, end=end)
        .filter(threshold__isnull=False)
        .values("questionnaire__referral")
        .annotate(
            caregivers=Count("questionnaire__caregiver", distinct=True),
            improved_caregivers=Count("questionnaire__caregiver", distinct=True, filter=RELIABLY_IMPROVED),
            deteriorated_pairs=Count("pk", filter=RELIABLY_DETERIORATED),
        )
        .order_by()
    )
    none_deteriorated = Q(deteriorated_pairs=0)
    totals = per_referral.aggregate(
        n=Count("questionnaire__referral"),
        improved=Count("questionnaire__referral", filter=none_deteriorated & Q(improved_caregivers=F("caregivers"))),
        deteriorated=Count("questionnaire__referral", filter=~none_deteriorated),
    )
    n, improved, deteriorated = totals["n"], totals["improved"], totals["deteriorated"]
    return {
        "n": CountFigure(n),
        "improved": CountFigure(improved),
        "no_reliable_change": CountFigure(n - improved - deteriorated),
        "deteriorated": CountFigure(deteriorated),
    }


def recovery(cohort: QuerySet, *, end: datetime.date) -> dict:
    """NHS Talking Therapies recovery, per caregiver with both PHQ-9 and GAD-7 paired (kpis.md): at caseness at T1 on
    either; recovered when at caseness at T1 and below it on both at T2; reliably recovered when recovered, reliably
    improved on at least one and reliably deteriorated on neither. Rates use those at caseness as the base. One
    query."""

    def on(code: str) -> Q:
        return Q(questionnaire__instrument=code)

    (first, first_caseness), (second, second_caseness) = CASENESS.items()
    per_caregiver = (
        paired_scores(cohort, end=end)
        .filter(questionnaire__instrument__in=list(CASENESS))
        .values("questionnaire__caregiver")
        .annotate(
            measures=Count("questionnaire__instrument", distinct=True),
            first_t1=Max("t1", filter=on(first)),
            first_t2=Max("t2", filter=on(first)),
            second_t1=Max("t1", filter=on(second)),
            second_t2=Max("t2", filter=on(second)),
            improved=Count("pk", filter=RELIABLY_IMPROVED),
            deteriorated=Count("pk", filter=RELIABLY_DETERIORATED),
        )
        .filter(measures=len(CASENESS))
        .order_by()
    )
    at_caseness = Q(first_t1__gte=first_caseness) | Q(second_t1__gte=second_caseness)
    recovered = at_caseness & Q(first_t2__lt=first_caseness, second_t2__lt=second_caseness)
    reliably = recovered & Q(improved__gt=0, deteriorated=0)
    totals = per_caregiver.aggregate(
        caregivers_paired=Count("questionnaire__caregiver"),
        at_caseness=Count("questionnaire__caregiver", filter=at_caseness),
        recovered=Count("questionnaire__caregiver", filter=recovered),
        reliably_recovered=Count("questionnaire__caregiver", filter=reliably),
    )
    return {
        "caregivers_paired": CountFigure(totals["caregivers_paired"]),
        "at_caseness": CountFigure(totals["at_caseness"]),
        "recovered": CountFigure(totals["recovered"]),
        "reliably_recovered": CountFigure(totals["reliably_recovered"]),
        "recovery_rate": Rate(totals["recovered"], totals["at_caseness"]),
        "reliable_recovery_rate": Rate(totals["reliably_recovered"], totals["at_caseness"]),
    }
