"""Rows placed in the cohort their team and date fall in, and judged as at the end of its period, in the database."""

import datetime

import pytest
from django.db.models import F, OuterRef, Subquery

from pairs.cohorts import Cohort, Cohorts, day_as_at
from pairs.periods import Period
from referrals.models import PipelineEvent, Referral
from referrals.pipeline import EventKind, Stage, Status
from tests.factories import ReferralFactory

D = datetime.date
JANUARY = Period(D(2024, 1, 1), D(2024, 1, 31))
FEBRUARY = Period(D(2024, 2, 1), D(2024, 2, 29))
MARCH = Period(D(2024, 3, 1), D(2024, 3, 31))
RECEIVED, TEAM = F("received_on"), F("team_id")

pytestmark = pytest.mark.django_db


def test_cohorts_must_share_no_referral_and_there_must_be_one(team_a, team_b):
    with pytest.raises(ValueError, match="share a team"):
        Cohorts((Cohort.of([team_a], JANUARY), Cohort.of([team_a, team_b], Period(D(2024, 1, 31), D(2024, 2, 29)))))
    with pytest.raises(ValueError, match="at least one"):
        Cohorts(())
    # Touching periods of a team, or one period of two teams, share nothing; the order given is kept.
    cohorts = Cohorts((Cohort.of([team_a], MARCH), Cohort.of([team_a], FEBRUARY), Cohort.of([team_b], MARCH)))
    assert [cohort.period for cohort in cohorts.cohorts] == [MARCH, FEBRUARY, MARCH]


def test_the_day_as_at_is_the_day_or_the_cohorts_one_end(team_a, team_b):
    assert day_as_at(D(2024, 5, 1), RECEIVED, TEAM) == D(2024, 5, 1)
    # Every cohort ending on the same day (one period; the teams compared over one): that day.
    assert day_as_at(Cohorts.one([team_a], JANUARY), RECEIVED, TEAM) == JANUARY.end
    teams_compared = Cohorts((Cohort.of([team_a], JANUARY), Cohort.of([team_b], JANUARY)))
    assert day_as_at(teams_compared, RECEIVED, TEAM) == JANUARY.end
    assert day_as_at(Cohorts((Cohort.of([team_a], JANUARY), Cohort.of([team_a], MARCH))), RECEIVED, TEAM) != JANUARY.end


def test_each_row_gets_the_index_and_the_end_of_its_cohort_and_none_outside_them(team_a, team_b):
    cohorts = Cohorts((Cohort.of([team_a], MARCH), Cohort.of([team_a], JANUARY), Cohort.of([team_b], JANUARY)))
    for day in (D(2024, 1, 1), D(2024, 1, 31), D(2024, 2, 15), D(2024, 3, 1), D(2024, 3, 31), D(2024, 4, 1)):
        ReferralFactory(team=team_a, received_on=day)
    ReferralFactory(team=team_b, received_on=D(2024, 1, 10))
    ReferralFactory(team=team_b, received_on=D(2024, 3, 10))
    rows = Referral.objects.annotate(index=cohorts.index_of(RECEIVED, TEAM), end=cohorts.end_of(RECEIVED, TEAM))
    placed = {(row.team_id, row.received_on): (row.index, row.end) for row in rows}
    a, b = team_a.pk, team_b.pk
    assert placed == {
        (a, D(2024, 1, 1)): (1, D(2024, 1, 31)),
        (a, D(2024, 1, 31)): (1, D(2024, 1, 31)),
        (a, D(2024, 2, 15)): (None, None),
        (a, D(2024, 3, 1)): (0, D(2024, 3, 31)),
        (a, D(2024, 3, 31)): (0, D(2024, 3, 31)),
        (a, D(2024, 4, 1)): (None, None),
        (b, D(2024, 1, 10)): (2, D(2024, 1, 31)),
        (b, D(2024, 3, 10)): (None, None),
    }
    within = Referral.objects.filter(cohorts.within("received_on", "team")).values_list("team_id", "received_on")
    assert sorted(within) == sorted(key for key, (index, _) in placed.items() if index is not None)


def test_a_subquery_judges_each_outer_row_as_at_the_end_of_its_own_cohort(team_a):
    """The end of each referral's cohort, worked out from the outer row inside a correlated subquery: the latest
    event of a January referral by 31 January (not its February one), of a March one by 31 March."""
    cohorts = Cohorts((Cohort.of([team_a], JANUARY), Cohort.of([team_a], MARCH)))
    january = ReferralFactory(team=team_a, received_on=D(2024, 1, 10))
    march = ReferralFactory(team=team_a, received_on=D(2024, 3, 10))
    for referral, later in ((january, D(2024, 2, 5)), (march, D(2024, 3, 20))):
        PipelineEvent.objects.create(
            referral=referral,
            team=team_a,
            kind=EventKind.ACCEPTED,
            occurred_on=later,
            sequence=2,
            status=Status.IN_PROGRESS,
            stage=Stage.REFERRAL,
            recorded_by=referral.created_by,
        )
    as_at = day_as_at(cohorts, OuterRef("received_on"), OuterRef("team_id"))
    latest = PipelineEvent.objects.filter(referral=OuterRef("pk"), occurred_on__lte=as_at).order_by(
        "-occurred_on", "-sequence"
    )
    dates = dict(
        Referral.objects.annotate(latest_on=Subquery(latest.values("occurred_on")[:1])).values_list("pk", "latest_on")
    )
    assert dates == {january.pk: D(2024, 1, 10), march.pk: D(2024, 3, 20)}
