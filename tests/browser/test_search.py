"""Finding a family in the demo service from the header's search box, and its record on a phone: axe clean, the
page no wider than a 390 px screen, and case references on one line at 1280 px."""

import pytest
from django.db.models import Count
from playwright.sync_api import Page, ViewportSize, expect

from referrals.models import Referral
from tests.browser.test_demo import sign_in_as
from tests.demo_snapshot import demo_load

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
WIDE: ViewportSize = {"width": 1280, "height": 900}


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def wrapped_references(page: Page) -> list[str]:
    """The case references of the tables shown that take more than one line."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.pairs-reference a')]
            .filter(link => link.getClientRects().length > 1).map(link => link.textContent.trim())"""
    )


def longest_record() -> Referral:
    """The demo's referral with the most on its record page: questionnaires, appointments, events, interventions."""
    return Referral.objects.annotate(
        size=Count("questionnaires", distinct=True)
        + Count("appointments", distinct=True)
        + Count("events", distinct=True)
        + Count("interventions", distinct=True)
    ).order_by("-size", "pk")[0]


def test_a_practitioner_finds_a_family_by_surname_and_reads_its_record_on_a_phone(page: Page, page_check):
    demo_load()
    page.set_default_timeout(60_000)  # the demo's record pages take a few seconds on a busy machine
    record = longest_record()
    caregiver = record.caregivers.order_by("position").first()
    surname = caregiver.name.split()[-1]

    sign_in_as(page, "demo.practitioner")
    header = page.get_by_role("banner")
    header.get_by_label("Find a family by name, case reference, NHS number, date of birth or postcode").fill(
        surname.lower()
    )
    header.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a family")
    expect(page.get_by_role("status")).to_contain_text(f"1 family found for {surname.lower()}")
    assert wrapped_references(page) == []
    page_check(page, "search-results")
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"]
    page_check(page, "search-results-390")

    page.set_viewport_size(WIDE)
    page.get_by_role("link", name=record.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(record.reference)
    page.set_viewport_size(PHONE)
    # Everything the record can show, open: the audit history is the widest table.
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    assert page_width(page) <= PHONE["width"], f"{record.reference} is {page_width(page)} px wide on a phone"
    page_check(page, "record-390")

    page.set_viewport_size(WIDE)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    page.get_by_role("link", name="The team's cases").click()
    assert page.locator(".pairs-reference").count() > 0
    assert wrapped_references(page) == []
    page_check(page, "caseload")

    page.goto("/search/?q=Nobody%20Quillsteadish")
    expect(page.get_by_role("heading", name="No families found for Nobody Quillsteadish")).to_be_visible()
    page_check(page, "no-results")
