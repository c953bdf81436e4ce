"""The demo service as a newcomer meets it after `scripts/run`: each demo account's pages, full of data, axe clean."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from demo.accounts import DEMO_ACCOUNTS
from tests.browser.conftest import pass_second_step
from tests.demo_snapshot import demo_load

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}


def sign_in_as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    pass_second_step(page, get_user_model().objects.get(username=username))


def test_each_demo_account_finds_its_pages_full_of_the_demo_service(page, page_check):
    """One demo load (it takes a while) for the three accounts a newcomer is given."""
    demo_load()

    # The practitioner: a caseload and a diary.
    sign_in_as(page, "demo.practitioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    my_cases = page.get_by_role("table", name="My open cases")
    expect(my_cases.get_by_role("row").nth(1)).to_be_visible()
    expect(my_cases.get_by_text("In intervention").first).to_be_visible()
    expect(my_cases.get_by_role("columnheader", name="Practitioner")).to_have_count(0)
    page_check(page, "caseload")

    page.get_by_role("link", name="your appointments this week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("cell", name="Booked").first).to_be_visible()
    page_check(page, "next-week")

    page.get_by_role("link", name=re.compile(r"^BPL-")).first.click()
    expect(page.get_by_role("heading", name="Appointments")).to_be_visible()
    page_check(page, "record")

    # The service manager: the dashboard, the team's cases and the group programmes with their registers.
    sign_in_as(page, "demo.manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Service dashboard")
    expect(page.get_by_role("heading", name="The team's cases today")).to_be_visible()
    page_check(page, "dashboard")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    page.get_by_role("link", name="The team's cases").click()
    expect(page.get_by_role("table", name="The team's cases")).to_be_visible()
    page_check(page, "team-cases")

    page.get_by_role("link", name="Group programmes").click()
    programmes = page.get_by_role("table", name="Group programmes")
    expect(programmes.get_by_role("row").nth(1)).to_be_visible()
    page_check(page, "group-programmes")
    programmes.get_by_role("row").last.get_by_role("link").first.click()  # the run that began first
    expect(page.get_by_role("heading", name="Sessions and attendance")).to_be_visible()
    expect(page.get_by_role("cell", name="Taken up", exact=False).first).to_be_visible()
    page_check(page, "group-programme")

    # The commissioner: the quarter's figures under the team's suppression rule.
    sign_in_as(page, "demo.commissioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports for commissioners")
    expect(page.get_by_text("small counts are shown as *", exact=False)).to_be_visible()
    page_check(page, "home")
