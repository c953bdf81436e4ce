import datetime
from fractions import Fraction

import pytest
from django.http import QueryDict

from pairs.forms import PeriodForm
from pairs.periods import (
    Period,
    custom_period,
    period_covering,
    period_from_key,
    service_quarter,
    service_quarter_of,
    service_year,
    service_year_of,
    service_year_start,
    year_to_date,
)

D = datetime.date
APRIL, MARCH, JANUARY = 4, 3, 1


def test_a_period_holds_both_of_its_dates():
    period = Period(D(2024, 4, 1), D(2024, 6, 30))
    assert D(2024, 4, 1) in period
    assert D(2024, 6, 30) in period
    assert D(2024, 3, 31) not in period
    assert D(2024, 7, 1) not in period
    assert period.days == 91


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        Period(D(2024, 4, 2), D(2024, 4, 1))


def test_a_one_day_period_is_allowed():
    assert Period(D(2024, 4, 1), D(2024, 4, 1)).days == 1


def test_without_a_label_a_period_describes_its_dates():
    assert custom_period(D(2023, 3, 1), D(2024, 5, 31)).label == "1 March 2023 to 31 May 2024"


@pytest.mark.parametrize(
    ("day", "month", "expected"),
    [
        (D(2024, 4, 1), APRIL, D(2024, 4, 1)),
        (D(2024, 3, 31), APRIL, D(2023, 4, 1)),
        (D(2024, 12, 31), APRIL, D(2024, 4, 1)),
        (D(2024, 1, 1), JANUARY, D(2024, 1, 1)),
        (D(2024, 2, 29), MARCH, D(2023, 3, 1)),
        (D(2024, 3, 1), MARCH, D(2024, 3, 1)),
    ],
)
def test_service_year_start(day, month, expected):
    assert service_year_start(day, month) == expected


def test_a_service_year_from_april():
    year = service_year(2024, APRIL)
    assert (year.start, year.end) == (D(2024, 4, 1), D(2025, 3, 31))
    assert year.label == "Service year 2024 to 2025"
    assert year.key == "2024"


def test_a_calendar_service_year_is_named_by_its_one_year():
    year = service_year(2024, JANUARY)
    assert (year.start, year.end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert year.label == "Service year 2024"


def test_a_service_year_from_march_ends_on_the_last_day_of_february_leap_or_not():
    assert service_year(2023, MARCH).end == D(2024, 2, 29)
    assert service_year(2024, MARCH).end == D(2025, 2, 28)


def test_the_four_quarters_tile_the_service_year():
    quarters = [service_quarter(2024, q, APRIL) for q in (1, 2, 3, 4)]
    assert [(q.start, q.end) for q in quarters] == [
        (D(2024, 4, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), D(2024, 9, 30)),
        (D(2024, 10, 1), D(2024, 12, 31)),
        (D(2025, 1, 1), D(2025, 3, 31)),
    ]
    assert sum(q.days for q in quarters) == service_year(2024, APRIL).days
    assert quarters[0].label == "Quarter 1 of 2024 to 2025 (April to June 2024)"
    assert quarters[3].key == "2024-q4"


def test_a_quarter_across_new_year_names_both_years():
    quarter = service_quarter(2024, 4, 11)
    assert (quarter.start, quarter.end) == (D(2025, 8, 1), D(2025, 10, 31))
    winter = service_quarter(2024, 1, 11)
    assert winter.label == "Quarter 1 of 2024 to 2025 (November 2024 to January 2025)"


def test_there_is_no_fifth_quarter():
    with pytest.raises(ValueError, match="quarters 1 to 4"):
        service_quarter(2024, 5, APRIL)


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (D(2024, 4, 1), "2024-q1"),
        (D(2024, 6, 30), "2024-q1"),
        (D(2024, 7, 1), "2024-q2"),
        (D(2025, 1, 15), "2024-q4"),
        (D(2025, 3, 31), "2024-q4"),
        (D(2025, 4, 1), "2025-q1"),
    ],
)
def test_the_quarter_of_a_day(day, key):
    quarter = service_quarter_of(day, APRIL)
    assert quarter.key == key
    assert day in quarter


def test_the_year_of_a_day():
    assert service_year_of(D(2025, 2, 1), APRIL).key == "2024"


def test_year_to_date_runs_from_the_start_of_the_service_year_to_today():
    period = year_to_date(D(2024, 11, 20), APRIL)
    assert (period.start, period.end, period.key) == (D(2024, 4, 1), D(2024, 11, 20), "ytd")
    first_day = year_to_date(D(2024, 4, 1), APRIL)
    assert first_day.days == 1


def test_keys_name_their_periods():
    today = D(2025, 5, 10)
    assert period_from_key("2024-q3", year_start_month=APRIL, today=today) == service_quarter(2024, 3, APRIL)
    assert period_from_key("2024", year_start_month=APRIL, today=today) == service_year(2024, APRIL)
    assert period_from_key("ytd", year_start_month=APRIL, today=today) == year_to_date(today, APRIL)
    for bad in ("", "24", "2024-q", "2024-qx", "custom", "next year"):
        with pytest.raises(ValueError, match="Not a period"):
            period_from_key(bad, year_start_month=APRIL, today=today)


def test_the_published_window_is_fifteen_months():
    # kpis.md: 1 March 2023 to 31 May 2024 is 15 calendar months (the report calls it 14).
    assert custom_period(D(2023, 3, 1), D(2024, 5, 31)).months == 15.0


def test_partly_covered_months_count_their_share_of_days():
    period = Period(D(2024, 2, 15), D(2024, 3, 10))
    assert period.month_shares() == [(D(2024, 2, 1), Fraction(15, 29)), (D(2024, 3, 1), Fraction(10, 31))]
    assert period.months == round(15 / 29 + 10 / 31, 2) == 0.84


def test_a_quarter_is_three_months():
    assert service_quarter(2024, 4, APRIL).months == 3.0


def test_the_covering_period_is_the_smallest_quarter_or_year_else_the_dates_themselves():
    assert period_covering([D(2024, 5, 1), D(2024, 4, 3)], year_start_month=APRIL).key == "2024-q1"
    assert period_covering([D(2024, 5, 1), D(2024, 9, 3)], year_start_month=APRIL).key == "2024"
    spanning = period_covering([D(2024, 3, 31), D(2024, 4, 1)], year_start_month=APRIL)
    assert (spanning.key, spanning.start, spanning.end) == ("custom", D(2024, 3, 31), D(2024, 4, 1))
    with pytest.raises(ValueError, match="No dates"):
        period_covering([], year_start_month=APRIL)


def test_querystrings_choose_the_period_again():
    today = D(2025, 5, 10)
    for period in (service_quarter(2024, 2, APRIL), service_year(2023, APRIL), custom_period(D(2024, 1, 5), today)):
        form = PeriodForm(QueryDict(period.querystring), year_start_month=APRIL, today=today, earliest=D(2023, 1, 1))
        assert form.is_valid(), form.errors
        assert form.chosen == period


def test_a_periods_moments_run_from_local_midnight_to_the_midnight_after_its_last_day():
    # British Summer Time starts on 31 March 2024: the period's first midnight is GMT, the one after it BST.
    starts, after = Period(datetime.date(2024, 3, 1), datetime.date(2024, 4, 30)).moments()
    utc = datetime.UTC
    assert starts == datetime.datetime(2024, 3, 1, 0, 0, tzinfo=utc)
    assert after == datetime.datetime(2024, 4, 30, 23, 0, tzinfo=utc)
