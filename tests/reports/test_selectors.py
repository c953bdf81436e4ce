import datetime
from decimal import Decimal

import pytest

from pairs.periods import Period
from reports.selectors import RATE_BASES, kpi_figures, kpi_table, kpi_target_lines
from reports.services import kpi_target_set
from reports.targets import KPI_DEFINITIONS
from tests.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_every_rate_kpi_names_its_base():
    assert set(RATE_BASES) == {kpi.id for kpi in KPI_DEFINITIONS if kpi.is_rate}


def rows_by_id(user, team):
    period = Period(TODAY - datetime.timedelta(days=30), TODAY)
    return {row["id"]: row for row in kpi_table(kpi_figures(user=user, team=team, period=period))}


def test_a_rate_comes_with_its_count_and_base_exact_for_the_service(manager, team_a):
    TrainingSessionFactory(team=team_a, participants=30, feedback_returned=12, feedback_positive=9)
    TrainingSessionFactory(team=team_a, participants=30, feedback_returned=11, feedback_positive=10)
    feedback = rows_by_id(manager, team_a)["training_positive_feedback"]
    assert (feedback["rate"], feedback["actual"], feedback["base"]) == (0.8261, 19, 23)
    assert rows_by_id(manager, team_a)["training_sessions"]["base"] is None


def test_a_commissioner_sees_the_base_under_the_disclosure_rule(commissioner, team_a):
    TrainingSessionFactory(team=team_a, participants=30, feedback_returned=12, feedback_positive=9)
    TrainingSessionFactory(team=team_a, participants=30, feedback_returned=11, feedback_positive=10)
    feedback = rows_by_id(commissioner, team_a)["training_positive_feedback"]
    # HES: 19 rounds to 20 and 23 to 25, and the rate is worked out from the rounded counts.
    assert (feedback["rate"], feedback["actual"], feedback["base"]) == (0.8, 20, 25)


def test_the_target_lines_show_this_year_s_target_and_the_team_s_own_entries(team_a, manager):
    team_a.service_started_on = datetime.date(2023, 4, 1)
    team_a.save()
    kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=1, annual_target=30)
    kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=3, annual_target=50)

    year, lines = kpi_target_lines(team=team_a, day=datetime.date(2024, 6, 1))  # service year 2
    by_id = {line.kpi.id: line for line in lines}
    assert year == 2
    assert by_id["consultations"].this_year == Decimal(30)
    assert [entry.from_service_year for entry in by_id["consultations"].own_entries] == [1, 3]
    assert by_id["families_supported"].this_year == Decimal(60)  # the default schedule: 40, then 60 from year 2
    assert by_id["families_supported"].own_entries == []
    _, lines_of_year_3 = kpi_target_lines(team=team_a, day=datetime.date(2025, 6, 1))
    assert next(line for line in lines_of_year_3 if line.kpi.id == "consultations").this_year == Decimal(50)
