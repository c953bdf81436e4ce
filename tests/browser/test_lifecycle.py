"""The record lifecycle in Chromium: a service manager answers a subject access request (JSON at once, the PDF
through its job) and restricts a family's records; the team's records past retention. Each page is checked with axe
and kept as a screenshot, at 1280 and at 390 pixels wide."""

import datetime
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from referrals.models import DeclineReason, Infant
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.services import referral_move
from tests.referrals.builders import make_referral, reason

pytestmark = pytest.mark.django_db(transaction=True)

WIDE: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


def check_both_widths(page: Page, page_check, label: str) -> None:
    page_check(page, f"{label}-1280")
    page.set_viewport_size(PHONE)
    page_check(page, f"{label}-390")
    page.set_viewport_size(WIDE)


def test_a_manager_answers_a_subject_access_request_and_restricts_the_records(
    page, page_check, sign_in, team_a, practitioner, manager
):
    # Given a family in intervention, and another declined in 2000, past its retention date
    referral = make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.INTERVENTION))
    mother = referral.caregivers.get()
    old = make_referral(team=team_a, actor=practitioner, received_on=datetime.date(2000, 1, 3))
    Infant.objects.filter(referral=old).update(date_of_birth=datetime.date(1999, 5, 1))
    referral_move(
        actor=practitioner,
        referral=old,
        kind=EventKind.NOT_ACCEPTED,
        occurred_on=datetime.date(2000, 1, 10),
        reason=reason(DeclineReason, "outside_area"),
    )

    # When the manager opens the family's record
    sign_in(page, manager)
    page.goto(referral.get_absolute_url())
    expect(page.get_by_role("heading", name="Subject access request")).to_be_visible()

    # Then the JSON export downloads at once, naming the person
    with page.expect_download() as download:
        page.get_by_role("link", name=f"download it as JSON for {mother.name}").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["subject"]["name"] == mother.name
    assert exported["referrals"][0]["reference"] == referral.reference

    # And the PDF is made by a job whose page offers it
    # The immediate task backend of the tests makes the PDF within the request: give it the time WeasyPrint takes.
    page.get_by_role("button", name=f"Make the PDF of everything held about {mother.name}").click(timeout=90_000)
    expect(page.get_by_text("The subject access export is being made as a PDF")).to_be_visible()
    check_both_widths(page, page_check, "subject-access-job")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    # When the manager restricts processing of the records, first without a reason
    page.goto(referral.get_absolute_url())
    page.get_by_role("link", name=f"Restrict processing of these records of referral {referral.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restrict processing of these records")
    page.get_by_role("button", name="Restrict processing").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why processing of these records is restricted")
    check_both_widths(page, page_check, "restrict-error")
    page.get_by_label("Why is processing restricted?").fill("The mother contests her recorded details.")
    page.get_by_role("button", name="Restrict processing").click()

    # Then the record shows the notice, and an edit is refused with the reason why
    notice = page.locator("#restriction-notice")
    expect(notice).to_contain_text("Processing restricted")
    expect(notice).to_contain_text("The mother contests her recorded details.")
    check_both_widths(page, page_check, "restricted-record")
    page.goto(f"/referrals/{referral.pk}/caregivers/{mother.pk}/")
    page.get_by_label("Why are these details being corrected?").fill("Misspelt")
    page.get_by_label("Full name").fill("Someone Else")
    page.get_by_role("button", name="Save caregiver").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("are restricted")

    # And the manager's home leads to the records past their retention date
    page.goto("/")
    page.get_by_role("link", name="Records past their retention date").click()
    expect(page.get_by_role("link", name=old.reference, exact=True)).to_be_visible()
    check_both_widths(page, page_check, "retention")
