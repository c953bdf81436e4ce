"""Reporting periods: quarters and years of a team's service year, year to date, and custom windows (kpis.md).

A team's service year starts on the first day of its `year_start_month`. Everything here is pure date arithmetic
(no queries), so reports, dashboards and list pages can share it. A period has a short key (`2024-q1`, `2024`,
`ytd`, `custom`) that survives in a query string; `pairs.forms.PeriodForm` lets a person choose one.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.utils import timezone

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

YEAR_TO_DATE = "ytd"
CUSTOM = "custom"

# The dates a period may start and end on (`pairs.bounds` explains the first). Within them every quarter, year and
# neighbour computed here stays far inside what `datetime.date` can hold, so nothing overflows.
EARLIEST_PERIOD_DATE = datetime.date(1990, 1, 1)
LATEST_PERIOD_DATE = datetime.date(2099, 12, 31)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    if not 12 <= index < 10_000 * 12:
        raise ValueError(f"{months} months from {day} is outside the calendar.")
    return datetime.date(index // 12, index % 12 + 1, 1)


def check_period_dates(*days: datetime.date) -> None:
    """Raises ValueError, with the message a person can act on, for a date outside the periods reports cover."""
    for day in days:
        if not EARLIEST_PERIOD_DATE <= day <= LATEST_PERIOD_DATE:
            raise ValueError(
                f"Enter a date from {format_date(EARLIEST_PERIOD_DATE)} to {format_date(LATEST_PERIOD_DATE)}"
            )


def format_date(day: datetime.date) -> str:
    """A date the NHS.UK way: 1 April 2024."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def midnight_before(day: datetime.date) -> datetime.datetime:
    """The moment `day` begins in the local time zone: moments before it are of earlier days."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass(frozen=True)
class Period:
    """A reporting window, both dates inclusive."""

    start: datetime.date
    end: datetime.date
    label: str = ""
    key: str = CUSTOM

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start}).")
        if not self.label:
            object.__setattr__(self, "label", self.description)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def description(self) -> str:
        return f"{format_date(self.start)} to {format_date(self.end)}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as moments in the local time zone, from the first day's midnight to the midnight after the
        last day (exclusive): a moment column filtered between them can use its index, where the same filter on
        the moment's local date cannot."""
        return midnight_before(self.start), midnight_before(self.end + datetime.timedelta(days=1))

    def month_shares(self) -> list[tuple[datetime.date, Fraction]]:
        """Each calendar month the period touches (its first day) with the share of that month's days inside it.

        This is how kpis.md pro-rates annual targets: a whole month counts 1, a partly covered month the share of
        its days that fall in the period.
        """
        shares = []
        month = self.start.replace(day=1)
        while month <= self.end:
            next_month = add_months(month, 1)
            first, last = max(month, self.start), min(next_month - datetime.timedelta(days=1), self.end)
            shares.append((month, Fraction((last - first).days + 1, (next_month - month).days)))
            month = next_month
        return shares

    @property
    def querystring(self) -> str:
        """The query string that chooses this period in `PeriodForm`, for links that keep it."""
        if self.key != CUSTOM:
            return f"period={self.key}"
        parts = [f"period={CUSTOM}"]
        for name, day in (("start", self.start), ("end", self.end)):
            parts += [f"{name}_day={day.day}", f"{name}_month={day.month}", f"{name}_year={day.year}"]
        return "&".join(parts)

    @property
    def months(self) -> float:
        """The period's length in months as the pro-rating counts it, to 2 places (data-contract.md)."""
        return round(float(sum(share for _, share in self.month_shares())), 2)


def _month_span(start: datetime.date, end: datetime.date) -> str:
    if start.year == end.year:
        return f"{MONTHS[start.month - 1]} to {MONTHS[end.month - 1]} {end.year}"
    return f"{MONTHS[start.month - 1]} {start.year} to {MONTHS[end.month - 1]} {end.year}"


def service_year_start(day: datetime.date, year_start_month: int) -> datetime.date:
    """The first day of the service year that contains `day`."""
    return add_months(day.replace(day=1), -((day.month - year_start_month) % 12))


def _year_name(start: datetime.date) -> str:
    return str(start.year) if start.month == 1 else f"{start.year} to {start.year + 1}"


def service_year(start_year: int, year_start_month: int) -> Period:
    """The service year that starts in `year_start_month` of calendar year `start_year`."""
    start = datetime.date(start_year, year_start_month, 1)
    return Period(
        start=start,
        end=add_months(start, 12) - datetime.timedelta(days=1),
        label=f"Service year {_year_name(start)}",
        key=str(start_year),
    )


def service_year_of(day: datetime.date, year_start_month: int) -> Period:
    return service_year(service_year_start(day, year_start_month).year, year_start_month)


def service_quarter(start_year: int, quarter: int, year_start_month: int) -> Period:
    """Quarter 1 to 4 of the service year that starts in calendar year `start_year`."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"A service year has quarters 1 to 4, not {quarter}.")
    year_start = datetime.date(start_year, year_start_month, 1)
    start = add_months(year_start, 3 * (quarter - 1))
    end = add_months(start, 3) - datetime.timedelta(days=1)
    return Period(
        start=start,
        end=end,
        label=f"Quarter {quarter} of {_year_name(year_start)} ({_month_span(start, end)})",
        key=f"{start_year}-q{quarter}",
    )


def service_quarter_of(day: datetime.date, year_start_month: int) -> Period:
    year_start = service_year_start(day, year_start_month)
    months_in = (day.year - year_start.year) * 12 + day.month - year_start.month
    return service_quarter(year_start.year, months_in // 3 + 1, year_start_month)


def year_to_date(today: datetime.date, year_start_month: int) -> Period:
    start = service_year_start(today, year_start_month)
    return Period(start=start, end=today, label=f"Year to date ({_year_name(start)})", key=YEAR_TO_DATE)


def custom_period(start: datetime.date, end: datetime.date) -> Period:
    """The window a person typed: refused (ValueError) outside the dates reports cover."""
    check_period_dates(start, end)
    return Period(start=start, end=end)


def period_from_key(key: str, *, year_start_month: int, today: datetime.date) -> Period:
    """The period a key names: `2024-q1`, `2024` (a service year by its first calendar year) or `ytd`.

    Raises ValueError for anything else; custom periods carry their dates apart from the key.
    """
    if key == YEAR_TO_DATE:
        return year_to_date(today, year_start_month)
    year, separator, quarter = key.partition("-q")
    if not (year.isdigit() and len(year) == 4) or (separator and not quarter.isdigit()):
        raise ValueError(f"Not a period: {key!r}.")
    check_period_dates(datetime.date(int(year), year_start_month, 1))
    if separator:
        return service_quarter(int(year), int(quarter), year_start_month)
    return service_year(int(year), year_start_month)


def period_covering(days: Iterable[datetime.date], *, year_start_month: int) -> Period:
    """The smallest service quarter or year that holds every date, else the custom window from first to last."""
    days = sorted(days)
    if not days:
        raise ValueError("No dates to cover.")
    first, last = days[0], days[-1]
    if first < EARLIEST_PERIOD_DATE or last > LATEST_PERIOD_DATE:
        # A record saved before dates were bounded: its own window, with no quarter or year to compute.
        return Period(start=first, end=last)
    for candidate in (service_quarter_of(first, year_start_month), service_year_of(first, year_start_month)):
        if last in candidate:
            return candidate
    return custom_period(first, last)


def period_choices(*, year_start_month: int, today: datetime.date, earliest: datetime.date) -> list:
    """Grouped choices for a select: year to date, then each service year (newest first) with its begun quarters.

    An `earliest` before the dates reports cover (a value saved before they were bounded) offers from the first of
    them rather than centuries of years.
    """
    choices: list = [(YEAR_TO_DATE, "Year to date")]
    current = service_year_start(today, year_start_month).year
    first = service_year_start(max(min(earliest, today), EARLIEST_PERIOD_DATE), year_start_month).year
    for start_year in range(current, first - 1, -1):
        year = service_year(start_year, year_start_month)
        quarters = [service_quarter(start_year, q, year_start_month) for q in (4, 3, 2, 1)]
        options = [(q.key, q.label) for q in quarters if q.start <= today]
        options.append((year.key, f"The whole {year.label[0].lower()}{year.label[1:]}"))
        choices.append((year.label, options))
    choices.append((CUSTOM, "Custom dates (enter them below)"))
    return choices
