"""The clocks a service is judged on (kpis.md, Timeliness, Clocks and Waiting at the period's end).

Each clock, and the waiting list by stage, is one query of `reports.kpis.ranks`, whatever the number of referrals.
"""

import datetime
from collections.abc import Sequence

from django.db.models import Case, DateField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate

from pairs.models import Team
from pairs.periods import Period
from referrals.models import Appointment, PipelineEvent
from referrals.pipeline import EventKind, Stage, Status
from reports.figures import Count as CountFigure
from reports.figures import Rate, Statistic
from reports.kpis.cohort import latest_events_as_at, shared_value
from reports.kpis.ranks import NO_WAITS, DayStatistics, day_statistics, day_statistics_by

DAY_PLACES = 1


def event_on(kinds: Sequence[str], end: datetime.date, *, first: bool, referral=None) -> Subquery:
    """The date of the referral's first (or latest) pipeline event of these kinds dated on or before `end`; the
    referral is the outer row unless `referral` refers to it."""
    order = ("occurred_on", "sequence") if first else ("-occurred_on", "-sequence")
    referral = OuterRef("pk") if referral is None else referral
    events = PipelineEvent.objects.filter(referral=referral, kind__in=kinds, occurred_on__lte=end)
    return Subquery(events.order_by(*order).values("occurred_on")[:1], output_field=DateField())


def first_contact_on(end: datetime.date) -> Case:
    """A recorded first contact or the first attended appointment, whichever came first, on or before `end`.

    Each referral evaluates one appointment subquery: the first attended appointment when no first contact is
    recorded by `end`, else the first attended before the recorded date, falling back to that date. LEAST of the
    recorded date and one subquery would name the subquery twice, and SQL evaluates each mention.
    """

    def first_attended(**before) -> Subquery:
        attended = Appointment.objects.filter(
            referral=OuterRef("pk"), outcome=Appointment.Outcome.ATTENDED, starts_at__date__lte=end
        )
        return Subquery(
            attended.annotate(on=TruncDate("starts_at")).filter(**before).order_by("starts_at").values("on")[:1],
            output_field=DateField(),
        )

    recorded = Q(first_contact_on__lte=end)
    return Case(
        When(recorded, then=Coalesce(first_attended(on__lt=OuterRef("first_contact_on")), F("first_contact_on"))),
        default=first_attended(),
    )


def _day_figures(statistics: DayStatistics, **last: int | None) -> dict:
    """A clock's or a waiting stage's block: n, the median, and the 90th percentile or the longest wait (`last`)."""
    n = statistics.n
    return {
        "n": CountFigure(n),
        "median_days": Statistic(statistics.median, n, DAY_PLACES),
        **{name: Statistic(days, n, DAY_PLACES) for name, days in last.items()},
    }


def clock_figures(teams: Sequence[Team], period: Period, cohort: QuerySet) -> tuple[dict, dict]:
    """The four clocks of the referrals in the period, and the timeliness block that the first-contact clock
    gives (data-contract.md sections 2 and 2.1). Each clock counts only the referrals whose end date is on or before
    the period's end; the decision clock takes the first decision, accepted or not. One query a clock."""
    end = period.end
    rows = cohort.annotate(
        decided_on=event_on([EventKind.ACCEPTED, EventKind.NOT_ACCEPTED], end, first=True),
        first_contact=first_contact_on(end),
        assessment_on=event_on([EventKind.ASSESSMENT_STARTED], end, first=True),
        intervention_on=event_on([EventKind.INTERVENTION_STARTED], end, first=True),
    )
    target_days = shared_value([team.first_contact_target_days for team in teams])
    since_received = {
        "to_decision": "decided_on",
        "to_first_contact": "first_contact",
        "to_assessment": "assessment_on",
        "to_intervention": "intervention_on",
    }
    clocks = {
        name: day_statistics(
            rows,
            F(reached) - F("received_on"),
            within_days=target_days if name == "to_first_contact" else None,
        )
        for name, reached in since_received.items()
    }
    contact = clocks["to_first_contact"]
    timeliness = {
        "with_first_contact": CountFigure(contact.n),
        "median_days_to_first_contact": Statistic(contact.median, contact.n, DAY_PLACES),
        "p90_days_to_first_contact": Statistic(contact.p90, contact.n, DAY_PLACES),
        "within_target": Rate(contact.within, contact.n) if target_days is not None else None,
        "target_days": target_days,
    }
    return {name: _day_figures(figures, p90_days=figures.p90) for name, figures in clocks.items()}, timeliness


def waiting_at_end(teams: Sequence[Team], period: Period) -> dict:
    """Every referral of the teams open at the period's end, by its stage then: n, median and longest days since the
    stage began (received, accepted, assessment or intervention started, hold began). One query."""
    end = period.end
    # One row a referral: the event that left it in its state as at the end.
    rows = latest_events_as_at(end).filter(
        referral__team__in=teams, status__in=[Status.AWAITING_DECISION, Status.IN_PROGRESS, Status.ON_HOLD]
    )
    in_progress = Q(status=Status.IN_PROGRESS)

    def since(kind: str) -> Subquery:
        return event_on([kind], end, first=False, referral=OuterRef("referral"))

    stages = {
        "awaiting_decision": (Q(status=Status.AWAITING_DECISION), F("referral__received_on")),
        "waiting_for_assessment": (in_progress & Q(stage=Stage.REFERRAL), since(EventKind.ACCEPTED)),
        "in_assessment": (in_progress & Q(stage=Stage.ASSESSMENT), since(EventKind.ASSESSMENT_STARTED)),
        "in_intervention": (in_progress & Q(stage=Stage.INTERVENTION), since(EventKind.INTERVENTION_STARTED)),
        # Only a resumption or a disengagement follows a hold, so the event of a referral on hold is its hold.
        "on_hold": (Q(status=Status.ON_HOLD), F("occurred_on")),
    }
    waits = day_statistics_by(
        rows.annotate(stage_began_on=Case(*(When(is_at, then=began) for is_at, began in stages.values()))),
        Value(end, output_field=DateField()) - F("stage_began_on"),
        group=Case(*(When(is_at, then=Value(stage)) for stage, (is_at, _) in stages.items())),
    )
    return {
        stage: _day_figures(waits.get(stage, NO_WAITS), longest_days=waits.get(stage, NO_WAITS).longest)
        for stage in stages
    }
