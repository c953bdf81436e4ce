import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from pairs.services import team_reporting_update

pytestmark = pytest.mark.django_db

REPORTING = {
    "service_started_on": datetime.date(2023, 3, 1),
    "year_start_month": 3,
    "first_contact_target_days": 21,
    "disclosure_control": "mhsds",
}


def test_the_manager_changes_how_the_team_reports_and_it_is_audited(team_a, manager):
    team = team_reporting_update(team=team_a, actor=manager, **REPORTING)
    team_a.refresh_from_db()
    assert {field: getattr(team_a, field) for field in REPORTING} == REPORTING
    assert LogEntry.objects.get_for_object(team).filter(action=LogEntry.Action.UPDATE).get().actor == manager


def test_a_month_outside_the_year_is_refused(team_a, manager):
    with pytest.raises(ValidationError) as refusal:
        team_reporting_update(team=team_a, actor=manager, **{**REPORTING, "year_start_month": 13})
    assert "year_start_month" in refusal.value.error_dict
    team_a.refresh_from_db()
    assert team_a.year_start_month == 4


@pytest.mark.parametrize("who", ["practitioner", "commissioner", "practitioner_b"])
def test_only_the_team_s_manager_changes_how_it_reports(request, team_a, who):
    with pytest.raises(ValidationError):
        team_reporting_update(team=team_a, actor=request.getfixturevalue(who), **REPORTING)
    team_a.refresh_from_db()
    assert team_a.disclosure_control == "hes"


def test_the_manager_sets_the_births_and_adversity_of_the_needs_model_and_only_they_change(team_a, manager):
    team_reporting_update(team=team_a, actor=manager, **REPORTING)
    team_reporting_update(team=team_a, actor=manager, births_per_year=2100, adversity_adjustment=5)
    team_a.refresh_from_db()
    assert (team_a.births_per_year, team_a.adversity_adjustment) == (2100, 5)
    assert {field: getattr(team_a, field) for field in REPORTING} == REPORTING
    entry = LogEntry.objects.get_for_object(team_a).filter(action=LogEntry.Action.UPDATE).first()
    assert set(entry.changes_dict) == {"births_per_year", "adversity_adjustment"}


def test_an_adjustment_outside_the_model_s_range_is_refused_and_no_change_writes_nothing(team_a, manager):
    with pytest.raises(ValidationError) as refusal:
        team_reporting_update(team=team_a, actor=manager, adversity_adjustment=-95)
    assert "adversity_adjustment" in refusal.value.error_dict
    team_reporting_update(team=team_a, actor=manager, adversity_adjustment=0)
    assert not LogEntry.objects.get_for_object(team_a).filter(action=LogEntry.Action.UPDATE).exists()
