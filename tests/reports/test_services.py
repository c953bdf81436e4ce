from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from reports.models import KpiTarget
from reports.services import kpi_target_remove, kpi_target_set

pytestmark = pytest.mark.django_db


def test_a_target_is_set_then_replaced_for_the_same_year_and_audited(team_a, manager):
    first = kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=2, annual_target=50)
    again = kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=2, annual_target=55)
    assert again.pk == first.pk
    assert list(KpiTarget.objects.values_list("from_service_year", "annual_target")) == [(2, Decimal(55))]
    entries = LogEntry.objects.get_for_object(again)
    assert entries.count() == 2
    assert {entry.actor for entry in entries} == {manager}


def test_a_rate_target_above_one_is_refused_and_nothing_is_saved(team_a, manager):
    with pytest.raises(ValidationError) as refusal:
        kpi_target_set(
            team=team_a, actor=manager, kpi="outcome_pairing_rate", from_service_year=1, annual_target=Decimal(75)
        )
    assert "fraction between 0 and 1" in str(refusal.value)
    assert not KpiTarget.objects.exists()


@pytest.mark.parametrize("who", ["practitioner", "commissioner", "practitioner_b"])
def test_only_the_team_s_manager_sets_or_removes_targets(request, team_a, manager, who):
    someone = request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        kpi_target_set(team=team_a, actor=someone, kpi="consultations", from_service_year=1, annual_target=50)
    target = kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=1, annual_target=50)
    with pytest.raises(ValidationError):
        kpi_target_remove(target=target, actor=someone)
    kpi_target_remove(target=target, actor=manager)
    assert not KpiTarget.objects.exists()
