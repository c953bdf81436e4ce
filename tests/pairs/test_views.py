import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.models import Role, Service
from pairs.periods import service_quarter_of
from pairs.selectors import SESSION_TEAM_KEY
from referrals import services as referral_services
from referrals.models import Referral
from tests.factories import MembershipFactory, TeamFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


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
    html = client.get(reverse("home")).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert html.count("<h1") == 1


def test_a_person_without_a_team_is_told_so(client):
    client.force_login(UserFactory(username="newcomer"))
    assert "You are not a member of a team yet" in client.get(reverse("home")).content.decode()


def test_navigation_shows_each_role_only_what_it_may_use(client, practitioner, commissioner):
    client.force_login(practitioner)
    practitioner_nav = client.get(reverse("home")).content.decode()
    assert reverse("referrals:index") in practitioner_nav
    assert reverse("reports:index") not in practitioner_nav
    client.force_login(commissioner)
    commissioner_nav = client.get(reverse("home")).content.decode()
    assert reverse("reports:index") in commissioner_nav
    assert reverse("referrals:index") not in commissioner_nav


@pytest.fixture
def commissioner_of_two_teams(commissioner, team_a):
    other = TeamFactory(name="Team C", slug="team-c")
    MembershipFactory(user=commissioner, team=other, role=Role.COMMISSIONER)
    return commissioner, other


def test_a_member_of_two_teams_switches_and_the_choice_is_remembered(client, commissioner_of_two_teams):
    commissioner, team_c = commissioner_of_two_teams
    client.force_login(commissioner)
    response = client.post(reverse("team_switch"), {"team": team_c.pk, "next": "/"})
    assert response.status_code == 302
    assert client.session[SESSION_TEAM_KEY] == team_c.pk
    assert "Team C" in client.get(reverse("home")).content.decode()

    # A new session starts in the team chosen last.
    client.logout()
    client.force_login(commissioner)
    assert client.get(reverse("home")).wsgi_request.team == team_c


def test_team_switch_refuses_a_team_the_person_does_not_belong_to(practitioner_b_client, team_a):
    response = practitioner_b_client.post(reverse("team_switch"), {"team": team_a.pk})
    assert response.status_code == 404
    assert practitioner_b_client.session.get(SESSION_TEAM_KEY) is None
    assert practitioner_b_client.get(reverse("home")).wsgi_request.team.slug == "team-b"


def test_team_switch_ignores_an_outside_next_url(client, commissioner_of_two_teams):
    commissioner, team_c = commissioner_of_two_teams
    client.force_login(commissioner)
    response = client.post(reverse("team_switch"), {"team": team_c.pk, "next": "https://evil.example.com/"})
    assert response.url == reverse("home")


def test_team_switch_only_accepts_post(practitioner_client, team_a):
    assert practitioner_client.get(reverse("team_switch")).status_code == 405


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_check_reports_an_unreachable_database(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_keep_alive_restarts_the_idle_clock(practitioner_client):
    assert practitioner_client.post(reverse("session_keep_alive")).status_code == 204


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "font-src 'self' https://assets.nhs.uk" in csp


def test_the_nhsuk_stylesheet_finds_its_icons(client):
    # nhsuk-frontend's CSS asks for /assets/images/...: they must not be 404s.
    response = client.get("/assets/images/nhsuk-icon-arrow-down.svg")
    assert response.status_code == 200


def _kpi_row(html: str, label: str) -> str:
    """The table row of the KPI called `label`, tags stripped and spaces collapsed."""
    row = re.search(rf'<th scope="row" class="nhsuk-table__header">{label}</th>(.*?)</tr>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


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

    html = manager_client.get(reverse("home")).content.decode()

    counts = dict(re.findall(r'__key">([^<]+)</dt>\s*<dd class="nhsuk-summary-list__value">(\d+)</dd>', html))
    assert counts == {
        "Awaiting a decision": "1",
        "Accepted, waiting for assessment": "1",
        "In assessment": "0",
        "In intervention": "0",
        "On hold": "0",
    }
    assert f"<h2>{service_quarter_of(today, team_a.year_start_month).label}</h2>" in html
    assert _kpi_row(html, "Training participants").split()[1] == "3"


def test_the_commissioner_home_shows_this_quarter_under_disclosure_control(commissioner_client, team_a):
    today = timezone.localdate()
    TrainingSessionFactory(team=team_a, date=today, participants=3)
    TrainingSessionFactory(team=team_a, date=today, participants=9)

    html = commissioner_client.get(reverse("home")).content.decode()

    assert "disclosure-control rule (HES)" in html
    assert _kpi_row(html, "Training sessions").split()[1] == "*"
    assert _kpi_row(html, "Training participants").split()[1] == "10"
    assert reverse("reports:kpi_download", args=["json"]) in html


def test_the_service_dashboard_runs_the_same_queries_whatever_the_number_of_cases(
    manager_client, manager, team_a, django_assert_num_queries
):
    _referral_today(team_a, manager, "FIRST")
    with CaptureQueriesContext(connection) as one_case:
        manager_client.get(reverse("home"))
    for number in range(10):
        referral = _referral_today(team_a, manager, f"MORE-{number}")
        referral_services.referral_accept(referral=referral, actor=manager, occurred_on=timezone.localdate())
        TrainingSessionFactory(team=team_a, date=timezone.localdate())
    with django_assert_num_queries(len(one_case)):
        manager_client.get(reverse("home"))
