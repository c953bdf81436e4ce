"""A referral's clocks (kpis.md, Timeliness, Clocks and Waiting at the period's end), as database expressions.

One definition for the record page and the KPI engine: `reports.kpis.clocks` counts these very expressions over a
cohort, and the record page shows them for one referral, so what a practitioner reads on the record is what the
figures count. Each is an annotation, so a list or the record gains them without another query.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Case, DateField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import Combinable

from pairs.cohorts import AsAt, day_as_at
from referrals.models import PipelineEvent
from referrals.pipeline import EventKind, Stage, Status

# A hold this long is flagged on the caseload and the T2 list. Thirteen weeks is a quarter: the family has sat
# through a whole quarterly report with no work done, and the team's default T2 interval (12 weeks after T1) has
# run out, so a T1 taken before the hold no longer measures the start of the work that follows it. For an infant
# under two, a quarter is an eighth of the time the service can work with the family at all.
LONG_HOLD_DAYS = 91

# The clocks of kpis.md, by the name of the KPI export's block, each the annotation of its end date.
CLOCK_DATES = {
    "to_decision": "decided_on",
    "to_first_contact": "first_contact",
    "to_assessment": "assessment_on",
    "to_intervention": "intervention_on",
}


def event_on(kinds: Sequence[str], end: datetime.date, *, referral=None) -> Subquery:
    """The date of the referral's latest pipeline event of these kinds dated on or before `end`; the referral is
    the outer row unless `referral` refers to it. (The first of a kind the referral keeps: `with_clock_dates`.)"""
    referral = OuterRef("pk") if referral is None else referral
    events = PipelineEvent.objects.filter(referral=referral, kind__in=kinds, occurred_on__lte=end)
    return Subquery(events.order_by("-occurred_on", "-sequence").values("occurred_on")[:1], output_field=DateField())


def first_contact_on(end: datetime.date | Combinable) -> Case:
    """A recorded first contact or the first attended appointment (`Referral.first_attended_on`), whichever came
    first, on or before `end` (a day, or an expression of the row's)."""
    recorded, attended = Q(first_contact_on__lte=end), Q(first_attended_on__lte=end)
    return Case(
        When(recorded & attended & Q(first_attended_on__lt=F("first_contact_on")), then=F("first_attended_on")),
        When(recorded, then=F("first_contact_on")),
        When(attended, then=F("first_attended_on")),
        output_field=DateField(),
    )


def with_clock_dates(referrals: QuerySet, end: AsAt) -> QuerySet:
    """Annotate the end date of each clock as at `end` (None while it runs): `decided_on` (the first decision,
    accepted or not), `first_contact`, `assessment_on` and `intervention_on` (the first of those events). For
    `Cohorts`, each referral's clocks are as at the end of its cohort's period."""
    day = day_as_at(end, F("received_on"), F("team_id"))

    def by(field: str) -> Case:
        # The referral keeps the day of its first move of each kind; as at `end`, that day if it was by then.
        return Case(When(**{f"{field}__lte": day}, then=F(field)), output_field=DateField())

    return referrals.annotate(
        decided_on=by("first_decided_on"),
        first_contact=first_contact_on(day),
        assessment_on=by("first_assessment_on"),
        intervention_on=by("first_intervention_on"),
    )


# The open stages of kpis.md's "Waiting at the period's end", in its order, with the words the record uses.
WAITING_STAGES = {
    "awaiting_decision": "Awaiting a decision",
    "waiting_for_assessment": "Waiting for assessment",
    "in_assessment": "In assessment",
    "in_intervention": "In intervention",
    "on_hold": "On hold",
}


def waiting_stages(
    end: datetime.date, *, status: str, stage: str, referral, of_referral: Callable[[str], Combinable]
) -> dict[str, tuple[Q, Combinable]]:
    """Each open stage of `WAITING_STAGES`: the condition on a row's status and stage as at `end` (the fields named
    `status` and `stage`), and the day the stage began: received, accepted, assessment or intervention started, or
    the latest hold on or before `end`. `referral` refers to the row's referral and `of_referral(field)` gives one of
    its fields.

    A referral is accepted, starts an assessment and starts an intervention once at most (the pipeline never leads
    back to a stage before those), so the days it keeps of its first moves are the days those stages began; it may
    be put on hold again and again, so the latest hold is looked up among its events."""
    in_progress = Q(**{status: Status.IN_PROGRESS})
    return {
        "awaiting_decision": (Q(**{status: Status.AWAITING_DECISION}), of_referral("received_on")),
        "waiting_for_assessment": (in_progress & Q(**{stage: Stage.REFERRAL}), of_referral("accepted_on")),
        "in_assessment": (in_progress & Q(**{stage: Stage.ASSESSMENT}), of_referral("first_assessment_on")),
        "in_intervention": (in_progress & Q(**{stage: Stage.INTERVENTION}), of_referral("first_intervention_on")),
        "on_hold": (Q(**{status: Status.ON_HOLD}), event_on([EventKind.ON_HOLD], end, referral=referral)),
    }


def with_current_stage(referrals: QuerySet, today: datetime.date) -> QuerySet:
    """Annotate `waiting_stage` (a key of `WAITING_STAGES`) and `stage_began_on`, the day it began, for an open
    referral (`waiting_stages`); both None for a closed one. The queryset must carry `with_status_as_at(today)`."""
    stages = waiting_stages(today, status="status_as_at", stage="stage_as_at", referral=OuterRef("pk"), of_referral=F)
    return referrals.annotate(
        waiting_stage=Case(*(When(is_at, then=Value(stage)) for stage, (is_at, _) in stages.items())),
        stage_began_on=Case(*(When(is_at, then=began) for is_at, began in stages.values()), output_field=DateField()),
    )


@dataclass(frozen=True)
class ReferralClocks:
    """What `with_clock_dates` and `with_current_stage` annotated a referral with, typed."""

    decided_on: datetime.date | None
    first_contact: datetime.date | None
    assessment_on: datetime.date | None
    intervention_on: datetime.date | None
    waiting_stage: str | None
    stage_began_on: datetime.date | None

    @classmethod
    def of(cls, referral: Any) -> "ReferralClocks":
        return cls(**{field.name: getattr(referral, field.name) for field in fields(cls)})


def is_long_hold(referral: Any, today: datetime.date) -> bool:
    """Whether a referral annotated by `with_current_stage` has been on hold for longer than `LONG_HOLD_DAYS`."""
    began = referral.stage_began_on
    return referral.waiting_stage == "on_hold" and began is not None and (today - began).days > LONG_HOLD_DAYS
