"""The KPI engine runs a fixed number of queries, whatever the amount of data and the number of teams."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.database import planner_statistics_refresh
from pairs.models import Role
from pairs.periods import Period
from referrals.models import Appointment, Complexity, GroupPlace
from referrals.pipeline import EventKind
from referrals.services import referral_levels_record
from reports.kpis import kpi_export
from tests.factories import (
    AppointmentFactory,
    CaregiverFactory,
    ConsultationFactory,
    GroupPlaceFactory,
    GroupProgrammeFactory,
    InfantFactory,
    MembershipFactory,
    QuestionnaireFactory,
    TrainingSessionFactory,
    referral_with_history,
)

D = datetime.date
PERIOD = Period(D(2024, 1, 1), D(2024, 3, 31))

pytestmark = pytest.mark.django_db


def _families(team, actor, count: int, *, first: int = 0) -> None:
    """`count` families touching every block of the report: pipeline moves, levels, caregivers, infants,
    appointments, group places, paired questionnaires, workforce activity."""
    programme = GroupProgrammeFactory(team=team, starts_on=D(2024, 1, 8))
    complexity = Complexity.objects.get(code="domestic_abuse")
    for number in range(first, first + count):
        day = D(2024, 1, 2) + datetime.timedelta(days=number % 40)
        endings: list[list[tuple]] = [
            [(EventKind.COMPLETED, day + datetime.timedelta(days=30))],
            [(EventKind.ON_HOLD, day + datetime.timedelta(days=25), "family_request")],
            [(EventKind.DISENGAGED, day + datetime.timedelta(days=20), "childcare")],
        ]
        closing = endings[number % 3]
        referral = referral_with_history(
            actor=actor,
            team=team,
            received_on=day,
            reference=f"{team.slug}-{number}",
            first_contact_on=day + datetime.timedelta(days=3),
            steps=[
                (EventKind.ACCEPTED, day + datetime.timedelta(days=1)),
                (EventKind.ASSESSMENT_STARTED, day + datetime.timedelta(days=5)),
                (EventKind.INTERVENTION_STARTED, day + datetime.timedelta(days=10)),
                *closing,
            ],
        )
        referral.complexities.set([complexity])
        referral_levels_record(
            referral=referral,
            actor=actor,
            recorded_on=day + datetime.timedelta(days=1),
            safeguarding_level=1 + number % 4,
            risk_count=number % 7,
            thrive_level=None,
            imd_decile=1 + number % 10,
        )
        mother = CaregiverFactory(referral=referral)
        InfantFactory(referral=referral, date_of_birth=day - datetime.timedelta(days=30 * (number % 30)))
        AppointmentFactory(
            referral=referral,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
            outcome=Appointment.Outcome.ATTENDED,
        )
        GroupPlaceFactory(
            programme=programme,
            referral=referral,
            waiting_since=day,
            offered_on=day,
            status=GroupPlace.Status.TAKEN_UP,
            responded_on=day + datetime.timedelta(days=2),
        )
        for instrument, t1, t2 in (("phq9", 15, 8), ("gad7", 12, 6)):
            for timepoint, total, on in (("T1", t1, day), ("T2", t2, day + datetime.timedelta(days=29))):
                QuestionnaireFactory(
                    referral=referral,
                    caregiver=mother,
                    instrument=instrument,
                    timepoint=timepoint,
                    completed_on=on,
                    totals={"total": total},
                )
        TrainingSessionFactory(team=team, date=day)
        ConsultationFactory(team=team, date=day, sequence=1000 + number)
    # As an import does after its writes: on PostgreSQL the planner otherwise still believes the tables empty (the
    # autovacuum after an earlier test found them so) and plans the engine's correlated subqueries as nested loops
    # over one row each, which took minutes on these few families.
    planner_statistics_refresh()


def _queries(teams, **options) -> int:
    with CaptureQueriesContext(connection) as captured:
        kpi_export(teams=teams, period=PERIOD, **options)
    return len(captured.captured_queries)


def test_the_same_queries_on_more_data_and_for_more_teams(team_a, team_b, manager):
    MembershipFactory(user=manager, team=team_b, role=Role.MANAGER)
    _families(team_a, manager, 3)
    small = _queries([team_a])
    report = kpi_export(teams=[team_a], period=PERIOD)
    assert report["referrals"]["received"] == 3
    assert report["appointments"]["attended"] == 3
    assert report["outcomes"]["recovery"]["caregivers_paired"] == 3

    _families(team_a, manager, 12, first=3)
    _families(team_b, manager, 5)

    assert _queries([team_a]) == small
    assert _queries([team_a, team_b]) == small
    assert _queries([team_a, team_b], commissioner=True) == small
    assert _queries([team_a], today=D(2024, 2, 15)) == small  # a running period, judged against its target to date
    assert kpi_export(teams=[team_a, team_b], period=PERIOD)["referrals"]["received"] == 20
