"""The clocks a service is judged on (kpis.md, Timeliness, Clocks and Waiting at the period's end).

The four clocks are one query of `reports.kpis.ranks`, and so is the waiting list by stage, whatever the number of
referrals.
"""

from collections.abc import Sequence

from django.db.models import Case, DateField, F, OuterRef, QuerySet, Subquery, Value, When

from pairs.cohorts import Cohorts
from pairs.models import Team
from pairs.periods import Period
from referrals.models import PipelineEvent, Referral
from referrals.pipeline import Status
from referrals.selectors.clocks import CLOCK_DATES, waiting_stages, with_clock_dates
from reports.figures import Count as CountFigure
from reports.figures import Rate, Statistic
from reports.kpis.cohort import shared_value
from reports.kpis.ranks import NO_WAITS, DayStatistics, day_statistics_by, day_statistics_of

DAY_PLACES = 1


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
    the period's end; the decision clock takes the first decision, accepted or not. One query for the four."""
    # The per-referral dates are those the record page shows (`referrals.selectors.clocks`).
    rows = with_clock_dates(cohort, period.end)
    target_days = _first_contact_target_days(teams)
    clocks = day_statistics_of(
        rows,
        {name: F(reached) - F("received_on") for name, reached in CLOCK_DATES.items()},
        within_days={"to_first_contact": target_days},
    )
    timeliness = _timeliness(clocks["to_first_contact"], target_days)
    return {name: _day_figures(figures, p90_days=figures.p90) for name, figures in clocks.items()}, timeliness


def timeliness_by_cohort(cohorts: Cohorts, referrals: QuerySet) -> list[dict]:
    """The timeliness block alone (the first-contact clock of `clock_figures`) of each cohort's referrals among
    `referrals`, as at the end of its period and against its teams' target, in the cohorts' order: for the reports
    that show only the KPIs. One query."""
    target_days = {index: _first_contact_target_days(cohort.teams) for index, cohort in enumerate(cohorts.cohorts)}
    contact = day_statistics_by(
        with_clock_dates(referrals, cohorts),
        F(CLOCK_DATES["to_first_contact"]) - F("received_on"),
        group=cohorts.index_of(F("received_on"), F("team_id")),
        within_days=target_days,
        groups=target_days.keys(),
    )
    return [_timeliness(contact[index], days) for index, days in target_days.items()]


def _first_contact_target_days(teams: Sequence[Team]) -> int | None:
    return shared_value([team.first_contact_target_days for team in teams])


def _timeliness(contact: DayStatistics, target_days: int | None) -> dict:
    return {
        "with_first_contact": CountFigure(contact.n),
        "median_days_to_first_contact": Statistic(contact.median, contact.n, DAY_PLACES),
        "p90_days_to_first_contact": Statistic(contact.p90, contact.n, DAY_PLACES),
        "within_target": Rate(contact.within, contact.n) if target_days is not None else None,
        "target_days": target_days,
    }


def waiting_at_end(teams: Sequence[Team], period: Period) -> dict:
    """Every referral of the teams open at the period's end, by its stage then: n, median and longest days since the
    stage began (received, accepted, assessment or intervention started, hold began). One query."""
    end = period.end
    # One row a referral: the event that left it in its state as at the end.
    rows = PipelineEvent.objects.state_as_at(end).filter(
        team__in=teams, status__in=[Status.AWAITING_DECISION, Status.IN_PROGRESS, Status.ON_HOLD]
    )

    # The stages and the days they began are those the record page shows (`referrals.selectors.clocks`). The
    # referral's days are read by a subquery of its row that each row reaches only in its own stage's branch: joined
    # for every row, PostgreSQL hashed the region's every referral to find them (150 of the 320 ms of the region's
    # year, for the day received alone). The referral is found by its key, so the referrals' default order would
    # only sort each row's one match.
    def of_referral(field: str) -> Subquery:
        return Subquery(Referral.objects.filter(pk=OuterRef("referral")).order_by().values(field)[:1])

    stages = waiting_stages(end, status="status", stage="stage", referral=OuterRef("referral"), of_referral=of_referral)
    waits = day_statistics_by(
        rows.annotate(stage_began_on=Case(*(When(is_at, then=began) for is_at, began in stages.values()))),
        Value(end, output_field=DateField()) - F("stage_began_on"),
        group=Case(*(When(is_at, then=Value(stage)) for stage, (is_at, _) in stages.items())),
    )
    return {
        stage: _day_figures(waits.get(stage, NO_WAITS), longest_days=waits.get(stage, NO_WAITS).longest)
        for stage in stages
    }
