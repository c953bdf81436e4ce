"""The clocks a service is judged on (kpis.md, Timeliness, Clocks and Waiting at the period's end).

Each block is one query of `reports.kpis.ranks.day_statistics`, whatever the number of referrals.
"""

import datetime
from collections.abc import Sequence

from django.db.models import Case, DateField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, TruncDate

from pairs.models import Team
from pairs.periods import Period
from referrals.models import Appointment, PipelineEvent, Referral
from referrals.pipeline import EventKind, Stage, Status
from reports.figures import Count as CountFigure
from reports.figures import Rate, Statistic
from reports.kpis.cohort import shared_value
from reports.kpis.ranks import DayStatistics, day_statistics

DAY_PLACES = 1


def event_on(kinds: Sequence[str], end: datetime.date, *, first: bool) -> Subquery:
    """The date of the referral's first (or latest) pipeline event of these kinds dated on or before `end`."""
    order = ("occurred_on", "sequence") if first else ("-occurred_on", "-sequence")
    events = PipelineEvent.objects.filter(referral=OuterRef("pk"), kind__in=kinds, occurred_on__lte=end)
    return Subquery(events.order_by(*order).values("occurred_on")[:1], output_field=DateField())


def first_contact_on(end: datetime.date):
    """A recorded first contact or the first attended appointment, whichever came first, on or before `end`."""
    first_attended = Subquery(
        Appointment.objects.filter(
            referral=OuterRef("pk"), outcome=Appointment.Outcome.ATTENDED, starts_at__date__lte=end
        )
        .order_by("starts_at")
        .annotate(on=TruncDate("starts_at"))
        .values("on")[:1]
    )
    recorded = Case(When(first_contact_on__lte=end, then=F("first_contact_on")), default=None)
    # LEAST of two possibly empty dates, the same on SQLite (NULL wins) and PostgreSQL (NULL ignored).
    return Least(Coalesce(recorded, first_attended), Coalesce(first_attended, recorded))


def _day_figures(statistics: DayStatistics, *, last: str) -> dict:
    """A clock's or a waiting stage's block: n, the median, and the 90th percentile or the longest wait."""
    n = statistics.n
    value = statistics.p90 if last == "p90_days" else statistics.longest
    return {
        "n": CountFigure(n),
        "median_days": Statistic(statistics.median, n, DAY_PLACES),
        last: Statistic(value, n, DAY_PLACES),
    }


def clock_figures(teams: Sequence[Team], period: Period, cohort: QuerySet) -> tuple[dict, dict]:
    """The four clocks of the referrals in the period, and the timeliness block that the first-contact clock
    gives (data-contract.md sections 2 and 2.1). Each clock counts only the referrals whose end date is on or before
    the period's end; the decision clock takes the first decision, accepted or not. One query."""
    end = period.end
    rows = cohort.annotate(
        decided_on=event_on([EventKind.ACCEPTED, EventKind.NOT_ACCEPTED], end, first=True),
        first_contact=first_contact_on(end),
        assessment_on=event_on([EventKind.ASSESSMENT_STARTED], end, first=True),
        intervention_on=event_on([EventKind.INTERVENTION_STARTED], end, first=True),
    )
    target_days = shared_value([team.first_contact_target_days for team in teams])
    clocks = day_statistics(
        rows,
        {
            "to_decision": F("decided_on") - F("received_on"),
            "to_first_contact": F("first_contact") - F("received_on"),
            "to_assessment": F("assessment_on") - F("received_on"),
            "to_intervention": F("intervention_on") - F("received_on"),
        },
        within={"to_first_contact": target_days} if target_days is not None else None,
    )
    contact = clocks["to_first_contact"]
    timeliness = {
        "with_first_contact": CountFigure(contact.n),
        "median_days_to_first_contact": Statistic(contact.median, contact.n, DAY_PLACES),
        "p90_days_to_first_contact": Statistic(contact.p90, contact.n, DAY_PLACES),
        "within_target": Rate(contact.within, contact.n) if target_days is not None else None,
        "target_days": target_days,
    }
    return {name: _day_figures(figures, last="p90_days") for name, figures in clocks.items()}, timeliness


def waiting_at_end(teams: Sequence[Team], period: Period) -> dict:
    """Every referral of the teams open at the period's end, by its stage then: n, median and longest days since the
    stage began (received, accepted, assessment or intervention started, hold began). One query."""
    end = period.end
    day = Value(end, output_field=DateField())
    rows = (
        Referral.objects.filter(team__in=teams, received_on__lte=end)
        .with_status_as_at(end)
        .filter(status_as_at__in=[Status.AWAITING_DECISION, Status.IN_PROGRESS, Status.ON_HOLD])
        .annotate(
            accepted_on=event_on([EventKind.ACCEPTED], end, first=False),
            assessment_on=event_on([EventKind.ASSESSMENT_STARTED], end, first=False),
            intervention_on=event_on([EventKind.INTERVENTION_STARTED], end, first=False),
            hold_on=event_on([EventKind.ON_HOLD], end, first=False),
        )
    )
    in_progress = Q(status_as_at=Status.IN_PROGRESS)
    since = {
        "awaiting_decision": (Q(status_as_at=Status.AWAITING_DECISION), "received_on"),
        "waiting_for_assessment": (in_progress & Q(stage_as_at=Stage.REFERRAL), "accepted_on"),
        "in_assessment": (in_progress & Q(stage_as_at=Stage.ASSESSMENT), "assessment_on"),
        "in_intervention": (in_progress & Q(stage_as_at=Stage.INTERVENTION), "intervention_on"),
        "on_hold": (Q(status_as_at=Status.ON_HOLD), "hold_on"),
    }
    waits = day_statistics(
        rows,
        {stage: Case(When(stage_is, then=day - F(began)), default=None) for stage, (stage_is, began) in since.items()},
    )
    return {stage: _day_figures(figures, last="longest_days") for stage, figures in waits.items()}
