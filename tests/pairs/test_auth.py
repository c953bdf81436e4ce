import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_then_logout(client, practitioner, password):
    response = _login(client, practitioner.username, password)
    assert response.status_code == 302
    assert response.url == reverse("home:index")
    assert client.get(reverse("home:index")).status_code == 200

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home:index")).status_code == 302


def test_wrong_password_shows_the_error_summary(client, practitioner):
    response = _login(client, practitioner.username, "wrong-password-here")
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "<title>Error: Sign in" in html


def test_five_failures_lock_the_account_even_with_the_right_password(client, practitioner, password):
    for _ in range(5):
        _login(client, practitioner.username, "wrong-password-here")
    response = _login(client, practitioner.username, password)
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()
    assert client.get(reverse("home:index")).status_code == 302


def test_four_failures_do_not_lock(client, practitioner, password):
    for _ in range(4):
        _login(client, practitioner.username, "wrong-password-here")
    assert _login(client, practitioner.username, password).status_code == 302


def test_lockout_message_does_not_reveal_whether_the_user_exists(client, practitioner):
    for username in (practitioner.username, "nobody-of-that-name"):
        for _ in range(5):
            _login(client, username, "wrong-password-here")
    known = _login(client, practitioner.username, "wrong-password-here")
    unknown = _login(client, "nobody-of-that-name", "wrong-password-here")
    assert known.status_code == unknown.status_code == 429
    strip = lambda html: html.replace(practitioner.username, "").replace("nobody-of-that-name", "")  # noqa: E731
    known_main = strip(known.content.decode().split('id="maincontent"')[1].split("</main>")[0])
    unknown_main = strip(unknown.content.decode().split('id="maincontent"')[1].split("</main>")[0])
    assert known_main == unknown_main


def test_sign_in_events_are_logged_without_the_password(client, practitioner, password, caplog):
    caplog.set_level(logging.INFO, logger="pairs.security")
    _login(client, practitioner.username, "a-wrong-secret-value")
    _login(client, practitioner.username, password)
    client.post(reverse("logout"))
    messages = [record.getMessage() for record in caplog.records if record.name == "pairs.security"]
    assert any(m.startswith("login-failed user=practitioner_a") for m in messages)
    assert any(m.startswith("login user=practitioner_a") for m in messages)
    assert any(m.startswith("logout user=practitioner_a") for m in messages)
    assert not any("a-wrong-secret-value" in m or password in m for m in messages)


def test_password_change_enforces_twelve_characters(client, practitioner, password):
    client.force_login(practitioner)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Short1!x", "new_password2": "Short1!x"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_password_reset_is_public_and_does_not_reveal_accounts(client, practitioner):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.nhs.uk"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")


def test_session_ends_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
