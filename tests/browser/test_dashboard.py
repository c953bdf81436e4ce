"""The dashboard as the demo's service manager and commissioner use it: each picks a quarter, then the published
window by its dates, and reads the page on a wide screen and on a phone; axe clean in every state."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, ViewportSize, expect

from demo.accounts import DEMO_ACCOUNTS
from tests.browser.conftest import pass_second_step
from tests.demo_snapshot import demo_load

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}
PHONE: ViewportSize = {"width": 390, "height": 844}
WIDE: ViewportSize = {"width": 1280, "height": 900}


def sign_in_as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    pass_second_step(page, get_user_model().objects.get(username=username))


def choose(page: Page, option: str) -> None:
    page.get_by_text("Choose another period").click()
    page.get_by_label("Period", exact=True).select_option(label=option)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()


def choose_dates(page: Page, start: tuple[str, str, str], end: tuple[str, str, str]) -> None:
    page.get_by_text("Choose another period").click()
    page.get_by_label("Period", exact=True).select_option(label="Custom dates (enter them below)")
    for legend, parts in (("Custom period from", start), ("Custom period to", end)):
        group = page.get_by_role("group", name=legend)
        for label, value in zip(("Day", "Month", "Year"), parts, strict=True):
            group.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()


def read_on_a_phone(page: Page, page_check, label: str) -> None:
    page.set_viewport_size(PHONE)
    page_check(page, f"{label}-390")
    page.set_viewport_size(WIDE)


def test_the_manager_and_the_commissioner_pick_a_quarter_and_the_published_window(page: Page, page_check):
    demo_load()
    page.set_default_timeout(60_000)  # a page of every figure and chart takes a few seconds on a busy machine

    sign_in_as(page, "demo.manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key performance indicators")
    choose(page, "Quarter 1 of 2024 to 2025 (March to May 2024)")
    expect(page).to_have_url(re.compile(r"/reports/\?start=2024-03-01&end=2024-05-31$"))
    expect(page.get_by_text("Quarter 1 of 2024 to 2025 (March to May 2024)").first).to_be_visible()
    expect(page.get_by_role("table", name="Table 1: Delivery of sessions by the team")).to_be_visible()
    page_check(page, "manager-quarter")

    choose_dates(page, ("1", "3", "2023"), ("31", "5", "2024"))
    expect(page).to_have_url(re.compile(r"/reports/\?start=2023-03-01&end=2024-05-31$"))
    expect(page.get_by_text("85.9% of the referrals received were accepted.")).to_be_visible()
    table_2 = page.get_by_role("table", name="Table 2: Referral and engagement across individual and group support")
    expect(table_2.get_by_role("row", name=re.compile(r"^Received"))).to_contain_text("99")
    expect(page.get_by_role("img", name=re.compile("^Bar chart of the consultations"))).to_be_visible()
    page_check(page, "manager-window")
    read_on_a_phone(page, page_check, "manager-window")

    sign_in_as(page, "demo.commissioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports for commissioners")
    page.get_by_role("link", name="Figures for another quarter or year").click()
    choose(page, "Quarter 1 of 2024 to 2025 (March to May 2024)")
    expect(page.get_by_text("small counts are shown as *", exact=False)).to_be_visible()
    page_check(page, "commissioner-quarter")

    page.goto("/reports/?start=2023-03-01&end=2024-05-31")  # the link the manager sent
    expect(page.get_by_text("HES: 1 to 7 suppressed", exact=False)).to_be_visible()
    expect(table_2.get_by_role("row", name=re.compile(r"^Received"))).to_contain_text("100")
    expect(page.get_by_role("link", name=re.compile("^BPL-"))).to_have_count(0)
    page_check(page, "commissioner-window")
    read_on_a_phone(page, page_check, "commissioner-window")
