"""Bad period parameters and implausible stored values never break a KPI page: a form error or 400, never a 500."""

import datetime

import pytest
from django.urls import reverse

from pairs.models import Team

pytestmark = pytest.mark.django_db

KPI_PAGES = ["reports:index", "reports:compare", "reports:needs", "training:index"]


@pytest.fixture
def started_in_year_one(team_a):
    # Saved before the bounds existed, bypassing validation as an old database would hold it.
    Team.objects.filter(pk=team_a.pk).update(service_started_on=datetime.date(1, 1, 1))
    return team_a


@pytest.mark.parametrize("name", [*KPI_PAGES, "reports:targets"])
def test_a_service_start_in_year_one_already_saved_leaves_the_manager_pages_working(
    manager_client, started_in_year_one, name
):
    assert manager_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx"])
def test_a_service_start_in_year_one_already_saved_leaves_the_downloads_working(
    manager_client, started_in_year_one, file_format
):
    assert manager_client.get(reverse("reports:kpi_download", args=[file_format])).status_code == 200


def test_a_service_start_in_year_one_already_saved_leaves_the_commissioner_dashboard_working(
    commissioner_client, started_in_year_one
):
    assert commissioner_client.get(reverse("reports:index")).status_code == 200


def test_a_service_start_in_year_one_counts_as_not_recorded_on_the_targets_page(manager_client, started_in_year_one):
    page = manager_client.get(reverse("reports:targets"))
    assert page.context["service_year"] is None


@pytest.mark.parametrize(
    "query",
    [
        "start=0001-01-01&end=0001-03-31",
        "start=0001-01-01&end=9999-12-31",
        "start=9999-01-01&end=9999-12-31",
        "start=1989-12-31&end=1990-03-31",
        "period=0001",
        "period=0001-q1",
        "period=9999-q4",
        "period=9999",
        "period=custom&start_day=1&start_month=1&start_year=1&end_day=31&end_month=12&end_year=9999",
        "period=custom&start_day=1&start_month=1&start_year=9999&end_day=31&end_month=12&end_year=9999",
    ],
)
@pytest.mark.parametrize("name", [*KPI_PAGES, "reports:kpi_download"])
def test_impossible_period_parameters_answer_with_the_problem_not_a_server_error(manager_client, team_a, name, query):
    url = reverse(name, args=["json"]) if name == "reports:kpi_download" else reverse(name)
    response = manager_client.get(f"{url}?{query}")
    assert response.status_code in (200, 400)


def reporting_data(**overrides) -> dict:
    return {
        "year_start_month": "4",
        "first_contact_target_days": "14",
        "disclosure_control": "hes",
        "births_per_year": "",
        "adversity_adjustment": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "1", "0001", "Enter a date from 1 January 1990 onwards"),
        ("31", "12", "1989", "Enter a date from 1 January 1990 onwards"),
        ("1", "1", "9999", "Enter a date no more than 2 years from today"),
    ],
)
def test_a_service_start_outside_the_bounds_is_refused_and_the_pages_keep_working(
    manager_client, team_a, day, month, year, message
):
    typed = {"service_started_on_day": day, "service_started_on_month": month, "service_started_on_year": year}
    response = manager_client.post(reverse("reports:targets"), reporting_data(**typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    team_a.refresh_from_db()
    assert team_a.service_started_on is None
    assert manager_client.get(reverse("reports:index")).status_code == 200


def test_a_plausible_service_start_is_saved(manager_client, team_a):
    typed = {"service_started_on_day": "1", "service_started_on_month": "3", "service_started_on_year": "2023"}
    assert manager_client.post(reverse("reports:targets"), reporting_data(**typed)).status_code == 302
    team_a.refresh_from_db()
    assert team_a.service_started_on == datetime.date(2023, 3, 1)
