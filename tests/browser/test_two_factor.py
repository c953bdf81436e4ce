"""A service manager sets up two-factor sign-in on first signing in, then signs in with a code; and the pages
people meet when something goes wrong. Every page axe clean."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def _password_step(page: Page, user, password: str) -> None:
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_sets_up_the_app_then_signs_in_with_a_code(page, page_check, manager, password):
    page.goto("/account/login/")
    _password_step(page, manager, password)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    page_check(page, "enrol")
    key = base64.b32decode(page.locator("#two-factor-key").inner_text().replace(" ", ""))
    page.get_by_label("Security code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page_check(page, "recovery-codes")
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service dashboard")

    page.get_by_role("button", name="Sign out").click()
    _password_step(page, manager, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill("12345678")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    page_check(page, "verify-error")
    recovery_code = StaticToken.objects.filter(device__user=manager).values_list("token", flat=True).first()
    # django-otp refuses any code for a second after a wrong one (then 2, 4, ... seconds): a person looking out
    # their recovery codes takes longer than that, a test must wait for it.
    page.wait_for_timeout(1_100)
    page.get_by_label("Security code").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service dashboard")
    expect(page.get_by_text("You used a recovery code: 9 are left", exact=False)).to_be_visible()


def test_the_pages_of_errors_are_in_the_service_s_layout(page, page_check, sign_in, commissioner):
    sign_in(page, commissioner)
    page.goto("/referrals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    page_check(page, "403")
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page_check(page, "404")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports for commissioners")
