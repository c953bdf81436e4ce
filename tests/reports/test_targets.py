import datetime
from decimal import Decimal

import pytest

from pairs.models import Team
from pairs.periods import Period
from reports.targets import (
    KPIS_BY_ID,
    prorated_target,
    rag_status,
    service_year_number,
    target_for_year,
)

D = datetime.date
BLACKPOOL = Team(name="Blackpool", slug="blackpool", service_started_on=D(2023, 3, 1), year_start_month=3)


def annual(kpi_id: str, team: Team = BLACKPOOL):
    schedule = KPIS_BY_ID[kpi_id].defaults
    return lambda month: target_for_year(schedule, service_year_number(team, month))


def test_a_fifteen_month_window_of_240_a_year_is_300():
    assert prorated_target(annual("training_participants"), Period(D(2023, 3, 1), D(2024, 5, 31))) == 300.0


def test_families_supported_in_the_demo_window_is_55():
    # 12 months of service year 1 at 40 a year, then 3 months of year 2 at 60 a year.
    assert prorated_target(annual("families_supported"), Period(D(2023, 3, 1), D(2024, 5, 31))) == 55.0


def test_a_window_that_starts_and_ends_mid_month_is_pro_rated_by_days():
    # 16 of 31 days of January, all of February 2024 (29 days), 10 of 31 days of March: 12 a year = 1 a month.
    expected = round(16 / 31 + 1 + 10 / 31, 1)
    assert prorated_target(annual("training_sessions"), Period(D(2024, 1, 16), D(2024, 3, 10))) == expected
    assert Period(D(2024, 1, 16), D(2024, 3, 10)).months == round(16 / 31 + 1 + 10 / 31, 2)


def test_period_months_of_the_demo_window():
    assert Period(D(2023, 3, 1), D(2024, 5, 31)).months == 15.0


def test_service_years_follow_the_start_month():
    assert service_year_number(BLACKPOOL, D(2023, 3, 1)) == 1
    assert service_year_number(BLACKPOOL, D(2024, 2, 29)) == 1
    assert service_year_number(BLACKPOOL, D(2024, 3, 1)) == 2
    assert service_year_number(BLACKPOOL, D(2023, 2, 28)) is None
    april_team = Team(service_started_on=D(2023, 6, 15), year_start_month=4)
    assert service_year_number(april_team, D(2023, 4, 1)) == 1
    assert service_year_number(april_team, D(2024, 3, 31)) == 1
    assert service_year_number(april_team, D(2024, 4, 1)) == 2


def test_months_before_the_service_began_carry_no_target():
    assert prorated_target(annual("training_sessions"), Period(D(2023, 1, 1), D(2023, 3, 31))) == 1.0
    assert prorated_target(annual("training_sessions"), Period(D(2022, 1, 1), D(2022, 12, 31))) is None


def test_target_schedule_takes_the_latest_entry_not_after_the_year():
    schedule = ((1, Decimal(40)), (2, Decimal(60)), (4, Decimal(80)))
    assert [target_for_year(schedule, year) for year in (1, 2, 3, 4, 9)] == [40, 60, 60, 80, 80]


@pytest.mark.parametrize(
    ("actual", "target", "base", "status"),
    [
        (300, 300.0, None, "green"),
        (301, 300.0, None, "green"),
        (270, 300.0, None, "amber"),
        (269, 300.0, None, "red"),
        (0.75, 0.75, 21, "green"),
        (0.7619, 0.75, 21, "green"),
        (0.675, 0.75, 21, "amber"),
        (0.6749, 0.75, 21, "red"),
        (1.0, 0.75, 4, "too_few"),
        (0.5, 0.75, 5, "red"),
        (10, None, None, "no_target"),
    ],
)
def test_rag(actual, target, base, status):
    assert rag_status(actual=actual, target=target, base=base) == status


def test_a_pro_rated_target_that_ends_exactly_in_five_hundredths_is_rounded_up():
    # 1 a year for nine whole months is 0.75 exactly; summed in decimals, nine twelfths came to 0.7499...
    # and were rounded down to 0.7.
    assert prorated_target(lambda month: Decimal(1), Period(D(2023, 1, 1), D(2023, 9, 30))) == 0.8
    assert prorated_target(lambda month: Decimal(7), Period(D(2023, 1, 1), D(2023, 9, 30))) == 5.3
