import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals.models import DeclineReason, Infant, Referral, RetentionDecision
from referrals.pipeline import EventKind
from referrals.selectors import referral_record
from referrals.selectors.lifecycle import (
    active_restriction,
    correction_history,
    records_past_retention,
    retention_of,
    retention_of_record,
    retention_of_referral,
    unrestricted,
    years_after,
)
from referrals.services import lifecycle, referral_move
from referrals.services.lifecycle import caregiver_rectify
from tests.factories import InfantFactory
from tests.referrals.builders import TODAY, make_referral, reason

pytestmark = pytest.mark.django_db


def closed_referral(team, actor, *, born: datetime.date | None, declined: datetime.date) -> Referral:
    referral = make_referral(team=team, actor=actor, received_on=declined - datetime.timedelta(days=2))
    if born is None:
        Infant.objects.filter(referral=referral).update(date_of_birth=None, due_date=declined)
    else:
        Infant.objects.filter(referral=referral).update(date_of_birth=born)
    referral_move(
        actor=actor,
        referral=referral,
        kind=EventKind.NOT_ACCEPTED,
        occurred_on=declined,
        reason=reason(DeclineReason, "outside_area"),
    )
    return referral


def test_years_after_keeps_the_day_or_falls_back_to_28_february():
    assert years_after(datetime.date(2000, 5, 1), 25) == datetime.date(2025, 5, 1)
    assert years_after(datetime.date(2000, 2, 29), 25) == datetime.date(2025, 2, 28)
    assert years_after(datetime.date(2026, 12, 1), -8) == datetime.date(2018, 12, 1)


def test_the_retention_date_is_the_later_of_birth_and_closure(team_a):
    by_birth = retention_of(team=team_a, youngest_born=datetime.date(2010, 1, 1), closed_on=datetime.date(2011, 1, 1))
    assert by_birth.retained_until == datetime.date(2035, 1, 1)
    assert by_birth.why == "25 years after the youngest infant's birth on 1 January 2010"
    by_closure = retention_of(team=team_a, youngest_born=datetime.date(2010, 1, 1), closed_on=datetime.date(2030, 6, 2))
    assert by_closure.retained_until == datetime.date(2038, 6, 2)
    assert by_closure.why == "8 years after the referral closed on 2 June 2030"
    no_infant = retention_of(team=team_a, youngest_born=None, closed_on=datetime.date(2011, 1, 1))
    assert no_infant.retained_until == datetime.date(2019, 1, 1)


def test_the_team_settings_set_the_retention_date(team_a):
    team_a.retention_years_after_birth, team_a.retention_years_after_closure = 30, 10
    kept = retention_of(team=team_a, youngest_born=datetime.date(2010, 1, 1), closed_on=datetime.date(2011, 1, 1))
    assert kept.retained_until == datetime.date(2040, 1, 1)


def test_an_open_referral_has_no_retention_date_and_a_closed_one_does(team_a, practitioner):
    assert retention_of_referral(make_referral(team=team_a, actor=practitioner)) is None
    closed = closed_referral(team_a, practitioner, born=datetime.date(2001, 3, 4), declined=datetime.date(2001, 6, 1))
    assert retention_of_referral(closed).retained_until == datetime.date(2026, 3, 4)


def test_the_youngest_infant_sets_the_date_and_an_unborn_one_counts_by_its_due_date(team_a, practitioner):
    closed = closed_referral(team_a, practitioner, born=datetime.date(2001, 3, 4), declined=datetime.date(2001, 6, 1))
    InfantFactory(referral=closed, date_of_birth=None, due_date=datetime.date(2001, 9, 9))
    assert retention_of_referral(closed).retained_until == datetime.date(2026, 9, 9)


def test_the_record_pages_retention_date_agrees_with_the_databases(team_a, practitioner, django_assert_num_queries):
    closed = closed_referral(team_a, practitioner, born=datetime.date(2001, 3, 4), declined=datetime.date(2001, 6, 1))
    loaded = referral_record(user=practitioner, team=team_a, pk=closed.pk)
    from_the_database = retention_of_referral(closed)
    with django_assert_num_queries(0):
        assert retention_of_record(loaded) == from_the_database
    open_one = referral_record(user=practitioner, team=team_a, pk=make_referral(team=team_a, actor=practitioner).pk)
    assert retention_of_record(open_one) is None


def test_records_past_retention_oldest_first_with_why(team_a, team_b, practitioner, practitioner_b, manager):
    later = closed_referral(team_a, practitioner, born=datetime.date(2000, 8, 1), declined=datetime.date(2000, 9, 1))
    older = closed_referral(team_a, practitioner, born=datetime.date(1999, 1, 5), declined=datetime.date(1999, 2, 1))
    # Not past: born too recently; closed too recently; open; another team's.
    closed_referral(team_a, practitioner, born=TODAY - datetime.timedelta(days=300), declined=TODAY)
    closed_referral(team_a, practitioner, born=datetime.date(1990, 1, 1), declined=TODAY - datetime.timedelta(days=9))
    make_referral(team=team_a, actor=practitioner)
    closed_referral(team_b, practitioner_b, born=datetime.date(1999, 1, 5), declined=datetime.date(1999, 2, 1))
    rows = records_past_retention(user=manager, team=team_a, today=TODAY)
    assert [row.referral for row in rows] == [older, later]
    assert rows[0].retention.retained_until == datetime.date(2024, 1, 5)
    assert rows[0].retention.why == "25 years after the youngest infant's birth on 5 January 1999"
    assert all(row.is_due for row in rows)


def test_a_kept_record_is_reviewed_until_its_date_comes(team_a, practitioner, manager):
    referral = closed_referral(team_a, practitioner, born=datetime.date(1999, 1, 5), declined=datetime.date(1999, 2, 1))
    keep_until = TODAY + datetime.timedelta(days=30)
    lifecycle.retention_review_record(
        actor=manager, referral=referral, decision=RetentionDecision.KEEP, reason="Open review", keep_until=keep_until
    )
    [row] = records_past_retention(user=manager, team=team_a, today=TODAY)
    assert not row.is_due
    assert row.review.reason == "Open review"
    [row] = records_past_retention(user=manager, team=team_a, today=keep_until)
    assert row.is_due


def test_records_past_retention_read_in_two_queries_however_many(team_a, practitioner, manager):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            records_past_retention(user=manager, team=team_a, today=TODAY)
        return len(queries)

    first = closed_referral(team_a, practitioner, born=datetime.date(1999, 1, 5), declined=datetime.date(1999, 2, 1))
    lifecycle.retention_review_record(actor=manager, referral=first, decision=RetentionDecision.DELETE, reason="Old")
    few = count()
    for day in range(1, 6):
        closed_referral(team_a, practitioner, born=datetime.date(1998, 1, day), declined=datetime.date(1999, 2, day))
    assert count() == few
    # The membership of the person, the referrals with their facts, their reviews.
    assert few <= 3


def test_the_restriction_in_force_is_read_once_a_request(team_a, practitioner, manager, django_assert_num_queries):
    referral = make_referral(team=team_a, actor=practitioner)
    assert active_restriction(referral) is None
    restricted = Referral.objects.get(pk=referral.pk)
    lifecycle.restriction_place(actor=manager, referral=restricted, reason="Contested")
    with django_assert_num_queries(1):
        assert active_restriction(restricted).reason == "Contested"
        assert active_restriction(restricted).restricted_by == manager


def test_unrestricted_leaves_out_only_the_restrictions_in_force(team_a, practitioner, manager):
    kept, restricted, lifted = (make_referral(team=team_a, actor=practitioner) for _ in range(3))
    lifecycle.restriction_place(actor=manager, referral=restricted, reason="Objected")
    lifecycle.restriction_place(actor=manager, referral=lifted, reason="Objected")
    lifecycle.restriction_lift(actor=manager, referral=lifted, reason="Resolved")
    assert set(unrestricted(Referral.objects.all())) == {kept, lifted}


def test_the_correction_history_is_one_query_newest_first(team_a, practitioner, django_assert_num_queries):
    referral = make_referral(team=team_a, actor=practitioner)
    caregiver = referral.caregivers.get()
    caregiver_rectify(actor=practitioner, caregiver=caregiver, reason="Misspelt", name="Amy Sample")
    caregiver_rectify(actor=practitioner, caregiver=caregiver, reason="Moved house", postcode="FY3 7AA")
    with django_assert_num_queries(1):
        history = correction_history(referral)
    assert [row.reason for row in history] == ["Moved house", "Misspelt"]
    [postcode] = history[0].audit.changes
    assert (postcode.field, postcode.before, postcode.after) == ("postcode", "FY1 1AA", "FY3 7AA")
    assert history[1].audit.actor == practitioner.get_full_name()
