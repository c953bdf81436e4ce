"""Direct work with families: intervention episodes, appointments and group places (data-contract.md sections 2
and 2.1). A fixed number of queries whatever the number of records."""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from pairs.models import Team
from pairs.periods import Period
from referrals.models import Appointment, GroupPlace, PipelineEvent
from referrals.pipeline import Status
from reports.figures import Count as CountFigure
from reports.figures import Rate
from reports.kpis.cohort import FINISHED_INTERVENTION_STATUSES

# The episodes counted once, from their materialised rows: by intervention (the finished ones, the most first, and
# the active ones), and the finished families among them in every row. Two queries over the same join took each
# its own pass; the families' distinct count is what keeps the totals from being sums of the codes' rows.
_INTERVENTIONS_SQL = """
WITH episodes AS MATERIALIZED ({episodes})
SELECT code,
    COUNT(*) FILTER (WHERE status IN ({finished})) AS finished,
    COUNT(*) FILTER (WHERE status = %s) AS active,
    (SELECT COUNT(DISTINCT referral) FROM episodes WHERE status IN ({finished})) AS families
FROM episodes
GROUP BY code, sort_order
ORDER BY finished DESC, sort_order, code
"""


def intervention_figures(period: Period, cohort: QuerySet) -> dict:
    """The families who finished intervention, as the published report counts them (data-contract.md), and the
    episodes of those still in intervention. One query."""
    # Each episode begun by the end beside the event in force for its referral then (`state_as_at`), joined: the
    # status is one column that every count reads, where the status subquery was worked out again in each query.
    interventions = "referral__interventions__intervention"
    episodes = (
        PipelineEvent.objects.state_as_at(period.end)
        .filter(referral__in=cohort.values("pk"), referral__interventions__started_on__lte=period.end)
        .values("status", "referral", code=F(f"{interventions}__code"), sort_order=F(f"{interventions}__sort_order"))
        .order_by()
    )
    episodes_sql, episodes_params = episodes.query.sql_with_params()
    finished = ", ".join(["%s"] * len(FINISHED_INTERVENTION_STATUSES))
    # Built from the ORM's own SQL and constant text; the values are parameters.
    sql = _INTERVENTIONS_SQL.format(episodes=episodes_sql, finished=finished)
    params = (*episodes_params, *FINISHED_INTERVENTION_STATUSES, Status.IN_PROGRESS, *FINISHED_INTERVENTION_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        "episodes": CountFigure(sum(finished for _, finished, _, _ in rows)),
        "families": CountFigure(rows[0][3] if rows else 0),
        "by_intervention": {code: CountFigure(finished) for code, finished, _, _ in rows if finished},
        "active_episodes": CountFigure(sum(active for _, _, active, _ in rows)),
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
