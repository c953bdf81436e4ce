"""A practitioner records a T1 PHQ-9 with an item missing, completes it, records a T2, and sees the change."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from outcomes.models import Questionnaire, QuestionnaireStatus
from tests.outcomes.conftest import make_referral

pytestmark = pytest.mark.django_db(transaction=True)

# PHQ-9 answers by item: T1 totals 15 (moderately severe), T2 totals 7 (mild): a reliable improvement of 8.
T1_ANSWERS = {
    1: "Nearly every day",
    2: "Nearly every day",
    3: "More than half the days",
    5: "Several days",
    6: "More than half the days",
    7: "Several days",
    8: "Several days",
    9: "Not at all",
}
T1_ITEM_4 = "More than half the days"
T2_ANSWERS = {
    1: "Several days",
    2: "Several days",
    3: "Several days",
    4: "Several days",
    5: "Not at all",
    6: "Several days",
    7: "Several days",
    8: "Several days",
    9: "Not at all",
}


def _answer(page, number: int, label: str) -> None:
    page.get_by_role("group", name=re.compile(rf"^{number}\. ")).get_by_label(label, exact=True).check()


def _date(page, legend: str, date: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))


def test_practitioner_records_t1_and_t2_and_sees_the_change(page, page_check, sign_in, team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    caregiver = referral.caregivers.get()
    sign_in(page, practitioner)

    page.goto(f"/outcomes/referrals/{referral.pk}/")
    expect(page.get_by_text("T1 questionnaires due.")).to_be_visible()
    page_check(page, "outcomes-due")

    page.get_by_role("link", name=f"Record the PHQ-9 for {referral.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the PHQ-9")
    page_check(page, "record-phq9")
    page.get_by_role("group", name="Time point").get_by_label("T1, before intervention").check()
    _date(page, "Date completed", timezone.localdate() - datetime.timedelta(days=60))
    for number, label in T1_ANSWERS.items():
        _answer(page, number, label)
    page.get_by_role("button", name="Save questionnaire").click()

    expect(page.get_by_text("Incomplete: not scored")).to_be_visible()
    expect(page.get_by_text("Not answered: item 4.")).to_be_visible()
    page_check(page, "t1-incomplete")
    assert Questionnaire.objects.get().status == QuestionnaireStatus.INCOMPLETE

    page.get_by_role("button", name="Complete the answers").click()
    page_check(page, "t1-complete-the-answers")
    # Keyboard only: focus the item's first answer, move to the one wanted with the arrow keys, save with Enter.
    item_4 = page.get_by_role("group", name=re.compile(r"^4\. "))
    item_4.get_by_label("Not at all", exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(item_4.get_by_label(T1_ITEM_4, exact=True)).to_be_checked()
    page.get_by_role("button", name="Save questionnaire").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("PHQ-9 T1 saved. Score: 15 (moderately severe).")).to_be_visible()
    page_check(page, "t1-scored")

    page.goto(f"/outcomes/referrals/{referral.pk}/record/phq9/?caregiver={caregiver.position}&timepoint=T2")
    for number, label in T2_ANSWERS.items():
        _answer(page, number, label)
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("PHQ-9 T2 saved. Score: 7 (mild).")).to_be_visible()

    page.get_by_role("link", name="Back to outcome measures").click()
    change = page.get_by_role("table", name="Change from first T1 to last T2")
    expect(change.get_by_role("cell", name="-8")).to_be_visible()
    expect(change.get_by_text("Reliable improvement")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Line chart of the PHQ-9 scores"))
    expect(chart).to_be_visible()
    chart.evaluate("image => image.decode()")
    assert chart.evaluate("image => image.naturalWidth") > 0
    scores = page.get_by_role("table", name="PHQ-9 scores")
    expect(scores.get_by_text("15 (moderately severe)")).to_be_visible()
    expect(scores.get_by_text("7 (mild)")).to_be_visible()
    page_check(page, "outcomes-change-and-chart")
