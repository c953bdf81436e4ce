import pytest
from django.db import connection

from pairs.database import planner_statistics_refresh
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_planner_counts_rows_the_transaction_has_not_committed_yet(team_a):
    ReferralFactory.create_batch(3, team=team_a)

    planner_statistics_refresh()

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'referrals_referral'")
        assert cursor.fetchone()[0] == 3
