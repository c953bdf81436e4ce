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


# The visually hidden part of a link's text is read after a pause.
NOT_COMPLETED_MORS_T1 = re.compile(r"^record it as not completed\W+MORS-SF T1")


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

    # The same panel on the referral's record.
    page.get_by_role("link", name="Back to the referral").click()
    panel = page.get_by_role("region", name="Outcome measures")
    expect(
        panel.get_by_role("table", name="Change from first T1 to last T2").get_by_text("Reliable improvement")
    ).to_be_visible()
    record_chart = panel.get_by_role("img", name=re.compile("Line chart of the PHQ-9 scores"))
    record_chart.evaluate("image => image.decode()")
    assert record_chart.evaluate("image => image.naturalWidth") > 0
    page_check(page, "referral-record-with-outcomes")


def test_goals_not_completed_alerts_and_the_follow_up(page, page_check, sign_in, team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    sign_in(page, practitioner)
    page.goto("/outcomes/")
    expect(page.get_by_role("cell", name=referral.reference)).to_be_visible()
    page_check(page, "index")

    page.goto(f"/outcomes/referrals/{referral.pk}/")
    page.get_by_role("link", name=f"Record the GBO for {referral.reference}").click()
    page.get_by_role("group", name="Time point").get_by_label("T1, before intervention").check()
    page.get_by_label("Goal 1, in the parent's own words").fill("Feel closer to my baby")
    page.get_by_role("group", name="Rating of goal 1").get_by_label("3", exact=True).check()
    page.get_by_label("Goal 2, in the parent's own words").fill("Understand what her cries mean")
    page.get_by_role("group", name="Rating of goal 2").get_by_label("5", exact=True).check()
    page_check(page, "record-gbo")
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("GBO T1 saved. Score: 4.")).to_be_visible()
    page_check(page, "gbo-saved")

    page.goto(f"/outcomes/referrals/{referral.pk}/record/mors_sf/")
    expect(page.get_by_role("group", name="14. Item 14").get_by_label("5 (always)")).to_be_visible()
    page_check(page, "record-mors-sf")

    page.goto(f"/outcomes/referrals/{referral.pk}/")
    page.get_by_role("link", name=NOT_COMPLETED_MORS_T1).click()
    expect(page.get_by_role("group", name="Questionnaire").get_by_label("MORS-SF")).to_be_checked()
    page.get_by_label("Not appropriate").check()
    page_check(page, "not-completed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Recorded as not completed.")).to_be_visible()
    expect(page.get_by_role("link", name=NOT_COMPLETED_MORS_T1)).to_have_count(0)

    page.get_by_role("link", name=f"Record the PHQ-9 for {referral.reference}").click()
    page.get_by_role("group", name="Time point").get_by_label("T1, before intervention").check()
    for number in range(1, 10):
        _answer(page, number, "Several days")
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_role("heading", name="Important: Thoughts of self-harm (PHQ-9 item 9)")).to_be_visible()
    page_check(page, "phq9-alert")
    page.get_by_role("link", name=re.compile("^Record what was done")).click()
    page.get_by_label("What was done").fill("Safety plan agreed with the mother; GP informed the same day.")
    page_check(page, "alert-act")
    page.get_by_role("button", name="Record and close the alert").click()
    expect(page.get_by_text("The action taken is recorded and the alert is closed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Important: Thoughts of self-harm (PHQ-9 item 9)")).to_have_count(0)

    page.goto(f"/outcomes/referrals/{referral.pk}/follow-up/?next=/outcomes/referrals/{referral.pk}/")
    due = page.get_by_role("table", name="T2 questionnaires due")
    expect(due.get_by_role("row")).to_have_count(3)
    page_check(page, "follow-up")
    page.get_by_label("The family disengaged").check()
    page.get_by_role("button", name="Record them as not completed").click()
    expect(page.get_by_text("The T2 questionnaires due are recorded as not completed.")).to_be_visible()
    assert Questionnaire.objects.filter(timepoint="T2", status=QuestionnaireStatus.NOT_COMPLETED).count() == 2
