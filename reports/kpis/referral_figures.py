"""The `referrals` block of the KPI export (data-contract.md sections 2 and 2.1): the referrals in the period by
pathway and status as at its end, timeliness and the clocks, the waiting list at the end, who was referred and how
complex their needs were."""

from collections.abc import Mapping, Sequence

from django.db.models import Count, F, QuerySet

from pairs.cohorts import Cohorts
from pairs.models import Team
from pairs.periods import Period
from referrals.models import Pathway
from reports.figures import Count as CountFigure
from reports.figures import Rate
from reports.kpis.clocks import clock_figures, waiting_at_end
from reports.kpis.cohort import ACCEPTED_STATUSES, ENGAGEMENT_STATUSES, SUPPORTED_STATUSES
from reports.kpis.profile import at_acceptance_figures, disengagement_figures, profile_figures


class StatusCounts:
    """The cohort counted by pathway and status as at the period's end, the counts the engagement table, the
    accepted referrals and the families supported are sums of."""

    def __init__(self, by_pathway_status: Mapping[tuple[str, str], int]):
        self._by_pathway_status = by_pathway_status

    @classmethod
    def of(cls, cohort: QuerySet, teams: Sequence[Team], period: Period) -> "StatusCounts":
        """The counts of the teams' cohort of the period. One query."""
        return cls.by_cohort(cohort, Cohorts.one(teams, period))[0]

    @classmethod
    def by_cohort(cls, referrals: QuerySet, cohorts: Cohorts) -> list["StatusCounts"]:
        """The counts of each cohort's referrals among `referrals`, as at the end of its period, in the cohorts'
        order. One query."""
        rows = (
            referrals.with_status_as_at(cohorts)
            .values("pathway", "status_as_at", cohort=cohorts.index_of(F("received_on"), F("team_id")))
            .annotate(n=Count("pk"))
        )
        counts: list[dict[tuple[str, str], int]] = [{} for _ in cohorts.cohorts]
        for row in rows:
            if row["cohort"] is not None:
                counts[row["cohort"]][row["pathway"], row["status_as_at"]] = row["n"]
        return [cls(by_pathway_status) for by_pathway_status in counts]

    def __call__(self, pathways: Sequence[str], statuses: Sequence[str]) -> int:
        return sum(self._by_pathway_status.get((p, s), 0) for p in pathways for s in statuses)


def referral_figures(teams: Sequence[Team], period: Period, cohort: QuerySet) -> dict:
    count = StatusCounts.of(cohort, teams, period)
    pathways = list(Pathway.values)
    engagement = {
        pathway: {status: CountFigure(count([pathway], [status])) for status in ENGAGEMENT_STATUSES}
        for pathway in pathways
    }
    engagement["total"] = {status: CountFigure(count(pathways, [status])) for status in ENGAGEMENT_STATUSES}
    received, accepted = count(pathways, ENGAGEMENT_STATUSES), count(pathways, ACCEPTED_STATUSES)
    clocks, timeliness = clock_figures(teams, period, cohort)
    profile = profile_figures(cohort)
    return {
        "received": CountFigure(received),
        "accepted": CountFigure(accepted),
        "accepted_rate": Rate(accepted, received),
        "antenatal": profile.antenatal,
        "by_pathway": {
            pathway: {
                "received": CountFigure(count([pathway], ENGAGEMENT_STATUSES)),
                "accepted": CountFigure(count([pathway], ACCEPTED_STATUSES)),
            }
            for pathway in pathways
        },
        "engagement": engagement,
        "by_referrer_service": profile.by_referrer_service,
        "families_supported": CountFigure(count(pathways, SUPPORTED_STATUSES)),
        "timeliness": timeliness,
        "mean_infant_age_months": profile.mean_infant_ages,
        "clocks": clocks,
        "waiting_at_end": waiting_at_end(teams, period),
        "profile": profile.figures,
        "at_acceptance": at_acceptance_figures(period, cohort),
        "disengagement_reasons": disengagement_figures(period, cohort),
    }
