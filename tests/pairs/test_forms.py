"""The period chooser: the choices it offers, what it refuses, and the period it stands for."""

import datetime

from django.http import QueryDict

from pairs.forms import PeriodForm
from pairs.periods import custom_period, service_quarter, service_year

D = datetime.date
APRIL, MARCH = 4, 3


TODAY, EARLIEST = D(2025, 8, 10), D(2024, 2, 1)


def _form(data=None):
    query = QueryDict(mutable=True)
    query.update(data or {})
    return PeriodForm(query if data is not None else None, year_start_month=APRIL, today=TODAY, earliest=EARLIEST)


def test_unbound_the_form_stands_for_the_current_quarter():
    form = _form()
    assert form.chosen == service_quarter(2025, 2, APRIL)
    assert form.fields["period"].initial == "2025-q2"


def test_the_choices_offer_years_from_the_earliest_and_only_quarters_that_have_begun():
    choices = _form().fields["period"].choices
    assert choices[0] == ("ytd", "Year to date")
    assert choices[-1][0] == "custom"
    groups = {label: [key for key, _ in options] for label, options in choices[1:-1]}
    assert groups == {
        "Service year 2025 to 2026": ["2025-q2", "2025-q1", "2025"],
        "Service year 2024 to 2025": ["2024-q4", "2024-q3", "2024-q2", "2024-q1", "2024"],
        "Service year 2023 to 2024": ["2023-q4", "2023-q3", "2023-q2", "2023-q1", "2023"],
    }


def test_choosing_a_year():
    form = _form({"period": "2024"})
    assert form.is_valid()
    assert form.chosen == service_year(2024, APRIL)


def test_a_year_not_offered_is_refused():
    form = _form({"period": "2019"})
    assert not form.is_valid()
    assert "period" in form.errors
    assert form.chosen == service_quarter(2025, 2, APRIL)


def test_custom_dates_need_both_days():
    form = _form({"period": "custom"})
    assert not form.is_valid()
    assert form.errors["start"] == ["Enter the first day of the custom period"]
    assert form.errors["end"] == ["Enter the last day of the custom period"]


def test_custom_dates_in_order():
    data = {"period": "custom", "start_day": "10", "start_month": "3", "start_year": "2025"}
    form = _form({**data, "end_day": "9", "end_month": "3", "end_year": "2025"})
    assert not form.is_valid()
    assert form.errors["end"] == ["The last day must be the same as or after the first day"]
    form = _form({**data, "end_day": "10", "end_month": "3", "end_year": "2025"})
    assert form.is_valid()
    assert form.chosen == custom_period(D(2025, 3, 10), D(2025, 3, 10))


def test_an_impossible_custom_date_is_an_error_not_a_guess():
    form = _form({"period": "custom", "start_day": "31", "start_month": "2", "start_year": "2025"})
    assert not form.is_valid()
    assert "start" in form.errors
    assert "Enter the first day of the custom period" not in form.errors["start"]


def test_dates_are_ignored_unless_the_period_is_custom():
    form = _form({"period": "2025-q1", "start_day": "99"})
    assert form.is_valid(), form.errors
    assert form.chosen == service_quarter(2025, 1, APRIL)


def test_for_team_binds_only_when_a_period_is_named(team_a):
    team_a.year_start_month = MARCH
    team_a.service_started_on = D(2023, 3, 1)
    today = D(2024, 5, 31)
    assert not PeriodForm.for_team(QueryDict("page=2"), team=team_a, today=today).is_bound
    form = PeriodForm.for_team(QueryDict("period=2023"), team=team_a, today=today)
    assert form.chosen == service_year(2023, MARCH)
    assert [group for group, _ in form.fields["period"].choices[1:-1]] == [
        "Service year 2024 to 2025",
        "Service year 2023 to 2024",
    ]
