"""A practitioner's morning: the T2 list, a family found from the header's search box, its record and its clocks,
an appointment moved, one recorded as attended, a T2 entered, and the list shorter by one. Every page is checked
with axe and photographed at 1280 px; the record and the list at 390 px as well, a phone's width."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from referrals.models import Appointment, AppointmentChange
from tests.factories import AppointmentFactory, QuestionnaireFactory
from tests.outcomes.conftest import days_ago, make_referral

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
# A PHQ-9 T2 of 7 (mild): every item "Several days" but 5 and 9.
T2_ANSWERS = {number: "Several days" for number in range(1, 10)} | {5: "Not at all", 9: "Not at all"}


class TestPractitionersMorning:
    @pytest.fixture(autouse=True)
    def _cast(self, page, page_check, sign_in, team_a, practitioner):
        self.page: Page = page
        self.page_check = page_check
        self.sign_in = sign_in
        self.team = team_a
        self.practitioner = practitioner

    def test_a_practitioners_morning(self):
        self.given_two_families_in_intervention_owing_a_t2()
        self.given_the_practitioner_is_signed_in()
        self.when_they_open_the_t2_list_from_home()
        self.then_both_families_are_due()
        self.when_they_open_the_first_familys_record()
        self.then_the_record_shows_its_clocks()
        self.when_they_move_next_weeks_appointment()
        self.then_the_appointment_history_shows_the_move()
        self.when_they_record_yesterdays_appointment_as_attended()
        self.then_the_record_counts_it_as_first_contact()
        self.when_they_enter_the_t2()
        self.then_the_t2_list_has_one_family_left()

    # Given ------------------------------------------------------------------------------------------------------

    def given_two_families_in_intervention_owing_a_t2(self):
        self.family, self.other = (make_referral(team=self.team, actor=self.practitioner) for _ in range(2))
        for referral, t1_days_ago in ((self.family, 100), (self.other, 90)):
            referral.assigned_practitioner = self.practitioner
            referral.save()
            QuestionnaireFactory(
                referral=referral, instrument="phq9", timepoint="T1", completed_on=days_ago(t1_days_ago)
            )
        today = timezone.localdate()
        self.next_week = AppointmentFactory(
            referral=self.family,
            practitioner=self.practitioner,
            starts_at=_at(today + datetime.timedelta(days=7), 10),
            kind=Appointment.Kind.INTERVENTION,
        )
        self.yesterday = AppointmentFactory(
            referral=self.family,
            practitioner=self.practitioner,
            starts_at=_at(today - datetime.timedelta(days=1), 11),
            kind=Appointment.Kind.INTERVENTION,
        )

    def given_the_practitioner_is_signed_in(self):
        self.sign_in(self.page, self.practitioner)

    # When -------------------------------------------------------------------------------------------------------

    def when_they_open_the_t2_list_from_home(self):
        self.page.get_by_role("link", name="the T2 questionnaires your families owe").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("T2 questionnaires due")

    def when_they_open_the_first_familys_record(self):
        header = self.page.get_by_role("banner")
        header.get_by_label("Find a family by name, case reference, NHS number, date of birth or postcode").fill(
            self.family.reference.lower()
        )
        header.get_by_role("button", name="Search").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Find a family")
        self.page.get_by_role("link", name=self.family.reference).click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(self.family.reference)

    def when_they_move_next_weeks_appointment(self):
        self.page.get_by_role("link", name=re.compile("^Move, change or cancel")).click()
        self.page_check(self.page, "appointment")
        self.page.get_by_role("link", name="Move it to another date or time").click()
        self.new_day = timezone.localdate() + datetime.timedelta(days=9)
        group = self.page.get_by_role("group", name="New date")
        group.get_by_label("Day").fill(str(self.new_day.day))
        group.get_by_label("Month").fill(str(self.new_day.month))
        group.get_by_label("Year").fill(str(self.new_day.year))
        self.page.get_by_label("Time").fill("14:30")
        self.page.get_by_label("Why is it moving?").fill("The family asked for an afternoon")
        self.page_check(self.page, "move-appointment")
        self.page.get_by_role("button", name="Move appointment").click()

    def when_they_record_yesterdays_appointment_as_attended(self):
        self.page.get_by_role("link", name=re.compile("^Back to ")).click()
        self.page.get_by_role("link", name=re.compile("^Record outcome")).click()
        self.page.get_by_label("Attended").check()
        self.page.get_by_role("button", name="Save outcome").click()
        expect(self.page.get_by_text("Appointment outcome saved.")).to_be_visible()

    def when_they_enter_the_t2(self):
        self.page.goto(f"/outcomes/referrals/{self.family.pk}/record/phq9/?caregiver=1&timepoint=T2")
        for number, label in T2_ANSWERS.items():
            group = self.page.get_by_role("group", name=re.compile(rf"^{number}\. "))
            group.get_by_label(label, exact=True).check()
        self.page.get_by_role("button", name="Save questionnaire").click()
        expect(self.page.get_by_text("PHQ-9 T2 saved. Score: 7 (mild).")).to_be_visible()

    # Then -------------------------------------------------------------------------------------------------------

    def then_both_families_are_due(self):
        rows = self._due_rows()
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text(self.family.reference)
        expect(rows.first.get_by_text("Overdue")).to_be_visible()
        self._check_at_both_widths("t2-due")

    def then_the_record_shows_its_clocks(self):
        clocks = self.page.locator(".nhsuk-card", has=self.page.get_by_role("heading", name="Waiting times"))
        expect(clocks.get_by_text("Referral to first contact")).to_be_visible()
        expect(clocks.get_by_text(re.compile("^No contact yet"))).to_be_visible()
        expect(clocks.get_by_text(re.compile("^In intervention for"))).to_be_visible()
        self._check_at_both_widths("record")

    def then_the_appointment_history_shows_the_move(self):
        expect(self.page.get_by_text("Appointment moved.")).to_be_visible()
        expect(self.page.get_by_role("heading", name="Rescheduled")).to_be_visible()
        expect(self.page.get_by_text(f"to {self.new_day:%A %-d %B %Y}, 14:30")).to_be_visible()
        expect(self.page.get_by_text("Reason: The family asked for an afternoon")).to_be_visible()
        self.page_check(self.page, "appointment-moved")
        assert AppointmentChange.objects.get().appointment == self.next_week

    def then_the_record_counts_it_as_first_contact(self):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        days = (yesterday - self.family.received_on).days
        clocks = self.page.locator(".nhsuk-card", has=self.page.get_by_role("heading", name="Waiting times"))
        expect(clocks.get_by_text(f"{days} days, on {yesterday:%-d %B %Y}")).to_be_visible()
        referral_card = self.page.locator(".nhsuk-card", has=self.page.get_by_role("heading", name="Referral"))
        expect(referral_card.get_by_text(f"{yesterday:%-d %B %Y} (first attended appointment)")).to_be_visible()
        self.page_check(self.page, "record-after-attended")

    def then_the_t2_list_has_one_family_left(self):
        self.page.goto("/outcomes/t2-due/")
        rows = self._due_rows()
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(self.other.reference)
        self._check_at_both_widths("t2-due-after")

    # Helpers ----------------------------------------------------------------------------------------------------

    def _due_rows(self):
        table = self.page.get_by_role("table", name="T2 questionnaires due, the soonest first")
        return table.locator("tbody tr")

    def _check_at_both_widths(self, label: str):
        self.page_check(self.page, label)
        self.page.set_viewport_size(PHONE)
        self.page_check(self.page, f"{label}-390")
        self.page.set_viewport_size(DESKTOP)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
