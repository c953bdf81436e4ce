"""Two-factor sign-in: service managers and superusers confirm each sign-in with an authenticator app's code."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from demo.accounts import DEMO_ACCOUNTS, DEMO_TWO_FACTOR_KEY, demo_accounts_create, demo_two_factor_lines
from pairs.services import RECOVERY_CODE_COUNT, two_factor_enrol
from pairs.views import SESSION_NEW_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    """A client that signs in through the pages, step by step, as a person does."""
    return Client()


def _sign_in(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302
    return client.get(response.url)


def _code(key: str) -> str:
    return f"{totp(bytes.fromhex(key)):06d}"


def test_a_manager_without_an_app_is_taken_to_set_one_up(browser, manager, password):
    response = _sign_in(browser, manager, password)
    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_enrol')}?next=/"
    for page in (reverse("home:caseload"), reverse("reports:index"), reverse("admin:index")):
        assert browser.get(page).url.startswith(reverse("two_factor_enrol"))


def test_enrolment_shows_the_qr_code_and_the_key_then_the_recovery_codes_once(browser, manager, password):
    _sign_in(browser, manager, password)
    page = browser.get(reverse("two_factor_enrol"))
    html = page.content.decode()
    key = browser.session[SESSION_NEW_KEY]
    assert 'src="data:image/svg+xml;base64,' in html
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert not TOTPDevice.objects.filter(user=manager).exists()  # nothing saved before a code proves the app

    wrong = browser.post(reverse("two_factor_enrol"), {"code": "000000" if _code(key) != "000000" else "111111"})
    assert "That is not the code the app shows now" in wrong.content.decode()

    response = browser.post(f"{reverse('two_factor_enrol')}?next=/reports/", {"code": _code(key)})
    assert response.status_code == 302
    codes_page = browser.get(response.url)
    codes = codes_page.context["codes"]
    assert len(codes) == RECOVERY_CODE_COUNT
    assert all(code in codes_page.content.decode() for code in codes)
    assert 'href="/reports/"' in codes_page.content.decode()
    assert browser.get(response.url).context["codes"] is None  # shown once
    assert browser.get(reverse("reports:index")).status_code == 200
    device = TOTPDevice.objects.get(user=manager, confirmed=True)
    assert device.key == key


def test_the_second_step_takes_the_app_s_code_once(browser, manager, password):
    key = random_hex(20)
    two_factor_enrol(user=manager, key=key)
    response = _sign_in(browser, manager, password)
    assert response.url == f"{reverse('two_factor_verify')}?next=/"
    assert browser.get(reverse("home:index")).url.startswith(reverse("two_factor_verify"))

    refused = browser.post(reverse("two_factor_verify"), {"code": "12345"})
    assert "The code is not right" in refused.content.decode()

    session_before = browser.session.session_key
    code = _code(key)
    assert browser.post(f"{reverse('two_factor_verify')}?next=/reports/", {"code": code}).url == "/reports/"
    assert browser.session.session_key != session_before
    assert browser.get(reverse("reports:index")).status_code == 200

    browser.post(reverse("logout"))
    _sign_in(browser, manager, password)
    reused = browser.post(reverse("two_factor_verify"), {"code": code})
    assert "The code is not right, or has been used" in reused.content.decode()


def test_a_recovery_code_signs_in_once(browser, manager, password):
    _, codes = two_factor_enrol(user=manager, key=random_hex(20))
    _sign_in(browser, manager, password)
    response = browser.post(reverse("two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert f"{RECOVERY_CODE_COUNT - 1} are left" in response.content.decode()
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    browser.post(reverse("logout"))
    _sign_in(browser, manager, password)
    again = browser.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert "The code is not right" in again.content.decode()


def test_the_password_alone_cannot_replace_the_app(browser, manager, password):
    two_factor_enrol(user=manager, key=random_hex(20))
    _sign_in(browser, manager, password)
    response = browser.get(reverse("two_factor_enrol"))
    assert response.url.startswith(reverse("two_factor_verify"))
    assert browser.post(reverse("two_factor_enrol"), {"code": "123456"}).url.startswith(reverse("two_factor_verify"))


def test_practitioners_and_commissioners_are_not_asked(browser, practitioner, commissioner, password):
    for person in (practitioner, commissioner):
        assert _sign_in(browser, person, password).status_code == 200
        assert browser.get(reverse("two_factor_enrol")).url == reverse("home:index")
        browser.post(reverse("logout"))


def test_the_admin_is_behind_the_second_step_for_superusers(browser, password):
    superuser = UserFactory(username="administrator", is_superuser=True, is_staff=True)
    key = random_hex(20)
    two_factor_enrol(user=superuser, key=key)
    _sign_in(browser, superuser, password)
    assert browser.get(reverse("admin:index")).url.startswith(reverse("two_factor_verify"))
    browser.post(reverse("two_factor_verify"), {"code": _code(key)})
    assert browser.get(reverse("admin:index")).status_code == 200


def test_administrators_remove_a_device_without_seeing_its_key_or_codes(client, manager):
    key = random_hex(20)
    device, codes = two_factor_enrol(user=manager, key=key)
    client.force_login(UserFactory(username="administrator", is_superuser=True, is_staff=True))
    totp_page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    recovery = StaticDevice.objects.get(user=manager)
    static_page = client.get(reverse("admin:otp_static_staticdevice_change", args=[recovery.pk])).content.decode()
    assert key not in totp_page
    assert not any(code in static_page for code in codes)
    assert client.get(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])).status_code == 200


def test_nobody_is_asked_when_two_factor_is_off(browser, manager, password, settings):
    settings.OTP_REQUIRED = False
    assert _sign_in(browser, manager, password).status_code == 200
    assert browser.get(reverse("reports:index")).status_code == 200


def test_setting_up_an_app_is_in_the_audit_trail_without_its_key(manager):
    key = random_hex(20)
    device, _ = two_factor_enrol(user=manager, key=key)
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(TOTPDevice), object_pk=str(device.pk))
    assert entry.actor == manager
    assert key not in str(entry.changes)
    assert set(entry.changes_dict) <= {"name", "confirmed"}


def test_the_demo_manager_signs_in_with_the_demo_key_s_code(browser):
    """What the production smoke test does: the password, then the code of the published demo key."""
    demo_accounts_create()
    demo_accounts_create()  # again: the same app, not a new one
    manager = get_user_model().objects.get(username="demo.manager")
    assert TOTPDevice.objects.get(user=manager).key == DEMO_TWO_FACTOR_KEY
    assert TOTPDevice.objects.filter(user__username="demo.admin").exists()
    assert not TOTPDevice.objects.filter(user__username__in=["demo.practitioner", "demo.commissioner"]).exists()
    password = next(account.password for account in DEMO_ACCOUNTS if account.username == "demo.manager")
    assert _sign_in(browser, manager, password).url.startswith(reverse("two_factor_verify"))
    browser.post(reverse("two_factor_verify"), {"code": _code(DEMO_TWO_FACTOR_KEY)})
    assert "Service dashboard" in browser.get(reverse("home:index")).content.decode()
    assert "KBQUSUSTEBSGK3LPEBXW43DZEBVWK6JB" in "\n".join(demo_two_factor_lines())
