"""The pages that compose the apps: each role's landing page, the caseload and the waiting list."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.models import Service
from pairs.periods import service_quarter_of
from referrals import services as referral_services
from referrals.models import Referral
from referrals.pipeline import Stage, State, Status
from tests.factories import TrainingSessionFactory, UserFactory
from tests.referrals.builders import TODAY, add_referrals, make_referral

pytestmark = pytest.mark.django_db


# Landing pages --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_fixture", "heading"),
    [
        ("practitioner_client", "My caseload"),
        ("manager_client", "Service dashboard"),
        ("commissioner_client", "Reports for commissioners"),
    ],
)
def test_each_role_lands_on_its_own_home_page(request, client_fixture, heading):
    client = request.getfixturevalue(client_fixture)
    html = client.get(reverse("home:index")).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert html.count("<h1") == 1


def test_the_manager_s_home_shows_each_count_s_target_to_date_beside_the_quarter_s(manager_client):
    html = manager_client.get(reverse("home:index")).content.decode()
    assert "each count is judged against its target to date" in html
    assert re.search(r"\d+(\.\d)?<br><span[^>]*>\d+(\.\d)? to date</span>", html)


def test_a_person_without_a_team_is_told_so(client):
    client.force_login(UserFactory(username="newcomer"))
    assert "You are not a member of a team yet" in client.get(reverse("home:index")).content.decode()


def test_the_practitioners_home_lists_their_open_cases(practitioner_client, practitioner, team_a):
    mine = make_referral(team=team_a, actor=practitioner, assigned_practitioner=practitioner)
    someone_elses = make_referral(team=team_a, actor=practitioner)
    page = practitioner_client.get(reverse("home:index")).content.decode()
    assert mine.reference in page
    assert someone_elses.reference not in page


def _kpi_cells(html: str, label: str) -> list[str]:
    """The cells of the KPI called `label` (target, actual, status), each with tags stripped and spaces collapsed."""
    row = re.search(rf'<th scope="row" class="nhsuk-table__header">{label}</th>(.*?)</tr>', html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def _referral_today(team, actor, reference: str) -> Referral:
    return referral_services.referral_create(
        team=team,
        actor=actor,
        received_on=timezone.localdate(),
        pathway="individual",
        referrer_service=Service.objects.get(code="health_visiting"),
        caregivers=[{"role": "mother"}],
        reference=reference,
    )


def test_the_service_dashboard_counts_today_s_cases_and_this_quarter_s_kpis(
    manager_client, manager, team_a, practitioner_b, team_b
):
    today = timezone.localdate()
    _referral_today(team_a, manager, "A1")
    referral_services.referral_accept(referral=_referral_today(team_a, manager, "A2"), actor=manager, occurred_on=today)
    _referral_today(team_b, practitioner_b, "B1")
    TrainingSessionFactory(team=team_a, date=today, participants=3)
    TrainingSessionFactory(team=team_b, date=today, participants=50)

    html = manager_client.get(reverse("home:index")).content.decode()

    counts = dict(re.findall(r'__key">([^<]+)</dt>\s*<dd class="nhsuk-summary-list__value">(\d+)</dd>', html))
    assert counts == {
        "Awaiting a decision": "1",
        "Accepted, waiting for assessment": "1",
        "In assessment": "0",
        "In intervention": "0",
        "On hold": "0",
    }
    assert f"<h2>{service_quarter_of(today, team_a.year_start_month).label}</h2>" in html
    assert _kpi_cells(html, "Training participants")[1] == "3"


def test_the_commissioner_home_shows_this_quarter_under_disclosure_control(commissioner_client, team_a):
    today = timezone.localdate()
    TrainingSessionFactory(team=team_a, date=today, participants=3)
    TrainingSessionFactory(team=team_a, date=today, participants=9)

    html = commissioner_client.get(reverse("home:index")).content.decode()

    assert "disclosure-control rule (HES)" in html
    assert _kpi_cells(html, "Training sessions")[1] == "*"
    assert _kpi_cells(html, "Training participants")[1] == "10"
    assert reverse("reports:kpi_download", args=["json"]) in html


def test_the_service_dashboard_runs_the_same_queries_whatever_the_number_of_cases(
    manager_client, manager, team_a, django_assert_num_queries
):
    _referral_today(team_a, manager, "FIRST")
    with CaptureQueriesContext(connection) as one_case:
        manager_client.get(reverse("home:index"))
    for number in range(10):
        referral = _referral_today(team_a, manager, f"MORE-{number}")
        referral_services.referral_accept(referral=referral, actor=manager, occurred_on=timezone.localdate())
        TrainingSessionFactory(team=team_a, date=timezone.localdate())
    with django_assert_num_queries(len(one_case)):
        manager_client.get(reverse("home:index"))


# The caseload and the waiting list -------------------------------------------------------------------------------


def test_the_caseload_reads_the_same_number_of_queries_for_5_and_50_referrals(
    manager_client, manager, team_a, django_assert_num_queries
):
    url = reverse("home:caseload") + "?cases=team&status=all&sort=next_appointment_at"
    add_referrals(team_a, manager, 5)
    manager_client.get(url)  # warms the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as five:
        assert manager_client.get(url).status_code == 200
    add_referrals(team_a, manager, 45)
    with django_assert_num_queries(len(five)):
        response = manager_client.get(url)
    assert response.context["table"].paginator.count == 50
    assert len(five) < 20


def references(response) -> list[str]:
    return [row.record.reference for row in response.context["table"].page.object_list]


def test_the_caseload_filters_and_sorts(practitioner_client, practitioner, manager, team_a):
    old = make_referral(team=team_a, actor=practitioner, received_on=TODAY - datetime.timedelta(days=90))
    group = make_referral(
        team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.REFERRAL), pathway="group"
    )
    gp = make_referral(team=team_a, actor=practitioner, referrer_service=Service.objects.get(code="gp"))
    closed = make_referral(team=team_a, actor=practitioner, state=State(Status.COMPLETED, Stage.INTERVENTION))
    Referral.objects.filter(pk__in=[old.pk, group.pk, closed.pk]).update(assigned_practitioner=practitioner)
    Referral.objects.filter(pk=gp.pk).update(assigned_practitioner=manager)
    url = reverse("home:caseload")

    def shown(**query):
        return sorted(references(practitioner_client.get(url, {"cases": "team", **query})))

    assert shown() == sorted([old.reference, group.reference, gp.reference])
    assert shown(status="all") == sorted([old.reference, group.reference, gp.reference, closed.reference])
    assert shown(status="completed") == [closed.reference]
    assert shown(pathway="group") == [group.reference]
    assert shown(practitioner=str(manager.pk)) == [gp.reference]
    assert shown(referrer=str(gp.referrer_service_id)) == [gp.reference]
    assert shown(waiting_longer_than="60") == [old.reference]
    assert sorted(references(practitioner_client.get(url))) == sorted([old.reference, group.reference])
    by_days = references(practitioner_client.get(url, {"cases": "team", "sort": "-days_since_referral"}))
    assert by_days[0] == old.reference


def test_the_caseload_names_the_step_of_each_open_case_and_the_practitioner_only_in_the_teams_list(
    practitioner_client, practitioner, team_a
):
    for stage in Stage:
        make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, stage))
    Referral.objects.update(assigned_practitioner=practitioner)
    url = reverse("home:caseload")

    mine = practitioner_client.get(url)
    assert [column.name for column in mine.context["table"].columns] == [
        "reference",
        "family_name",
        "pathway",
        "status_as_at",
        "days_since_referral",
        "next_appointment_at",
    ]
    page = mine.content.decode()
    for step in ("Waiting for assessment", "In assessment", "In intervention"):
        assert page.count(step) == 1, step
    teams = practitioner_client.get(url, {"cases": "team"})
    assert "assigned_practitioner" in [column.name for column in teams.context["table"].columns]
    home = practitioner_client.get(reverse("home:index")).content.decode()
    assert "Practitioner</" not in home
    assert home.count("In intervention") == 1


def test_the_caseload_is_paginated(manager_client, manager, team_a):
    for _ in range(26):
        make_referral(team=team_a, actor=manager)
    first = manager_client.get(reverse("home:caseload"), {"cases": "team"})
    assert len(references(first)) == 25
    assert 'aria-label="Page 2"' in first.content.decode()
    second = manager_client.get(reverse("home:caseload"), {"cases": "team", "page": "2"})
    assert len(references(second)) == 1


def test_the_waiting_list_holds_accepted_referrals_not_yet_in_intervention_oldest_first(
    practitioner_client, practitioner, team_a
):
    def referral(state, days_ago):
        return make_referral(
            team=team_a, actor=practitioner, state=state, received_on=TODAY - datetime.timedelta(days=days_ago)
        )

    newer = referral(State(Status.IN_PROGRESS, Stage.REFERRAL), 20)
    older = referral(State(Status.IN_PROGRESS, Stage.ASSESSMENT), 50)
    referral(State(Status.AWAITING_DECISION, Stage.REFERRAL), 60)
    referral(State(Status.IN_PROGRESS, Stage.INTERVENTION), 70)
    referral(State(Status.ON_HOLD, Stage.REFERRAL), 80)
    referral(State(Status.DISENGAGED_AT_ASSESSMENT, Stage.ASSESSMENT), 90)
    response = practitioner_client.get(reverse("home:waiting_list"))
    assert references(response) == [older.reference, newer.reference]
    page = response.content.decode()
    assert "In assessment" in page
    assert "Waiting for assessment" in page


LISTS = ["home:caseload", "home:waiting_list"]


@pytest.mark.parametrize("name", LISTS)
def test_commissioners_are_refused_the_lists(client, commissioner, name):
    client.force_login(commissioner)
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {"version": 1}).status_code == 403


@pytest.mark.parametrize("name", LISTS)
def test_the_lists_show_nothing_of_another_team(practitioner_b_client, team_a, practitioner, name):
    make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.REFERRAL))
    response = practitioner_b_client.get(reverse(name) + "?cases=team&status=all")
    assert response.status_code == 200
    assert "FAC-" not in response.content.decode()


@pytest.mark.parametrize(("name", "section"), [("home:index", "Home"), *((name, "Referrals") for name in LISTS)])
def test_the_menu_marks_the_section_of_the_page(practitioner_client, name, section):
    html = practitioner_client.get(reverse(name)).content.decode()
    current = re.findall(
        r'aria-current="page"><strong class="nhsuk-header__navigation-item-current-fallback">(\w+)', html
    )
    assert current == [section]
