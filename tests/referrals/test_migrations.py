"""Data migrations: what they fill in on existing rows."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from referrals.models import Appointment, PipelineEvent
from tests.factories import AppointmentFactory, ReferralFactory, TeamFactory

BEFORE_TEAMS = [("referrals", "0017_referral_first_attended")]
WITH_TEAMS = [("referrals", "0019_pipeline_event_team")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_existing_appointments_and_events_take_their_referrals_team(transactional_db):
    first, second = ReferralFactory(team=TeamFactory()), ReferralFactory(team=TeamFactory())
    appointments = [AppointmentFactory(referral=first), AppointmentFactory(referral=second)]
    events = [first.events.get(), second.events.get()]

    _migrate(BEFORE_TEAMS)  # the columns are dropped, the rows kept
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM referrals_appointment")
            assert cursor.fetchone() == (2,)
            cursor.execute("SELECT count(*) FROM referrals_pipelineevent")
            assert cursor.fetchone() == (2,)
    finally:
        _migrate(WITH_TEAMS)

    assert dict(Appointment.objects.values_list("pk", "team")) == {
        appointments[0].pk: first.team_id,
        appointments[1].pk: second.team_id,
    }
    assert dict(PipelineEvent.objects.values_list("pk", "team")) == {
        events[0].pk: first.team_id,
        events[1].pk: second.team_id,
    }
