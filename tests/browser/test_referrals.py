"""Casework in Chromium: a new practitioner's first referral, from the form to intervention, and a manager's group
programme, reopened case and audit history. Every page visited is checked with axe and kept as a screenshot."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from referrals.pipeline import Stage, State, Status
from tests.factories import AppointmentFactory
from tests.referrals.builders import make_referral

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page: Page, group: str, value: datetime.date, *, within=None) -> None:
    fieldset = (within or page).get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(value.day))
    fieldset.get_by_label("Month").fill(str(value.month))
    fieldset.get_by_label("Year").fill(str(value.year))


def action(page: Page, title: str):
    """One of the record page's actions: a details element holding its form."""
    return page.locator("details").filter(has=page.locator("summary", has_text=re.compile(f"^{title}$")))


def test_a_practitioner_takes_a_referral_from_the_form_to_intervention(page, page_check, sign_in, practitioner):
    today = timezone.localdate()
    received, accepted, assessed = (today - datetime.timedelta(days=days) for days in (10, 6, 3))

    sign_in(page, practitioner)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    page_check(page, "home")

    page.get_by_role("button", name="New referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New referral")
    page_check(page, "new-referral")

    fill_date(page, "Date received", received)
    page.get_by_label("Referred by").select_option(label="Health visiting")
    page.get_by_label("Individual (1:1)").check()
    page.get_by_label("Reason for referral").fill("Low mood since the birth; finds it hard to feel close to Ben.")
    page.get_by_label("Parental mental health").check()
    page.get_by_role("group", name="Has the family consented to share information?").get_by_label("Yes").check()
    caregiver = page.get_by_role("group", name="First caregiver", exact=True)
    caregiver.get_by_label("Relationship to the infant").select_option(label="Mother")
    fill_date(page, "Date of birth", datetime.date(1994, 3, 31), within=caregiver)
    caregiver.get_by_label("Ethnic group").select_option(label="White")
    caregiver.get_by_label("Postcode").fill("fy1 1ad")
    caregiver.get_by_label("NHS number").fill("943 476 5918")  # a mistyped last digit, and no name
    infant = page.get_by_role("group", name="Infant", exact=True)
    infant.get_by_label("Name").fill("Ben")
    fill_date(page, "Date of birth", today - datetime.timedelta(days=120), within=infant)
    page.get_by_role("button", name="Save referral").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("First caregiver: Enter the caregiver's name")
    expect(summary).to_contain_text("Enter a valid NHS number")
    assert page.title().startswith("Error: ")
    page_check(page, "new-referral-errors")

    # The error summary's link takes the practitioner to the field to fix.
    summary.get_by_role("link", name="First caregiver: Enter the caregiver's name").click()
    expect(caregiver.get_by_label("Full name")).to_be_focused()
    page.keyboard.type("Amy Bell")
    caregiver.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Save referral").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("REF-000001: Amy Bell")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Referral REF-000001 saved.")
    expect(page.locator("main")).to_contain_text("Awaiting decision")
    page_check(page, "record-received")

    # Accept it, with the keyboard only: open the action, fill the date, submit.
    accept = action(page, "Accept")
    accept.locator("summary").focus()
    page.keyboard.press("Enter")
    fill_date(page, "Date accepted", accepted, within=accept)
    accept.get_by_label("Safeguarding level").select_option(label="Level 2")
    accept.get_by_role("button", name="Accept").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("REF-000001: accepted.")
    expect(page.locator("main")).to_contain_text("In progress at the referral stage")
    page_check(page, "record-accepted")

    page.get_by_role("button", name="Book an appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    page_check(page, "book-appointment")
    fill_date(page, "Date", assessed)
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Assessment").check()
    page.get_by_label("Where").select_option(label="Home visit")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Appointment booked for REF-000001.")
    page_check(page, "record-appointment-booked")

    page.get_by_role("link", name="Record outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the outcome of the appointment")
    page_check(page, "appointment-outcome")
    page.get_by_label("Attended").check()
    page.get_by_role("button", name="Save outcome").click()
    # The first attended assessment appointment starts the assessment.
    expect(page.locator("main")).to_contain_text("In progress at the assessment stage")
    page_check(page, "record-in-assessment")

    page.get_by_role("navigation", name="Casework").get_by_role("link", name="Waiting list").click()
    waiting = page.get_by_role("row", name="REF-000001")
    expect(waiting).to_contain_text("In assessment")
    expect(waiting).to_contain_text("Amy Bell")
    page_check(page, "waiting-list")
    waiting.get_by_role("link", name="REF-000001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("REF-000001: Amy Bell")
    page_check(page, "record-from-waiting-list")

    start = action(page, "Start intervention")
    start.locator("summary").click()
    start.get_by_label("Intervention").select_option(label="Video Interaction Guidance (VIG)")
    start.get_by_role("button", name="Start intervention").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("REF-000001: intervention started.")
    expect(page.locator("main")).to_contain_text("In progress at the intervention stage")
    expect(page.get_by_role("row", name="Video Interaction Guidance (VIG)")).to_contain_text("Continuing")
    page_check(page, "record-in-intervention")

    page.get_by_role("navigation", name="Casework").get_by_role("link", name="Caseload").click()
    row = page.get_by_role("row", name="REF-000001")
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("10")  # days since referral
    page_check(page, "caseload")
    page.get_by_text("Filter referrals").click()
    page.get_by_label("Waiting longer than (days)").fill("30")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("row", name="REF-000001")).to_have_count(0)
    expect(page.get_by_text("No referrals match.")).to_be_visible()
    page_check(page, "caseload-filtered")


def test_a_manager_runs_a_group_reopens_a_case_and_reads_its_audit_history(
    page, page_check, sign_in, manager, practitioner, team_a
):
    today = timezone.localdate()
    family = make_referral(
        team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.REFERRAL), pathway="group"
    )
    closed = make_referral(team=team_a, actor=practitioner, state=State(Status.COMPLETED, Stage.INTERVENTION))
    monday = today - datetime.timedelta(days=today.weekday())
    AppointmentFactory(
        referral=family,
        practitioner=manager,
        starts_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(9, 0))),
    )

    sign_in(page, manager)
    page_check(page, "home-manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    page_check(page, "caseload-manager")

    casework = page.get_by_role("navigation", name="Casework")
    casework.get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("row", name=re.compile("09:00"))).to_contain_text(family.reference)
    page_check(page, "appointments-week")

    casework = page.get_by_role("navigation", name="Casework")
    casework.get_by_role("link", name="Group programmes").click()
    page_check(page, "groups")
    page.get_by_role("button", name="New group programme").click()
    page_check(page, "group-new")
    page.get_by_label("Group intervention").select_option(label="Circle of Security Parenting")
    page.get_by_label("Name of this run").fill("Autumn, Layton Family Hub")
    fill_date(page, "Start date", today - datetime.timedelta(days=7))
    page.get_by_label("Places").fill("8")
    page.get_by_label("Sessions").fill("8")
    page.get_by_role("button", name="Create programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn, Layton Family Hub")
    page_check(page, "group")

    page.get_by_role("button", name="Offer a place").click()
    page_check(page, "group-offer")
    page.get_by_label("Referral").select_option(label=f"{family.reference}, {family.caregivers.get().name}")
    fill_date(page, "On the waiting list from", family.received_on)
    page.get_by_role("button", name="Offer place").click()
    page_check(page, "group-offered")
    page.get_by_role("link", name=f"Record reply of {family.reference}").click()
    page_check(page, "group-reply")
    page.get_by_label("Taken up").check()
    page.get_by_role("button", name="Save reply").click()
    page_check(page, "group-taken-up")
    page.get_by_role("button", name="Record a session").click()
    page_check(page, "group-session")
    page.get_by_label(re.compile(family.reference)).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("main")).to_contain_text("1 of 8 held")
    expect(page.get_by_role("row", name=re.compile(family.reference))).to_contain_text("Taken up")
    page_check(page, "group-session-recorded")

    page.goto(closed.get_absolute_url())
    page_check(page, "closed-record")
    reopen = action(page, "Reopen")
    reopen.locator("summary").click()
    reopen.get_by_label("Why is the referral being reopened?").fill("The family asked for more help.")
    reopen.get_by_role("button", name="Reopen").click()
    expect(page.locator("main")).to_contain_text("In progress at the intervention stage")
    page.get_by_text(re.compile("^Show who viewed and changed this referral")).click()
    history = page.get_by_role("table", name="Audit history, newest first")
    expect(history).to_contain_text("Viewed: referral")
    expect(history).to_contain_text("Created: pipeline event")
    expect(history).to_contain_text("The family asked for more help.")
    page_check(page, "reopened-with-audit-history")
