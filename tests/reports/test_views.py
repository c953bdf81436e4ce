import json
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import KpiTarget
from reports.services import kpi_target_set
from tests.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(team_a):
    TrainingSessionFactory(team=team_a, participants=3)


def test_the_manager_sees_exact_kpis(manager_client, sessions):
    html = manager_client.get(reverse("reports:index")).content.decode()
    assert "<h1>Key performance indicators</h1>" in html
    assert "Training participants" in html
    # The factory's session: 7 of 8 feedback forms positive.
    assert "87.5%<br>" in html
    assert "7 of 8</span>" in html
    assert "small counts are shown as *" not in html


def test_the_commissioner_sees_suppressed_kpis(commissioner_client, sessions):
    html = commissioner_client.get(reverse("reports:index")).content.decode()
    assert "small counts are shown as *" in html
    data = json.loads(commissioner_client.get(reverse("reports:kpi_download", args=["json"])).content)
    assert data["disclosure_control"] == "hes"
    assert data["training"]["participants"] == "*"


def test_the_manager_downloads_exact_figures(manager_client, sessions):
    response = manager_client.get(reverse("reports:kpi_download", args=["json"]))
    assert response["Content-Disposition"].startswith('attachment; filename="pairs-kpis-team-a-')
    assert json.loads(response.content)["training"]["participants"] == 3
    csv_response = manager_client.get(reverse("reports:kpi_download", args=["csv"]))
    assert "training.participants,3" in csv_response.content.decode()


@pytest.mark.parametrize("name", ["reports:index", "monitoring:import"])
def test_practitioners_have_no_reports(practitioner_client, name):
    assert practitioner_client.get(reverse(name)).status_code == 403


def test_the_manager_sets_a_rate_target_in_per_cent_and_the_kpis_use_it(manager_client, team_a):
    url = reverse("reports:target_edit", args=["training_positive_feedback"])
    page = manager_client.get(url).content.decode()
    assert 'value="80"' in page  # this year's default, as a percentage

    response = manager_client.post(url, {"from_service_year": "1", "annual_target": "85"})
    assert response.status_code == 302
    assert KpiTarget.objects.get(team=team_a).annual_target == Decimal("0.85")
    kpis = manager_client.get(reverse("reports:index")).context["kpis"]
    assert next(kpi for kpi in kpis if kpi["id"] == "training_positive_feedback")["target"] == 0.85
    assert "The team" in manager_client.get(reverse("reports:targets")).content.decode()


def test_a_percentage_over_100_is_an_error_on_the_field(manager_client):
    url = reverse("reports:target_edit", args=["outcome_pairing_rate"])
    response = manager_client.post(url, {"from_service_year": "1", "annual_target": "175"})
    assert response.status_code == 200
    assert "A percentage cannot be more than 100" in response.content.decode()
    assert response.context["form"].errors == {"annual_target": ["A percentage cannot be more than 100"]}
    assert not KpiTarget.objects.exists()


def test_the_manager_removes_a_target_and_the_default_applies_again(manager_client, manager, team_a):
    target = kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=1, annual_target=55)
    response = manager_client.post(reverse("reports:target_remove", args=["consultations", target.pk]))
    assert response.status_code == 302
    assert not KpiTarget.objects.exists()


def test_the_manager_changes_the_service_year_and_suppression_rule(manager_client, team_a):
    response = manager_client.post(
        reverse("reports:targets"),
        {
            "service_started_on_day": "1",
            "service_started_on_month": "3",
            "service_started_on_year": "2023",
            "year_start_month": "3",
            "first_contact_target_days": "21",
            "disclosure_control": "mhsds",
        },
    )
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert (team_a.year_start_month, team_a.first_contact_target_days, team_a.disclosure_control) == (3, 21, "mhsds")
    assert team_a.service_started_on.isoformat() == "2023-03-01"


def test_an_unknown_kpi_is_not_found(manager_client):
    assert manager_client.get(reverse("reports:target_edit", args=["happiness"])).status_code == 404


@pytest.mark.parametrize("client_name", ["practitioner_client", "commissioner_client", "practitioner_b_client"])
def test_only_the_team_s_manager_reaches_targets(request, client_name, manager, team_a):
    client = request.getfixturevalue(client_name)
    target = kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=1, annual_target=55)
    for url in (
        reverse("reports:targets"),
        reverse("reports:target_edit", args=["consultations"]),
        reverse("reports:target_remove", args=["consultations", target.pk]),
    ):
        # Another team's practitioner is not told that team A's target exists.
        refused = 404 if client_name == "practitioner_b_client" and "remove" in url else 403
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"from_service_year": "1", "annual_target": "1"}).status_code == refused, url
    assert KpiTarget.objects.get().annual_target == 55
