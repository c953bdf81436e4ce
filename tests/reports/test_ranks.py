"""The order statistics of waits (`reports.kpis.ranks`) against the same statistics taken in Python, for several
waits of the same rows in one query, rows without some of the waits, ties, and groups."""

import datetime
import math
import statistics

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from referrals.models import Referral
from reports.kpis.ranks import NO_WAITS, DayStatistics, day_statistics_by, day_statistics_of
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
RECEIVED = datetime.date(2024, 1, 1)
WAITS = {
    "to_decision": F("first_decided_on") - F("received_on"),
    "to_assessment": F("first_assessment_on") - F("received_on"),
}
# A referral's waits in days (None: not reached), as the generated examples give them.
waits_in_days = st.tuples(st.none() | st.integers(0, 400), st.none() | st.integers(0, 400))


def _expected(days: list[int], within_days: int | None = None) -> DayStatistics:
    """The definitions of kpis.md, in Python: the median the mean of the two middle values when their number is even,
    the 90th percentile by nearest rank."""
    if not days:
        return DayStatistics(0, None, None, None, 0 if within_days is not None else None)
    ordered = sorted(days)
    n = len(ordered)
    return DayStatistics(
        n,
        statistics.median(ordered),
        ordered[math.ceil(0.9 * n) - 1],
        ordered[-1],
        sum(day <= within_days for day in ordered) if within_days is not None else None,
    )


def _referrals(team, waits: list[tuple[int | None, int | None]], group: str = "individual") -> None:
    template = ReferralFactory.build(team=team, pathway=group, created_by=ReferralFactory(team=team).created_by)
    Referral.objects.bulk_create(
        Referral(
            **{
                field.attname: getattr(template, field.attname)
                for field in Referral._meta.concrete_fields
                if not field.primary_key
            }
            | {
                "reference": f"W-{group}-{number}",
                "received_on": RECEIVED,
                "first_decided_on": None if decided is None else RECEIVED + datetime.timedelta(days=decided),
                "first_assessment_on": None if assessed is None else RECEIVED + datetime.timedelta(days=assessed),
            }
        )
        for number, (decided, assessed) in enumerate(waits)
    )


def test_generated_waits_give_the_statistics_of_their_definitions(team_a):
    @settings(max_examples=40, deadline=None)
    @given(waits=st.lists(waits_in_days, max_size=14), within=st.integers(0, 400))
    def check(waits, within):
        Referral.objects.all().delete()
        _referrals(team_a, waits)
        with CaptureQueriesContext(connection) as queries:
            measured = day_statistics_of(
                Referral.objects.filter(reference__startswith="W-"), WAITS, within_days={"to_decision": within}
            )
        assert len(queries) == 1
        decided = [decided for decided, _ in waits if decided is not None]
        assessed = [assessed for _, assessed in waits if assessed is not None]
        assert measured == {"to_decision": _expected(decided, within), "to_assessment": _expected(assessed)}

    check()


def test_the_90th_percentile_is_the_nearest_rank_of_an_odd_number_of_waits(team_a):
    # 19 waits: ceil(0.9 * 19) = 18th, where (9n + 9) / 10 and the longest differ from the neighbouring ranks.
    _referrals(team_a, [(day, 40 - day) for day in range(1, 20)])

    measured = day_statistics_of(Referral.objects.filter(reference__startswith="W-"), WAITS)

    assert measured["to_decision"] == DayStatistics(19, 10, 18, 19)
    assert measured["to_assessment"] == DayStatistics(19, 30, 38, 39)


def test_a_wait_no_row_has_is_none_beside_one_they_have(team_a):
    _referrals(team_a, [(3, None), (5, None), (8, None)])

    measured = day_statistics_of(Referral.objects.filter(reference__startswith="W-"), WAITS)

    assert measured["to_decision"] == DayStatistics(3, 5, 8, 8)
    assert measured["to_assessment"] == NO_WAITS


def test_waits_in_groups_are_each_groups_own_against_its_own_days(team_a):
    _referrals(team_a, [(1, None), (2, None), (30, None)], group="individual")
    _referrals(team_a, [(10, None), (20, None)], group="group")
    rows = Referral.objects.filter(reference__startswith="W-")

    measured = day_statistics_by(
        rows,
        WAITS["to_decision"],
        group=F("pathway"),
        within_days={"individual": 2, "group": 15, "unused": 9},
        groups=["unused"],
    )

    assert measured == {
        "individual": DayStatistics(3, 2, 30, 30, 2),
        "group": DayStatistics(2, 15, 20, 20, 1),
        "unused": DayStatistics(0, None, None, None, 0),
    }
