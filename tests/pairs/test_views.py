import pytest
from django.db import connection
from django.urls import reverse

from pairs.models import Role
from pairs.selectors import SESSION_TEAM_KEY
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_navigation_shows_each_role_only_what_it_may_use(client, practitioner, commissioner):
    client.force_login(practitioner)
    practitioner_nav = client.get(reverse("home:index")).content.decode()
    assert reverse("home:caseload") in practitioner_nav
    assert reverse("reports:index") not in practitioner_nav
    client.force_login(commissioner)
    commissioner_nav = client.get(reverse("home:index")).content.decode()
    assert reverse("reports:index") in commissioner_nav
    assert reverse("home:caseload") not in commissioner_nav


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
    assert "Team C" in client.get(reverse("home:index")).content.decode()

    # A new session starts in the team chosen last.
    client.logout()
    client.force_login(commissioner)
    assert client.get(reverse("home:index")).wsgi_request.team == team_c


def test_team_switch_refuses_a_team_the_person_does_not_belong_to(practitioner_b_client, team_a):
    response = practitioner_b_client.post(reverse("team_switch"), {"team": team_a.pk})
    assert response.status_code == 404
    assert practitioner_b_client.session.get(SESSION_TEAM_KEY) is None
    assert practitioner_b_client.get(reverse("home:index")).wsgi_request.team.slug == "team-b"


def test_team_switch_ignores_an_outside_next_url(client, commissioner_of_two_teams):
    commissioner, team_c = commissioner_of_two_teams
    client.force_login(commissioner)
    response = client.post(reverse("team_switch"), {"team": team_c.pk, "next": "https://evil.example.com/"})
    assert response.url == reverse("home:index")


def test_team_switch_only_accepts_post(practitioner_client, team_a):
    assert practitioner_client.get(reverse("team_switch")).status_code == 405


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_check_reports_an_unreachable_database(client, monkeypatch):

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
    assert "font-src 'self';" in csp  # the NHS font's source is opt-in (tests/config/test_font_source.py)


def test_the_nhsuk_stylesheet_finds_its_icons(client):
    # nhsuk-frontend's CSS asks for /assets/images/...: they must not be 404s.
    response = client.get("/assets/images/nhsuk-icon-arrow-down.svg")
    assert response.status_code == 200
