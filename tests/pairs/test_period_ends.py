"""Rows placed in the period their date falls in, and judged as at its end, in the database."""

import datetime

import pytest
from django.db.models import F, OuterRef, Subquery

from pairs.period_ends import PeriodEnds, day_as_at
from pairs.periods import Period
from referrals.models import PipelineEvent, Referral
from referrals.pipeline import EventKind, Stage, Status
from tests.factories import ReferralFactory

D = datetime.date
JANUARY = Period(D(2024, 1, 1), D(2024, 1, 31))
MARCH = Period(D(2024, 3, 1), D(2024, 3, 31))


def test_periods_must_not_overlap_and_there_must_be_one():
    with pytest.raises(ValueError, match="overlap"):
        PeriodEnds((JANUARY, Period(D(2024, 1, 31), D(2024, 2, 29))))
    with pytest.raises(ValueError, match="at least one"):
        PeriodEnds(())
    # Touching is not overlapping, and the order given is kept whatever it is.
    assert PeriodEnds((MARCH, Period(D(2024, 2, 1), D(2024, 2, 29)), JANUARY)).periods[0] == MARCH


def test_a_day_is_its_own_as_at_day_and_a_single_period_its_end():
    assert day_as_at(D(2024, 5, 1), F("received_on")) == D(2024, 5, 1)
    assert day_as_at(PeriodEnds((JANUARY,)), F("received_on")) == JANUARY.end


@pytest.mark.django_db
def test_each_row_gets_the_index_and_the_end_of_its_period_and_none_outside_them(team_a):
    ends = PeriodEnds((MARCH, JANUARY))
    for day in (D(2024, 1, 1), D(2024, 1, 31), D(2024, 2, 15), D(2024, 3, 1), D(2024, 3, 31), D(2024, 4, 1)):
        ReferralFactory(team=team_a, received_on=day)
    rows = Referral.objects.annotate(index=ends.index_of(F("received_on")), end=ends.end_of(F("received_on")))
    placed = {row.received_on: (row.index, row.end) for row in rows}
    assert placed == {
        D(2024, 1, 1): (1, D(2024, 1, 31)),
        D(2024, 1, 31): (1, D(2024, 1, 31)),
        D(2024, 2, 15): (None, None),
        D(2024, 3, 1): (0, D(2024, 3, 31)),
        D(2024, 3, 31): (0, D(2024, 3, 31)),
        D(2024, 4, 1): (None, None),
    }
    within = Referral.objects.filter(ends.within("received_on")).values_list("received_on", flat=True)
    assert sorted(within) == [D(2024, 1, 1), D(2024, 1, 31), D(2024, 3, 1), D(2024, 3, 31)]


@pytest.mark.django_db
def test_a_subquery_judges_each_outer_row_as_at_the_end_of_its_own_period(team_a):
    """The end of each referral's period, worked out from the outer row inside a correlated subquery: the latest
    event of a January referral by 31 January (not its February one), of a March one by 31 March."""
    ends = PeriodEnds((JANUARY, MARCH))
    january = ReferralFactory(team=team_a, received_on=D(2024, 1, 10))
    march = ReferralFactory(team=team_a, received_on=D(2024, 3, 10))
    for referral, later in ((january, D(2024, 2, 5)), (march, D(2024, 3, 20))):
        PipelineEvent.objects.create(
            referral=referral,
            kind=EventKind.ACCEPTED,
            occurred_on=later,
            sequence=2,
            status=Status.IN_PROGRESS,
            stage=Stage.REFERRAL,
            recorded_by=referral.created_by,
        )
    latest = PipelineEvent.objects.filter(
        referral=OuterRef("pk"), occurred_on__lte=day_as_at(ends, OuterRef("received_on"))
    ).order_by("-occurred_on", "-sequence")
    dates = dict(
        Referral.objects.annotate(latest_on=Subquery(latest.values("occurred_on")[:1])).values_list("pk", "latest_on")
    )
    assert dates == {january.pk: D(2024, 1, 10), march.pk: D(2024, 3, 20)}
