"""Direct work with families: intervention episodes, appointments and group places (data-contract.md sections 2
and 2.1). A fixed number of queries whatever the number of records."""

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from pairs.models import Team
from pairs.periods import Period
from referrals.models import Appointment, GroupPlace, PipelineEvent
from referrals.pipeline import Status
from reports.figures import Count as CountFigure
from reports.figures import Rate
from reports.kpis.cohort import FINISHED_INTERVENTION_STATUSES


def intervention_figures(period: Period, cohort: QuerySet) -> dict:
    """The families who finished intervention, as the published report counts them (data-contract.md), and the
    episodes of those still in intervention. 2 queries."""
    # Each episode begun by the end beside the event in force for its referral then (`state_as_at`), joined: the
    # status is one column that every count reads, where the status subquery was worked out again in each query.
    finished = Q(status__in=FINISHED_INTERVENTION_STATUSES)
    episodes = (
        PipelineEvent.objects.state_as_at(period.end)
        .filter(referral__in=cohort.values("pk"), referral__interventions__started_on__lte=period.end)
        .order_by()
    )
    totals = episodes.aggregate(
        episodes=Count("referral__interventions", filter=finished),
        families=Count("referral", distinct=True, filter=finished),
        active_episodes=Count("referral__interventions", filter=Q(status=Status.IN_PROGRESS)),
    )
    code = "referral__interventions__intervention__code"
    by_code = (
        episodes.filter(finished)
        .values_list(code)
        .annotate(n=Count("pk"))
        .order_by("-n", "referral__interventions__intervention__sort_order", code)
    )
    return {
        "episodes": CountFigure(totals["episodes"]),
        "families": CountFigure(totals["families"]),
        "by_intervention": {code: CountFigure(n) for code, n in by_code},
        "active_episodes": CountFigure(totals["active_episodes"]),
    }


def appointment_figures(teams: Sequence[Team], period: Period) -> dict:
    """Every appointment of the teams' referrals dated in the period (any referral, not only the cohort), by
    outcome; the attendance rate; the families seen. One query."""
    outcomes = Appointment.Outcome
    starts, after = period.moments()
    totals = (
        Appointment.objects.filter(team__in=teams, starts_at__gte=starts, starts_at__lt=after)
        .order_by()
        .aggregate(
            offered=Count("pk"),
            **{outcome.value: Count("pk", filter=Q(outcome=outcome)) for outcome in outcomes},
            not_recorded=Count("pk", filter=Q(outcome="")),
            families_seen=Count("referral", distinct=True, filter=Q(outcome=outcomes.ATTENDED)),
        )
    )
    attended, did_not_attend = totals[outcomes.ATTENDED], totals[outcomes.DID_NOT_ATTEND]
    return {
        "offered": CountFigure(totals["offered"]),
        **{outcome.value: CountFigure(totals[outcome.value]) for outcome in outcomes},
        "not_recorded": CountFigure(totals["not_recorded"]),
        "attendance_rate": Rate(attended, attended + did_not_attend),
        "families_seen": CountFigure(totals["families_seen"]),
    }


def group_place_figures(teams: Sequence[Team], period: Period) -> dict:
    """Group places offered in the period, each as it stood at the period's end: a reply dated after the end still
    counts as awaited. One query."""
    replied = Q(responded_on__lte=period.end)
    totals = (
        GroupPlace.objects.filter(programme__team__in=teams, offered_on__range=(period.start, period.end))
        .order_by()
        .aggregate(
            offered=Count("pk"),
            taken_up=Count("pk", filter=replied & Q(status=GroupPlace.Status.TAKEN_UP)),
            declined=Count("pk", filter=replied & Q(status=GroupPlace.Status.DECLINED)),
        )
    )
    offered, taken_up, declined = totals["offered"], totals["taken_up"], totals["declined"]
    return {
        "offered": CountFigure(offered),
        "taken_up": CountFigure(taken_up),
        "declined": CountFigure(declined),
        "awaiting_reply": CountFigure(offered - taken_up - declined),
        "take_up_rate": Rate(taken_up, offered),
    }
