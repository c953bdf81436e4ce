"""Data migrations: what they fill in on existing rows."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from referrals.models import Appointment
from tests.factories import AppointmentFactory, ReferralFactory, TeamFactory

BEFORE_TEAM = [("referrals", "0017_referral_first_attended")]
WITH_TEAM = [("referrals", "0018_appointment_team")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_existing_appointments_take_their_referrals_team(transactional_db):
    first, second = ReferralFactory(team=TeamFactory()), ReferralFactory(team=TeamFactory())
    appointments = [AppointmentFactory(referral=first), AppointmentFactory(referral=second)]

    _migrate(BEFORE_TEAM)  # the column is dropped, the appointments kept
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM referrals_appointment")
            assert cursor.fetchone() == (2,)
    finally:
        _migrate(WITH_TEAM)

    teams = dict(Appointment.objects.values_list("pk", "team"))
    assert teams == {appointments[0].pk: first.team_id, appointments[1].pk: second.team_id}
