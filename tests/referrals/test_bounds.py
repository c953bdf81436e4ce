"""Identifiable records keep to the plausible bounds of `pairs.bounds`: every implausible value the probe saved is
refused by the model's own validation, so the forms, services and the import all refuse it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    AppointmentFactory,
    CaregiverFactory,
    GroupProgrammeFactory,
    InfantFactory,
    InterventionEpisodeFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db
YEAR_ONE = datetime.date(1, 1, 1)


def errors_of(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        record.full_clean()
    return raised.value.message_dict


@pytest.fixture
def referral(team_a):
    return ReferralFactory(team=team_a, received_on=datetime.date(2024, 6, 1))


def test_a_referral_received_in_year_one_is_refused(team_a):
    referral = ReferralFactory.build(team=team_a, received_on=YEAR_ONE, created_by=ReferralFactory().created_by)
    assert errors_of(referral)["received_on"] == ["Enter a date from 1 January 1990 onwards"]


def test_a_reason_of_100000_characters_is_refused(referral):
    referral.reason = "x" * 100_000
    assert errors_of(referral)["reason"] == ["Enter at most 5,000 characters (this has 100000)"]


@pytest.mark.parametrize(
    ("born", "field", "message"),
    [
        (YEAR_ONE, "date_of_birth", "Enter a date of birth from 1 January 1900 onwards"),
        (datetime.date(2019, 1, 1), "date_of_birth", "A caregiver is 10 to 85 years old at referral"),  # 5
        (datetime.date(1894, 1, 1), "date_of_birth", "Enter a date of birth from 1 January 1900 onwards"),  # 130
        (datetime.date(1934, 1, 1), "date_of_birth", "A caregiver is 10 to 85 years old at referral"),  # 90
    ],
)
def test_a_caregiver_born_implausibly_is_refused(referral, born, field, message):
    caregiver = CaregiverFactory.build(referral=referral, date_of_birth=born, birth_year=None)
    assert errors_of(caregiver)[field][0].startswith(message)


def test_a_caregiver_with_only_an_implausible_birth_year_is_refused(referral):
    caregiver = CaregiverFactory.build(referral=referral, date_of_birth=None, birth_year=2019)
    assert errors_of(caregiver)["birth_year"][0].startswith("A caregiver is 10 to 85 years old at referral")


@pytest.mark.parametrize("number", ["0000000000", "1111111111", "000 000 0000"])
def test_an_nhs_number_of_one_repeated_digit_is_refused(referral, number):
    caregiver = CaregiverFactory.build(referral=referral, nhs_number=number.replace(" ", ""))
    assert "is a placeholder, not a number the NHS issues" in errors_of(caregiver)["nhs_number"][0]


def test_a_plausible_caregiver_is_accepted(referral):
    CaregiverFactory.build(
        referral=referral, date_of_birth=datetime.date(1995, 6, 14), nhs_number="9434765919"
    ).full_clean()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"date_of_birth": YEAR_ONE}, "date_of_birth", "Enter a date from 1 January 1990 onwards"),
        ({"date_of_birth": datetime.date(1998, 5, 1)}, "date_of_birth", "The infant must be under 5 at referral"),
        ({"date_of_birth": None, "due_date": datetime.date(2026, 1, 1)}, "due_date", "The due date cannot be more"),
    ],
)
def test_an_infant_born_implausibly_is_refused(referral, fields, field, message):
    infant = InfantFactory.build(referral=referral, **fields)
    assert errors_of(infant)[field][0].startswith(message)


def test_a_group_programme_in_year_one_or_of_ten_thousand_places_is_refused(team_a):
    programme = GroupProgrammeFactory(team=team_a)
    programme.starts_on, programme.places_offered = YEAR_ONE, 10_000
    errors = errors_of(programme)
    assert errors["starts_on"] == ["Enter a date from 1 January 1990 onwards"]
    assert errors["places_offered"] == ["Enter a number no more than 100"]


def test_an_appointment_in_year_one_or_in_9999_is_refused(referral):
    appointment = AppointmentFactory(referral=referral)
    appointment.starts_at = timezone.now().replace(year=1, month=1, day=2)
    assert errors_of(appointment)["starts_at"] == ["Enter a date from 1 January 1990 onwards"]
    appointment.starts_at = timezone.now().replace(year=9999)
    assert errors_of(appointment)["starts_at"] == ["Enter a date no more than 2 years from today"]


def test_an_intervention_started_in_year_one_is_refused(referral):
    episode = InterventionEpisodeFactory(referral=referral)
    episode.started_on, episode.sessions_attended = YEAR_ONE, 30_000
    errors = errors_of(episode)
    assert errors["started_on"] == ["Enter a date from 1 January 1990 onwards"]
    assert errors["sessions_attended"] == ["Enter a number no more than 300"]
