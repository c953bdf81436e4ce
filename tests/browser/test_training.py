"""Workforce activity in the browser: quick entry of training sessions, and every page checked with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pairs.periods import service_quarter_of
from tests.factories import (
    AwarenessEventFactory,
    ConsultationFactory,
    FeedbackFactory,
    TrainingSessionFactory,
    UniversalOfferContactFactory,
)
from training.models import TrainingSession

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_row(page, row: int, *, day: datetime.date, session_type: str, title: str, participants: str, **optional):
    prefix = f"#id_form-{row - 1}-"
    page.locator(f"{prefix}date_0").fill(str(day.day))
    page.locator(f"{prefix}date_1").fill(str(day.month))
    page.locator(f"{prefix}date_2").fill(str(day.year))
    page.get_by_label(f"Row {row}: Type").select_option(label=session_type)
    page.get_by_label(f"Row {row}: Title").fill(title)
    page.get_by_label(f"Row {row}: Participants").fill(participants)
    for label, value in optional.items():
        page.get_by_label(f"Row {row}: {label}").fill(value)


def test_a_manager_enters_three_sessions_in_one_table_and_sees_the_period_totals(page, page_check, sign_in, manager):
    today = timezone.localdate()
    quarter = service_quarter_of(today, manager.memberships.get().team.year_start_month)
    first_day = quarter.start
    sign_in(page, manager)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Workforce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce activity")
    page_check(page, "overview-empty")
    page.get_by_role("button", name="Enter several sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter several training sessions")
    page_check(page, "quick-entry")

    _fill_row(
        page,
        1,
        day=first_day,
        session_type="Introduction",
        title="Introduction, Family Hub North",
        participants="12",
        **{
            "Places offered (optional)": "15",
            "Feedback forms returned (optional)": "10",
            "Feedback forms rated positive (optional)": "9",
        },
    )
    _fill_row(page, 2, day=today, session_type="Bitesize", title="Bitesize: baby cues", participants="40")
    # Row 3 claims more positive forms than were returned.
    _fill_row(
        page,
        3,
        day=today,
        session_type="IMH/PIR",
        title="IMH/PIR for health visitors",
        participants="8",
        **{"Feedback forms returned (optional)": "6", "Feedback forms rated positive (optional)": "7"},
    )
    page.get_by_role("button", name="Save the sessions").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Row 3, feedback forms rated positive: Forms rated positive (7) cannot be more")
    assert page.title().startswith("Error: ")
    assert not TrainingSession.objects.exists(), "one bad row must save no row"
    # The rows keep what was typed, and the faulty box is marked.
    expect(page.get_by_label("Row 1: Title")).to_have_value("Introduction, Family Hub North")
    expect(page.get_by_label("Row 3: Feedback forms rated positive (optional)")).to_have_class(
        "nhsuk-input nhsuk-input--width-3 nhsuk-input--error"
    )
    page_check(page, "quick-entry-error")

    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Row 3: Feedback forms rated positive (optional)")).to_be_focused()
    page.get_by_label("Row 3: Feedback forms rated positive (optional)").fill("5")
    page.get_by_role("button", name="Save the sessions").click()

    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("3 training sessions recorded")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training sessions")
    assert TrainingSession.objects.count() == 3
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(3)
    totals = table.locator("tfoot tr").locator("th, td")
    expect(totals.nth(0)).to_have_text("Total: 3 sessions")
    expect(table.locator("tfoot")).to_contain_text("60")  # participants: 12 + 40 + 8
    assert [totals.nth(i).inner_text().strip() for i in range(4, 8)] == ["15", "60", "16", "14"]
    page_check(page, "sessions-list")

    page.get_by_role("link", name="Workforce activity").click()
    training = page.get_by_role("table", name="Sessions and participants by type")
    expect(training.locator("tfoot")).to_contain_text("Total")
    expect(training.get_by_role("row", name="IMH/PIR")).to_contain_text("1")
    expect(training.locator("tfoot td").nth(1)).to_have_text("60")
    page_check(page, "overview-after")


def test_every_workforce_page_passes_axe(page, page_check, sign_in, manager):
    team = manager.memberships.get().team
    session = TrainingSessionFactory(team=team)
    consultation = ConsultationFactory(team=team, children=2)
    event = AwarenessEventFactory(team=team)
    contact = UniversalOfferContactFactory(team=team)
    feedback = FeedbackFactory(team=team, kind="complaint", theme="access")
    sign_in(page, manager)
    records = {
        "sessions": session,
        "consultations": consultation,
        "awareness-events": event,
        "universal-offers": contact,
        "feedback": feedback,
    }
    for path, record in records.items():
        page.goto(f"/training/{path}/")
        expect(page.locator("tbody tr")).to_have_count(1)
        page_check(page, f"{path}-list")
        page.goto(f"/training/{path}/new/")
        page_check(page, f"{path}-new")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".nhsuk-error-summary")).to_be_focused()
        page_check(page, f"{path}-new-errors")
        page.goto(f"/training/{path}/{record.pk}/")
        page_check(page, f"{path}-edit")
    page.get_by_role("link", name="Delete this feedback").click()
    page_check(page, "feedback-delete")
    page.get_by_role("button", name="Delete feedback").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Feedback deleted")


def test_the_period_can_be_changed_with_the_keyboard_alone(page, page_check, sign_in, practitioner):
    team = practitioner.memberships.get().team
    old = timezone.localdate().replace(day=1) - datetime.timedelta(days=400)
    TrainingSessionFactory(team=team, date=old, participants=33)
    sign_in(page, practitioner)
    page.goto("/training/sessions/")
    expect(page.locator("tbody tr")).to_have_count(1)  # the empty-table row
    expect(page.get_by_role("button", name="Enter several sessions")).to_have_count(0)  # managers only
    page.locator("summary", has_text="Change the period").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Period").focus()
    page.get_by_label("Period").select_option("custom")
    for part, value in zip(("Day", "Month", "Year"), (1, old.month, old.year), strict=True):
        page.get_by_role("group", name="Custom period from").get_by_label(part).fill(str(value))
    today = timezone.localdate()
    for part, value in zip(("Day", "Month", "Year"), (today.day, today.month, today.year), strict=True):
        page.get_by_role("group", name="Custom period to").get_by_label(part).fill(str(value))
    page.get_by_role("button", name="Show").press("Enter")
    expect(page.locator("tfoot")).to_contain_text("33")
    page_check(page, "sessions-custom-period")
