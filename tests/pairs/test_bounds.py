"""The plausible bounds of `pairs.bounds` and the period arithmetic's refusal of dates it cannot compute with."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs import bounds
from pairs.forms import PeriodForm
from pairs.models import Team
from pairs.periods import (
    EARLIEST_PERIOD_DATE,
    add_months,
    custom_period,
    period_choices,
    period_covering,
    period_from_key,
    service_quarter_of,
    service_year_start,
)

D = datetime.date
RECEIVED = D(2024, 6, 1)


@pytest.mark.parametrize("day", [D(1, 1, 1), D(1989, 12, 31)])
def test_a_record_date_before_1990_is_refused_saying_what_is_allowed(day):
    with pytest.raises(ValidationError, match="Enter a date from 1 January 1990 onwards"):
        bounds.record_date(day)


def test_the_first_of_january_1990_is_a_record_date():
    bounds.record_date(D(1990, 1, 1))


def test_nothing_is_planned_more_than_two_years_ahead():
    today = timezone.localdate()
    bounds.within_planning_horizon(today + bounds.PLANNING_HORIZON)
    with pytest.raises(ValidationError, match="Enter a date no more than 2 years from today"):
        bounds.within_planning_horizon(today + bounds.PLANNING_HORIZON + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="no more than 2 years"):
        bounds.within_planning_horizon(timezone.now().replace(year=9999))


@pytest.mark.parametrize("count", [10_001, 10**6, 2**63 - 1])
def test_a_count_past_ten_thousand_is_refused(count):
    with pytest.raises(ValidationError, match="Enter a number no more than 10,000"):
        bounds.people_counted(count)


def test_free_text_past_five_thousand_characters_is_refused():
    bounds.text_length("x" * 5_000)
    with pytest.raises(ValidationError, match=r"Enter at most 5,000 characters \(this has 100000\)"):
        bounds.text_length("x" * 100_000)


@pytest.mark.parametrize(
    ("born", "birth_year", "plausible"),
    [
        (D(2014, 6, 2), None, False),  # 9
        (D(2014, 6, 1), None, True),  # 10 on the day
        (D(1938, 6, 2), None, True),  # 85
        (D(1938, 6, 1), None, False),  # 86
        (None, 2019, False),  # 5
        (None, 1894, False),  # 130
        (None, 2014, True),  # 9 or 10
        (None, 1939, True),  # 84 or 85
        (None, None, True),  # not recorded
    ],
)
def test_a_caregiver_is_10_to_85_at_referral(born, birth_year, plausible):
    error = bounds.caregiver_age_error(received_on=RECEIVED, born=born, birth_year=birth_year)
    assert (error == "") == plausible
    if not plausible:
        assert error.startswith("A caregiver is 10 to 85 years old at referral")


@pytest.mark.parametrize(
    ("born", "plausible"),
    [
        (D(1998, 6, 1), False),  # 26
        (D(2019, 6, 1), False),  # 5 on the day
        (D(2019, 6, 2), True),  # just under 5: group work
        (D(2025, 3, 31), True),  # 10 months after an antenatal referral
        (D(2025, 6, 1), False),
    ],
)
def test_an_infant_is_under_five_at_referral_and_born_within_ten_months_of_it(born, plausible):
    assert (bounds.infant_age_error(received_on=RECEIVED, born=born) == "") == plausible


def test_a_due_date_is_within_ten_months_of_the_referral():
    assert bounds.due_date_error(received_on=RECEIVED, due=D(2024, 12, 1)) == ""
    assert "10 months" in bounds.due_date_error(received_on=RECEIVED, due=D(2026, 1, 1))
    assert "5 years" in bounds.due_date_error(received_on=RECEIVED, due=D(1990, 1, 1))


# The period arithmetic -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [D(1, 1, 1), D(9999, 12, 31)])
def test_the_calendar_s_ends_are_a_value_error_not_an_overflow(day):
    with pytest.raises(ValueError, match="outside the calendar"):
        add_months(day, -12 if day.year == 1 else 12)
    with pytest.raises(ValueError, match="outside the calendar"):
        service_quarter_of(day, 4)


@pytest.mark.parametrize(("start", "end"), [(D(1, 1, 1), D(2024, 1, 1)), (D(2024, 1, 1), D(9999, 12, 31))])
def test_a_custom_period_outside_1990_to_2099_is_refused_saying_what_is_allowed(start, end):
    with pytest.raises(ValueError, match="Enter a date from 1 January 1990 to 31 December 2099"):
        custom_period(start, end)


@pytest.mark.parametrize("key", ["0001", "0001-q1", "9999-q4", "1989"])
def test_a_period_key_outside_the_covered_years_is_refused(key):
    with pytest.raises(ValueError, match="Enter a date from 1 January 1990"):
        period_from_key(key, year_start_month=4, today=D(2024, 6, 1))


def test_the_year_s_start_is_found_within_the_calendar():
    assert service_year_start(D(2024, 3, 31), 4) == D(2023, 4, 1)
    assert service_year_start(D(2024, 4, 1), 4) == D(2024, 4, 1)
    assert service_year_start(D(2024, 12, 1), 1) == D(2024, 1, 1)


def test_the_period_choices_start_no_earlier_than_1990_whatever_the_earliest_date():
    choices = period_choices(year_start_month=4, today=D(2024, 6, 1), earliest=D(1, 1, 1))
    assert choices[-2][0] == "Service year 1989 to 1990"  # the year that holds 1 January 1990
    assert len(choices) == 2 + 2024 - 1989 + 1


def test_a_record_saved_before_the_bounds_is_covered_by_its_own_window():
    assert period_covering([D(1, 1, 1)], year_start_month=4).start == D(1, 1, 1)


def test_custom_dates_outside_the_covered_years_are_a_form_error():
    data = {"period": "custom", "start_day": "1", "start_month": "1", "start_year": "0001"}
    data |= {"end_day": "1", "end_month": "1", "end_year": "2024"}
    form = PeriodForm(data, year_start_month=4, today=D(2024, 6, 1))
    assert not form.is_valid()
    assert form.errors["start"] == ["Enter a date from 1 January 1990 to 31 December 2099"]
    assert form.chosen == form.default


def test_a_team_s_stored_service_start_outside_the_bounds_counts_as_not_recorded():
    assert Team(service_started_on=D(1, 1, 1)).reporting_start is None
    assert Team(service_started_on=EARLIEST_PERIOD_DATE).reporting_start == EARLIEST_PERIOD_DATE
    assert Team(service_started_on=None).reporting_start is None
