"""What the blocks of the KPI engine share: the cohort of kpis.md, the statuses each figure counts, distributions."""

from collections.abc import Iterable, Mapping, Sequence

from django.db.models import Count, QuerySet

from pairs.cohorts import Cohorts
from pairs.models import Team
from pairs.periods import Period
from referrals.models import Referral
from referrals.pipeline import Status
from reports.figures import Count as CountFigure

# The engagement table's statuses, in the published order (kpis.md); awaiting_decision shows only when non-zero.
ENGAGEMENT_STATUSES = [status.value for status in Status]
ACCEPTED_STATUSES = [s for s in ENGAGEMENT_STATUSES if s not in (Status.AWAITING_DECISION, Status.NOT_ACCEPTED)]
SUPPORTED_STATUSES = [Status.IN_PROGRESS, Status.COMPLETED, Status.DISENGAGED_DURING_INTERVENTION]
FINISHED_INTERVENTION_STATUSES = [Status.COMPLETED, Status.DISENGAGED_DURING_INTERVENTION]
DISENGAGED_STATUSES = [
    Status.DISENGAGED_AT_REFERRAL.value,
    Status.DISENGAGED_AT_ASSESSMENT.value,
    Status.DISENGAGED_DURING_INTERVENTION.value,
]
NOT_RECORDED = "not_recorded"


def cohort_of(teams: Sequence[Team], period: Period) -> QuerySet:
    """Referrals in the period: those received in it (kpis.md, cohort rules)."""
    return Referral.objects.filter(team__in=teams, received_on__range=(period.start, period.end)).order_by()


def cohorts_of(cohorts: Cohorts) -> QuerySet:
    """The referrals of every one of the cohorts."""
    return Referral.objects.filter(cohorts.within("received_on", "team")).order_by()


def accepted_in(cohort: QuerySet, period: Period) -> QuerySet:
    """The cohort's accepted referrals: status as at the period's end neither not_accepted nor awaiting_decision.

    Those are the referrals accepted by then (`Referral.accepted_on`): the pipeline leads from an acceptance to
    neither of those two statuses, and from them to no other status but by an acceptance, so the day alone tells
    them without the status."""
    return cohort.filter(accepted_on__lte=period.end)


def distribution(codes: Iterable[str], counts: Mapping) -> dict[str, CountFigure]:
    """Every code of a vocabulary with its count, zeros included, then `not_recorded` (data-contract.md 2.1).

    `counts` maps a code to its count, as grouped by the database; a blank or missing code is not recorded, and so
    is the retired `not_recorded` code that imports give a reason left blank (referrals migration 0006).
    """
    figures = {code: CountFigure(counts.get(code, 0)) for code in codes if code != NOT_RECORDED}
    figures[NOT_RECORDED] = CountFigure(sum(counts.get(code, 0) for code in (None, "", NOT_RECORDED)))
    return figures


def grouped(rows: QuerySet, field: str) -> dict:
    """{value: n} from a queryset grouped by `field` in the database (one query)."""
    return {row[field]: row["n"] for row in rows.values(field).annotate(n=Count("pk")).order_by()}


def shared_value(values: list):
    """The value when every team has the same one, else None: a set of teams has no single rate target."""
    return values[0] if values and all(value == values[0] for value in values) else None
