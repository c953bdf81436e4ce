"""The record page's presenter: its wording, its rows and which actions show, read from the loaded record alone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import selectors
from referrals.models import Complexity, Referral, ThriveLevel
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.presenters import ReferralRecord, SummaryRow, age_in_months, age_in_years
from tests.factories import AppointmentFactory, CaregiverFactory, InfantFactory
from tests.referrals.builders import make_referral

pytestmark = pytest.mark.django_db


def record_of(referral: Referral, user) -> ReferralRecord:
    loaded = selectors.referral_record(user=user, team=referral.team, pk=referral.pk)
    return ReferralRecord(loaded, user=user, team=referral.team, now=timezone.now())


def rows(card) -> dict[str, tuple[str, ...]]:
    return {row.key: row.lines for row in card.rows}


def test_the_title_and_the_stage_of_an_open_referral(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner, state=State(Status.ON_HOLD, Stage.ASSESSMENT))
    referral.caregivers.update(name="Amy Bell")
    record = record_of(referral, practitioner)
    assert record.title == f"{referral.reference}: Amy Bell"
    assert record.stage_note == " at the assessment stage"
    referral.caregivers.update(name="")
    closed = make_referral(team=team_a, actor=practitioner, state=State(Status.COMPLETED, Stage.INTERVENTION))
    closed.caregivers.update(name="")
    assert (record_of(closed, practitioner).title, record_of(closed, practitioner).stage_note) == (closed.reference, "")


def test_the_referral_card_says_what_is_not_recorded(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner, reason="", consent_to_share=None, first_contact_on=None)
    referral.assigned_practitioner = None
    referral.save()
    card = record_of(referral, practitioner).referral_card
    assert card.heading == "Referral"
    assert (card.change_url, card.change_what) == (reverse("referrals:edit", args=[referral.pk]), "referral details")
    assert rows(card) == {
        "Received": (f"{referral.received_on:%-d %B %Y}",),
        "Referred by": (str(referral.referrer_service),),
        "Pathway": (referral.get_pathway_display(),),
        "Reason for referral": ("Not recorded",),
        "Complexities": ("None recorded",),
        "Consent to share information": ("Not recorded",),
        "Antenatal": ("No",),
        "Practitioner": ("Not assigned",),
        "First contact": ("Not recorded",),
    }


def test_the_referral_card_keeps_the_lines_of_the_reason_and_lists_each_complexity(team_a, practitioner):
    referral = make_referral(
        team=team_a, actor=practitioner, reason="Low mood.\r\nHard to bond.", consent_to_share=False
    )
    complexities = list(Complexity.objects.order_by("label")[:2])
    referral.complexities.set(complexities)
    values = rows(record_of(referral, practitioner).referral_card)
    assert values["Reason for referral"] == ("Low mood.", "Hard to bond.")
    assert set(values["Complexities"]) == {str(complexity) for complexity in complexities}
    assert values["Consent to share information"] == ("No",)


def test_the_family_cards_name_each_person_and_their_age_at_referral(team_a, practitioner):
    received = datetime.date(2025, 3, 10)
    referral = make_referral(team=team_a, actor=practitioner, received_on=received)
    referral.caregivers.update(name="", date_of_birth=datetime.date(1994, 3, 11), ethnicity="", nhs_number="")
    CaregiverFactory(referral=referral, position=2, date_of_birth=None, birth_year=1990, postcode="")
    referral.infants.update(name="Ben", date_of_birth=datetime.date(2025, 2, 9), due_date=None)
    InfantFactory(referral=referral, name="", date_of_birth=None, due_date=received + datetime.timedelta(days=20))
    first, second, infant, unborn = record_of(referral, practitioner).family_cards
    assert (first.heading, first.change_what, first.is_section) == ("First caregiver", "first caregiver", False)
    assert rows(first)["Name"] == ("Not recorded",)
    assert rows(first)["Date of birth"] == ("11 March 1994 (aged 30 at referral)",)
    assert rows(first)["Ethnic group"] == rows(first)["NHS number"] == ("Not recorded",)
    assert (second.heading, rows(second)["Date of birth"], rows(second)["Postcode"]) == (
        "Second caregiver",
        ("Born in 1990",),
        ("Not recorded",),
    )
    assert (infant.heading, infant.change_what) == ("Infant 1", "infant 1")
    assert rows(infant) == {"Name": ("Ben",), "Date of birth": ("9 February 2025 (1 month old at referral)",)}
    assert unborn.heading == "Infant 2"
    assert rows(unborn) == {"Name": ("Not recorded",), "Due date": ("30 March 2025",)}


def test_a_single_infant_is_not_numbered(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    [_, infant] = record_of(referral, practitioner).family_cards
    assert infant.heading == "Infant"


def test_the_levels_card(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    card = record_of(referral, practitioner).levels_card
    assert card.heading == "Safeguarding, risks and need"
    assert rows(card) == {
        "Safeguarding level": ("Not recorded",),
        "Risks": ("Not recorded",),
        "Thrive level": ("Not recorded",),
        "IMD decile": ("Not recorded",),
    }
    thrive = ThriveLevel.objects.first()
    Referral.objects.filter(pk=referral.pk).update(
        safeguarding_level=2, risk_count=0, thrive_level=thrive, imd_decile=3, imd_from_postcode=True
    )
    assert rows(record_of(referral, practitioner).levels_card) == {
        "Safeguarding level": ("Level 2",),
        "Risks": ("0",),
        "Thrive level": (str(thrive),),
        "IMD decile": ("3 (from the postcode)",),
    }


def test_which_actions_show_follow_the_state_and_the_person(team_a, practitioner, manager):
    open_one = make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.INTERVENTION))
    record = record_of(open_one, practitioner)
    assert record.moves == [EventKind.COMPLETED, EventKind.DISENGAGED, EventKind.ON_HOLD]
    assert (record.can_book_appointment, record.can_add_intervention, record.can_add_caregiver) == (True, True, True)
    assert not record.shows_audit_history
    assert record_of(open_one, manager).shows_audit_history

    closed = make_referral(team=team_a, actor=practitioner, state=State(Status.COMPLETED, Stage.INTERVENTION))
    CaregiverFactory(referral=closed, position=2)
    record = record_of(closed, practitioner)
    assert record.moves == []
    assert record.no_moves_text == "The referral is closed. Only a service manager can reopen it."
    assert (record.can_book_appointment, record.can_add_intervention, record.can_add_caregiver) == (False, False, False)
    assert record_of(closed, manager).moves == [EventKind.REOPENED]


def test_an_appointment_s_outcome_is_offered_once_it_has_started(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.ASSESSMENT))
    past = AppointmentFactory(
        referral=referral, practitioner=practitioner, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    done = AppointmentFactory(
        referral=referral,
        practitioner=practitioner,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        outcome="attended",
    )
    future = AppointmentFactory(referral=referral, practitioner=practitioner)
    actions = {row.appointment.pk: row.outcome_action for row in record_of(referral, practitioner).appointments}
    assert actions == {past.pk: "Record outcome", done.pk: "Change outcome", future.pk: None}


def test_the_presenter_reads_nothing_more_than_the_record_page_loaded(team_a, practitioner, django_assert_num_queries):
    referral = make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.INTERVENTION))
    CaregiverFactory(referral=referral, position=2)
    AppointmentFactory(referral=referral, practitioner=practitioner)
    record = record_of(referral, practitioner)
    with django_assert_num_queries(0):
        _ = (record.title, record.referral_card, record.family_cards, record.levels_card, record.appointments)
        _ = (record.can_add_caregiver, record.can_book_appointment, record.can_add_intervention)


def test_ages_are_in_whole_years_and_months():
    assert age_in_years(datetime.date(1994, 3, 11), datetime.date(2025, 3, 10)) == 30
    assert age_in_years(datetime.date(1994, 3, 10), datetime.date(2025, 3, 10)) == 31
    assert age_in_months(datetime.date(2025, 1, 31), datetime.date(2025, 3, 30)) == 1
    assert age_in_months(datetime.date(2025, 4, 1), datetime.date(2025, 3, 30)) is None


def test_a_summary_row_holds_its_value_a_line_each():
    assert SummaryRow.of("Name", "Amy") == SummaryRow("Name", ("Amy",))
