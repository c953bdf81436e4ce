"""The pages people meet when something goes wrong: in the service's layout, with a way back, and nothing that
tells an attacker what went wrong inside."""

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from pairs import views
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

NHS_LAYOUT = ('class="nhsuk-header"', 'class="nhsuk-footer"')


def _is_an_error_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert all(part in html for part in NHS_LAYOUT)
    assert f"<h1>{heading}</h1>" in html
    assert f'<a href="{reverse("home:index")}">Go to the home page</a>' in html
    return html


def test_page_not_found_signed_in_and_out(client, practitioner):
    _is_an_error_page(client.get("/no-such-page/"), 404, "Page not found")
    client.force_login(practitioner)
    html = _is_an_error_page(client.get("/no-such-page/"), 404, "Page not found")
    assert "/no-such-page/" not in html


def test_page_not_found_keeps_the_reason_to_itself(practitioner_client):
    """The view's reason ("No such practitioner in this team.") would confirm what exists: it is not shown."""
    response = practitioner_client.get(reverse("referrals:appointments"), {"practitioner": "999999"})
    html = _is_an_error_page(response, 404, "Page not found")
    assert "No such practitioner" not in html


def test_another_teams_record_is_not_found_not_forbidden(practitioner_b_client, team_a):
    referral = ReferralFactory(team=team_a)
    html = _is_an_error_page(
        practitioner_b_client.get(reverse("referrals:detail", args=[referral.pk])), 404, "Page not found"
    )
    assert referral.reference not in html


def test_permission_denied_says_whom_to_ask(commissioner_client):
    html = _is_an_error_page(commissioner_client.get(reverse("home:caseload")), 403, "You cannot see this page")
    assert "Team A" in html
    assert "ask your service manager" in html


def test_a_form_refused_by_the_csrf_check_says_what_to_do(practitioner, team_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    html = _is_an_error_page(
        client.post(reverse("team_switch"), {"team": team_a.pk}), 403, "Your form could not be sent"
    )
    assert "Nothing was saved" in html
    assert "CSRF" not in html
    assert "Sign out" in html  # drawn with the request: the person sees they are still signed in


def test_the_server_error_page_renders_without_a_request_context():
    assert get_resolver().resolve_error_handler(500) is views.server_error
    request = RequestFactory().get("/")  # no user, no session, no team
    _is_an_error_page(views.server_error(request), 500, "Sorry, there is a problem with the service")


def test_a_failure_inside_a_view_shows_the_server_error_page_and_no_detail(practitioner, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(views, "render", fail)
    client = Client(raise_request_exception=False)
    client.force_login(practitioner)
    html = _is_an_error_page(client.get(reverse("accessibility")), 500, "Sorry, there is a problem with the service")
    assert "secret internal detail" not in html
    assert "RuntimeError" not in html
    assert "Traceback" not in html
