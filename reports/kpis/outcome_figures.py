"""Outcomes (kpis.md): paired measures of completed families, per-instrument statistics, the family roll-up and
recovery. Pairs are those of `outcomes.selectors` (first T1 against last T2 of the same caregiver, both on or before
the period's end); every figure is summed in the database (`outcomes.selectors.cohort`), one query whatever the
data size (and one for the pairing of many cohorts together, `pairing_by_cohort`)."""

from collections.abc import Sequence

from django.db.models import Count, F, QuerySet

from outcomes.selectors import cohort_outcomes, with_paired_outcomes
from pairs.cohorts import Cohorts
from pairs.periods import Period
from referrals.pipeline import Status
from reports.figures import Count as CountFigure
from reports.figures import Rate, Statistic


def pairing_by_cohort(cohorts: Cohorts, referrals: QuerySet, completed: Sequence[int]) -> list[dict]:
    """For each cohort's referrals among `referrals`, in the cohorts' order: the completed ones (as at the end of
    its period, counted by the caller), those with paired outcome measures, and the pairing rate. One query."""
    completed_referrals = referrals.with_status_as_at(cohorts).filter(status_as_at=Status.COMPLETED)
    rows = (
        with_paired_outcomes(completed_referrals, end=cohorts)
        .filter(has_paired_outcomes=True)
        .values(cohort=cohorts.index_of(F("received_on"), F("team_id")))
        .annotate(n=Count("pk"))
    )
    paired = {row["cohort"]: row["n"] for row in rows}
    return [_pairing(completed_in_cohort, paired.get(index, 0)) for index, completed_in_cohort in enumerate(completed)]


def _pairing(completed: int, paired: int) -> dict:
    return {"completed": CountFigure(completed), "paired": CountFigure(paired), "pairing_rate": Rate(paired, completed)}


def outcome_figures(period: Period, cohort: QuerySet, completed: int) -> dict:
    """The outcomes block, in one query: what the cohort's pairs add up to, and how many of its completed referrals
    (as at the period's end) have a pair of a core instrument, the pairs `pairing_by_cohort` counts."""
    completed_referrals = cohort.with_status_as_at(period.end).filter(status_as_at=Status.COMPLETED)
    summed = cohort_outcomes(cohort, end=period.end, paired_among=completed_referrals)
    instruments = {}
    for code, figures in summed.instruments.items():
        if "n" in figures:
            instruments[code] = _instrument_figures(figures)
        else:
            instruments[code] = {scale: _instrument_figures(values) for scale, values in figures.items()}
    improved, deteriorated = summed.families_improved, summed.families_deteriorated
    return {
        **_pairing(completed, summed.referrals_paired),
        "instruments": instruments,
        "families": {
            "n": CountFigure(summed.families),
            "improved": CountFigure(improved),
            "no_reliable_change": CountFigure(summed.families - improved - deteriorated),
            "deteriorated": CountFigure(deteriorated),
        },
        "recovery": {
            "caregivers_paired": CountFigure(summed.caregivers_paired),
            "at_caseness": CountFigure(summed.at_caseness),
            "recovered": CountFigure(summed.recovered),
            "reliably_recovered": CountFigure(summed.reliably_recovered),
            "recovery_rate": Rate(summed.recovered, summed.at_caseness),
            "reliable_recovery_rate": Rate(summed.reliably_recovered, summed.at_caseness),
        },
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
