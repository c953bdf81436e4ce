"""Pairs (the first scored T1 against the last scored T2 of the same caregiver) and the referral-level roll-up; what
a cohort's pairs add up to is `outcomes.selectors.cohort`."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from outcomes.models import Questionnaire, QuestionnaireStatus, Score, Timepoint
from outcomes.registry import TOLERANCE, Improvement, Instrument, Verdict, registry
from pairs.cohorts import AsAt, day_as_at

# Reliable change of a pair, in its scale's direction of improvement (the pairs carry `improvement` and
# `threshold`; pairs of a scale without a threshold are neither).
RELIABLY_IMPROVED = Q(improvement__gte=F("threshold") - TOLERANCE)
RELIABLY_DETERIORATED = Q(improvement__lte=-F("threshold") + TOLERANCE)


def _scored(end: AsAt | None) -> QuerySet:
    scored = Questionnaire.objects.filter(status=QuestionnaireStatus.COMPLETE)
    return (
        scored.filter(completed_on__lte=day_as_at(end, F("referral__received_on"), F("referral__team_id")))
        if end
        else scored
    )


def _scale_cases(value_for) -> Case:
    """A database expression taking, for each row, a value that depends on its instrument and scale."""
    return Case(
        *(
            When(Q(questionnaire__instrument=instrument.code, scale=scale.code), then=value_for(scale))
            for instrument in registry()
            for scale in instrument.scales
        ),
        default=Value(None),
    )


def _pairs(end: AsAt | None) -> QuerySet:
    """The pairs of `paired_scores`, both questionnaires completed on or before `end` (for `Cohorts`, the end of the
    period of the questionnaires' referral's cohort) when given."""
    same_caregiver = {
        "referral": OuterRef("questionnaire__referral"),
        "caregiver": OuterRef("questionnaire__caregiver"),
        "instrument": OuterRef("questionnaire__instrument"),
    }
    first_t1 = _scored(end).filter(timepoint=Timepoint.T1, **same_caregiver).order_by("completed_on", "pk")
    # The T2 conditions are on the score's own questionnaire, not in a nested subquery, so that the outer
    # references reach the T1 row being paired.
    last_t2 = Score.objects.filter(
        scale=OuterRef("scale"),
        questionnaire__timepoint=Timepoint.T2,
        questionnaire__status=QuestionnaireStatus.COMPLETE,
        **{f"questionnaire__{field}": reference for field, reference in same_caregiver.items()},
        **(
            {
                "questionnaire__completed_on__lte": day_as_at(
                    end, F("questionnaire__referral__received_on"), F("questionnaire__referral__team_id")
                )
            }
            if end
            else {}
        ),
    ).order_by("-questionnaire__completed_on", "-questionnaire__pk")
    # The last T2's score is joined to the T1's row (through the caregiver's T2 scores on the same scale, all in one
    # filter so that they are one join) rather than read by a subquery in each place that uses it: Django copies a
    # subquery annotation into every expression that refers to it, and `change`, `improvement` (one case a scale)
    # and the aggregates over them would repeat it dozens of times a row. Here it is one condition of the join.
    # The timepoint, status and referral conditions on both questionnaires follow from the two subqueries; they are
    # written out so that the database filters by them first, reading the T2s from the pairing index by referral,
    # and runs each subquery only for the rows that can match it (a region's year of pairs: 1,065 to 556 ms).
    t2_questionnaire = "questionnaire__caregiver__questionnaires"
    t2 = f"{t2_questionnaire}__scores"
    return (
        Score.objects.filter(
            questionnaire__instrument__in=registry().codes,
            questionnaire__timepoint=Timepoint.T1,
            questionnaire__status=QuestionnaireStatus.COMPLETE,
            questionnaire_id=Subquery(first_t1.values("pk")[:1]),
        )
        .filter(
            **{
                f"{t2_questionnaire}__referral": F("questionnaire__referral"),
                f"{t2_questionnaire}__instrument": F("questionnaire__instrument"),
                f"{t2_questionnaire}__timepoint": Timepoint.T2,
                f"{t2_questionnaire}__status": QuestionnaireStatus.COMPLETE,
                f"{t2}__scale": F("scale"),
                f"{t2}__pk": Subquery(last_t2.values("pk")[:1]),
            }
        )
        .annotate(
            t1=F("value"),
            t1_on=F("questionnaire__completed_on"),
            t2=F(f"{t2}__value"),
            t2_on=F(f"{t2_questionnaire}__completed_on"),
        )
        .filter(t2__isnull=False)
        .annotate(
            change=F("t2") - F("t1"),
            improvement=_scale_cases(
                lambda scale: F("t1") - F("t2") if scale.improvement == Improvement.LOWER else F("t2") - F("t1")
            ),
            threshold=_scale_cases(lambda scale: Value(scale.threshold, output_field=FloatField())),
        )
    )


def paired_scores(referrals: QuerySet, *, end: datetime.date | None = None) -> QuerySet:
    """One row per referral, caregiver, instrument and scale that has a pair: the first T1's score, annotated with
    `t1`, `t2` (the last T2's score), `t1_on`, `t2_on`, `change` (T2 minus T1), `improvement` (the change in the
    scale's direction of improvement) and `threshold` (the scale's reliable-change threshold, or null)."""
    return _pairs(end).filter(questionnaire__referral__in=referrals.values("pk"))


@dataclass(frozen=True)
class PairedChange:
    referral_id: int
    caregiver_id: int
    caregiver_position: int
    instrument: Instrument
    scale_code: str
    t1: float
    t2: float
    t1_on: datetime.date
    t2_on: datetime.date

    @property
    def scale(self):
        return self.instrument.scale(self.scale_code)

    @property
    def change(self) -> float:
        return self.t2 - self.t1

    @property
    def verdict(self) -> Verdict | None:
        return self.scale.verdict(self.t1, self.t2)


def paired_changes(referrals: QuerySet, *, end: datetime.date | None = None) -> list[PairedChange]:
    """The paired change per referral, caregiver, instrument and scale (first T1 against last T2), in one query."""
    rows = (
        paired_scores(referrals, end=end)
        .values(
            "questionnaire__referral_id",
            "questionnaire__caregiver_id",
            "questionnaire__caregiver__position",
            "questionnaire__instrument",
            "scale",
            "t1",
            "t2",
            "t1_on",
            "t2_on",
        )
        .order_by("questionnaire__referral_id", "questionnaire__caregiver__position", "pk")
    )
    return [
        PairedChange(
            referral_id=row["questionnaire__referral_id"],
            caregiver_id=row["questionnaire__caregiver_id"],
            caregiver_position=row["questionnaire__caregiver__position"],
            instrument=registry().get(row["questionnaire__instrument"]),
            scale_code=row["scale"],
            t1=row["t1"],
            t2=row["t2"],
            t1_on=row["t1_on"],
            t2_on=row["t2_on"],
        )
        for row in rows
    ]


def core_instrument_codes() -> list[str]:
    """The instruments whose pairs count for the pairing rate (kpis.md, Paired outcome measures)."""
    return [instrument.code for instrument in registry().core]


def with_paired_outcomes(referrals: QuerySet, *, end: AsAt | None = None) -> QuerySet:
    """Annotate `has_paired_outcomes`: a T1 and a T2 of at least one core instrument for the same caregiver, both
    dated on or before `end` (for `Cohorts`, the end of each referral's cohort's period; kpis.md,
    Paired outcome measures). For the completion rate:
    `qs.filter(status_as_at="completed").aggregate(paired=Count("pk", filter=Q(has_paired_outcomes=True)))`."""
    pairs = _pairs(end).filter(
        questionnaire__referral=OuterRef("pk"), questionnaire__instrument__in=core_instrument_codes()
    )
    return referrals.annotate(has_paired_outcomes=Exists(pairs))


# Referral-level roll-up -----------------------------------------------------------------------------------------


def with_outcome_rollup(referrals: QuerySet, *, end: datetime.date | None = None) -> QuerySet:
    """Annotate `outcome_rollup`: the NHS England roll-up rule over the referral's pairs with a threshold.

    `reliably_deteriorated` when any instrument reliably deteriorated; `reliably_improved` when at least one
    reliably improved and none deteriorated; `no_reliable_change` for any other referral with a pair; null for a
    referral with no pair at all.
    """
    pairs = _pairs(end).filter(questionnaire__referral=OuterRef("pk"))
    return referrals.annotate(
        outcome_rollup=Case(
            When(Exists(pairs.filter(RELIABLY_DETERIORATED)), then=Value(Verdict.DETERIORATED.value)),
            When(Exists(pairs.filter(RELIABLY_IMPROVED)), then=Value(Verdict.IMPROVED.value)),
            When(Exists(pairs), then=Value(Verdict.NO_CHANGE.value)),
            default=Value(None),
            output_field=CharField(),
        )
    )


def referral_rollup(referrals: QuerySet, *, end: datetime.date | None = None) -> dict[int, str]:
    """{referral id: roll-up verdict} for the referrals that have at least one pair."""
    rows = with_outcome_rollup(referrals, end=end).exclude(outcome_rollup=None).values_list("pk", "outcome_rollup")
    return dict(rows)


def rollup_counts(referrals: QuerySet, *, end: datetime.date | None = None) -> dict[str, int]:
    """How many referrals improved, showed no reliable change, or deteriorated: one query."""
    annotated = with_outcome_rollup(referrals.order_by(), end=end)
    return annotated.aggregate(
        paired=Count("pk", filter=~Q(outcome_rollup=None)),
        **{verdict.value: Count("pk", filter=Q(outcome_rollup=verdict.value)) for verdict in Verdict},
    )
