"""Every read of outcome data: the referral's questionnaires, what is due, the paired changes and cohort statistics.

Pairing (domain.md, kpis.md): a referral's change on an instrument scale is, per caregiver, the first scored T1
against the last scored T2, both dated on or before the end of the period when one is given; MID is not paired.
The pairs are built by one query, and the cohort statistics sum them in the database in one more (whatever the
number of referrals); Python turns the sums into means, p-values and effect sizes.
"""

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
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from outcomes.models import Questionnaire, QuestionnaireStatus, SafetyAlert, Score, Timepoint
from outcomes.registry import TOLERANCE, Improvement, Instrument, Verdict, registry
from outcomes.statistics import PairedSums, paired_statistics, rounded
from referrals.models import Caregiver, Referral
from referrals.pipeline import Stage, Status

# Rounding of the KPI export (data-contract.md section 2).
MEAN_PLACES = 2
P_VALUE_PLACES = 4
EFFECT_SIZE_PLACES = 2

# Statuses in which a family is in intervention and a T1 is owed.
ACTIVE_STATUSES = (Status.IN_PROGRESS, Status.ON_HOLD)


# The referral's own questionnaires ------------------------------------------------------------------------------


def referral_questionnaires(referral: Referral) -> list[Questionnaire]:
    """All the referral's questionnaires with their scores, caregivers and alerts, oldest first."""
    return list(
        Questionnaire.objects.filter(referral=referral)
        .select_related("referral", "caregiver", "recorded_by")
        .prefetch_related("scores", Prefetch("alerts", queryset=SafetyAlert.objects.order_by("raised_at")))
        .order_by("completed_on", "pk")
    )


def open_alerts(*, user, team) -> QuerySet:
    """Alerts nobody has yet recorded an action for, in the team being worked in, oldest first."""
    return (
        SafetyAlert.objects.visible_to(user, team)
        .open()
        .select_related("questionnaire__referral", "questionnaire__caregiver")
        .order_by("raised_at", "pk")
    )


def referral_open_alerts(referral: Referral) -> QuerySet:
    alerts = SafetyAlert.objects.open().filter(questionnaire__referral=referral)
    return alerts.select_related("questionnaire__caregiver").order_by("raised_at", "pk")


# What is due ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A questionnaire owed by one caregiver; `incomplete` is one already started that needs finishing."""

    referral_id: int
    caregiver: Caregiver
    instrument: Instrument
    timepoint: str
    incomplete: Questionnaire | None = None


def _due(caregivers, questionnaires, instruments, timepoint: str) -> list[Due]:
    """The (caregiver, instrument) pairs with no complete or not-completed questionnaire at `timepoint`."""
    settled, started = set(), {}
    for questionnaire in questionnaires:
        key = (questionnaire.caregiver_id, questionnaire.instrument)
        if questionnaire.status == QuestionnaireStatus.INCOMPLETE:
            started.setdefault(key, questionnaire)
        else:
            settled.add(key)
    return [
        Due(caregiver.referral_id, caregiver, instrument, timepoint, started.get((caregiver.pk, instrument.code)))
        for caregiver in caregivers
        for instrument in instruments(caregiver)
        if (caregiver.pk, instrument.code) not in settled
    ]


def t1_due_by_referral(referrals: QuerySet) -> dict[int, list[Due]]:
    """For referrals in intervention now, each core instrument's T1 not yet recorded for each caregiver.

    Three queries whatever the number of referrals: those in intervention, their caregivers, their T1s.
    """
    # A fresh queryset: the one given may carry its own annotations (a list's status, names, ordering).
    in_intervention = list(
        Referral.objects.filter(pk__in=referrals.values("pk"))
        .with_current_status()
        .filter(stage_as_at=Stage.INTERVENTION, status_as_at__in=ACTIVE_STATUSES)
        .values_list("pk", flat=True)
    )
    caregivers = Caregiver.objects.filter(referral__in=in_intervention).select_related("referral")
    t1s = Questionnaire.objects.filter(referral__in=in_intervention, timepoint=Timepoint.T1).order_by("pk")
    core = registry().core
    due = {}
    for item in _due(caregivers, t1s, lambda caregiver: core, Timepoint.T1):
        due.setdefault(item.referral_id, []).append(item)
    return due


def t1_due_for(referral: Referral, questionnaires: list[Questionnaire]) -> list[Due]:
    """The T1s one referral owes, from its questionnaires already read (`referral_questionnaires`).

    No query when the referral carries its current status (`with_current_status`) and prefetched caregivers, as
    on its record page; otherwise two.
    """
    if not hasattr(referral, "stage_as_at"):
        referral = Referral.objects.with_current_status().get(pk=referral.pk)
    if referral.stage_as_at != Stage.INTERVENTION or referral.status_as_at not in ACTIVE_STATUSES:
        return []
    t1s = [questionnaire for questionnaire in questionnaires if questionnaire.timepoint == Timepoint.T1]
    core = registry().core
    return _due(referral.caregivers.all(), t1s, lambda caregiver: core, Timepoint.T1)


def outstanding_by_referral(referrals: QuerySet) -> dict[int, list[Due]]:
    """What each referral owes: its T1s due (`t1_due_by_referral`) and any questionnaire left incomplete at MID or
    T2. Four queries whatever the number of referrals, for the caseload's column."""
    outstanding = t1_due_by_referral(referrals)
    incomplete = (
        Questionnaire.objects.filter(referral__in=referrals.values("pk"), status=QuestionnaireStatus.INCOMPLETE)
        .exclude(timepoint=Timepoint.T1)
        .select_related("caregiver")
        .order_by("completed_on", "pk")
    )
    for questionnaire in incomplete:
        if questionnaire.instrument in registry():
            outstanding.setdefault(questionnaire.referral_id, []).append(
                Due(
                    questionnaire.referral_id,
                    questionnaire.caregiver,
                    registry().get(questionnaire.instrument),
                    questionnaire.timepoint,
                    questionnaire,
                )
            )
    return outstanding


def t2_due(referral: Referral) -> list[Due]:
    """T2s to ask for when the referral is being completed: each instrument scored at T1, for the same caregiver."""
    questionnaires = list(Questionnaire.objects.filter(referral=referral).order_by("pk"))
    scored_t1 = {(q.caregiver_id, q.instrument) for q in questionnaires if q.timepoint == Timepoint.T1 and q.is_scored}
    caregivers = referral.caregivers.all()

    def instruments(caregiver):
        return [instrument for instrument in registry() if (caregiver.pk, instrument.code) in scored_t1]

    t2s = [q for q in questionnaires if q.timepoint == Timepoint.T2]
    return _due(caregivers, t2s, instruments, Timepoint.T2)


# Pairs ----------------------------------------------------------------------------------------------------------


def _scored(end: datetime.date | None) -> QuerySet:
    scored = Questionnaire.objects.filter(status=QuestionnaireStatus.COMPLETE)
    return scored.filter(completed_on__lte=end) if end else scored


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


def _pairs(end: datetime.date | None) -> QuerySet:
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
        **({"questionnaire__completed_on__lte": end} if end else {}),
    ).order_by("-questionnaire__completed_on", "-questionnaire__pk")
    # The last T2's score is joined to the T1's row (through the caregiver's T2 scores on the same scale, all in one
    # filter so that they are one join) rather than read by a subquery in each place that uses it: Django copies a
    # subquery annotation into every expression that refers to it, and `change`, `improvement` (one case a scale)
    # and the aggregates over them would repeat it dozens of times a row. Here it is one condition of the join.
    t2_questionnaire = "questionnaire__caregiver__questionnaires"
    t2 = f"{t2_questionnaire}__scores"
    return (
        Score.objects.filter(
            questionnaire__instrument__in=registry().codes,
            questionnaire_id=Subquery(first_t1.values("pk")[:1]),
        )
        .filter(
            **{
                f"{t2_questionnaire}__instrument": F("questionnaire__instrument"),
                f"{t2_questionnaire}__timepoint": Timepoint.T2,
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


def _improved() -> Q:
    return Q(improvement__gte=F("threshold") - TOLERANCE)


def _deteriorated() -> Q:
    return Q(improvement__lte=-F("threshold") + TOLERANCE)


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


def with_paired_outcomes(referrals: QuerySet, *, end: datetime.date | None = None) -> QuerySet:
    """Annotate `has_paired_outcomes`: a T1 and a T2 of at least one core instrument for the same caregiver, both
    dated on or before `end` (kpis.md, Paired outcome measures). For the completion rate:
    `qs.filter(status_as_at="completed").aggregate(paired=Count("pk", filter=Q(has_paired_outcomes=True)))`."""
    core = [instrument.code for instrument in registry().core]
    pairs = _pairs(end).filter(questionnaire__referral=OuterRef("pk"), questionnaire__instrument__in=core)
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
            When(Exists(pairs.filter(_deteriorated())), then=Value(Verdict.DETERIORATED.value)),
            When(Exists(pairs.filter(_improved())), then=Value(Verdict.IMPROVED.value)),
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


# Cohort statistics ----------------------------------------------------------------------------------------------


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
    return {
        "n": statistics.n,
        "mean_t1": rounded(statistics.mean_t1, MEAN_PLACES),
        "mean_t2": rounded(statistics.mean_t2, MEAN_PLACES),
        "mean_change": rounded(statistics.mean_change, MEAN_PLACES),
        "p_value": rounded(statistics.p_value, P_VALUE_PLACES),
        "effect_size": rounded(statistics.effect_size, EFFECT_SIZE_PLACES),
        "reliably_improved": sums["improved"] if has_threshold else None,
        "no_reliable_change": sums["n"] - sums["improved"] - sums["deteriorated"] if has_threshold else None,
        "reliably_deteriorated": sums["deteriorated"] if has_threshold else None,
    }


def cohort_statistics(referrals: QuerySet, *, end: datetime.date | None = None) -> dict[str, dict]:
    """Per-instrument statistics for a set of referrals, keyed as the KPI export's `outcomes.instruments` block.

    An instrument with one scale gives its figures directly ({"phq9": {"n": ...}}); one with subscales gives them
    per subscale ({"mors_sf": {"warmth": {...}, "invasion": {...}}}). One query whatever the number of referrals.
    """
    pairs = paired_scores(referrals, end=end)
    aggregates = {}
    for instrument in registry():
        for scale in instrument.scales:
            key = f"{instrument.code}__{scale.code}"
            this_scale = Q(questionnaire__instrument=instrument.code, scale=scale.code)
            aggregates.update(
                {
                    f"{key}__n": Count("pk", filter=this_scale),
                    f"{key}__sum_t1": Sum("t1", filter=this_scale),
                    f"{key}__sum_t2": Sum("t2", filter=this_scale),
                    f"{key}__sum_change": Sum("change", filter=this_scale),
                    f"{key}__sum_change_squared": Sum(F("change") * F("change"), filter=this_scale),
                    f"{key}__improved": Count("pk", filter=this_scale & _improved()),
                    f"{key}__deteriorated": Count("pk", filter=this_scale & _deteriorated()),
                }
            )
    totals = pairs.aggregate(**aggregates)
    result = {}
    for instrument in registry():
        figures = {}
        for scale in instrument.scales:
            prefix = f"{instrument.code}__{scale.code}__"
            sums = {name.removeprefix(prefix): value for name, value in totals.items() if name.startswith(prefix)}
            figures[scale.code] = _figures(instrument, scale, sums)
        result[instrument.code] = figures if instrument.has_subscales else figures[instrument.scales[0].code]
    return result
