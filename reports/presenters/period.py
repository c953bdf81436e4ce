"""The period a report page shows, and the picker that changes it.

Every period has one stable link, `?start=2023-03-01&end=2024-05-31`, that a manager can bookmark or send and
that shows the same window to a manager and a commissioner alike. The picker (a quarter or a whole service year,
the year to date, or custom dates) is `pairs.forms.PeriodForm`; choosing with it leads to that period's stable
link. A link's dates that name a quarter, a service year or the year to date are shown under that name.
"""

import datetime
from dataclasses import dataclass

from django.http import QueryDict

from pairs.forms import PeriodForm
from pairs.models import Team
from pairs.periods import (
    CUSTOM,
    Period,
    add_months,
    check_period_dates,
    custom_period,
    format_date,
    service_quarter_of,
    service_year_of,
    year_to_date,
)


def stable_query(period: Period) -> str:
    return f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"


def named_period(start: datetime.date, end: datetime.date, *, year_start_month: int, today: datetime.date) -> Period:
    """The window from `start` to `end`, under its name when it is a service quarter, a service year or the year to
    date."""
    for candidate in (
        service_quarter_of(start, year_start_month),
        service_year_of(start, year_start_month),
        year_to_date(today, year_start_month),
    ):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return custom_period(start, end)


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class PeriodChoice:
    """What the query string asks for: the period to show, the picker, and where to go instead (the stable link
    of a period chosen with the picker), or the problem with a link's dates."""

    period: Period
    form: PeriodForm
    today: datetime.date
    redirect_query: str | None = None
    problem: str = ""

    @property
    def query(self) -> str:
        return stable_query(self.period)

    @property
    def is_running(self) -> bool:
        return self.today in self.period

    @property
    def running_note(self) -> str:
        if not self.is_running:
            return ""
        return (
            f"This period is still running. The figures are those recorded by today, {format_date(self.today)}, and "
            "each count is judged against its target to date: the target pro-rated to today. The whole period's "
            "target is shown beside it."
        )

    @property
    def shortcuts(self) -> list[Link]:
        """This and last quarter, the year to date, this and last service year: the periods most often wanted."""
        month = self.form.year_start_month
        this_quarter = service_quarter_of(self.today, month)
        this_year = service_year_of(self.today, month)
        periods = [
            ("This quarter", this_quarter),
            ("Last quarter", service_quarter_of(this_quarter.start - datetime.timedelta(days=1), month)),
            ("Year to date", year_to_date(self.today, month)),
            ("This service year", this_year),
            ("Last service year", service_year_of(this_year.start - datetime.timedelta(days=1), month)),
        ]
        shown = (self.period.start, self.period.end)
        return [Link(label, f"?{stable_query(p)}", (p.start, p.end) == shown) for label, p in periods]

    @property
    def neighbours(self) -> list[Link]:
        """The quarter or service year before the one shown and, once it has begun, the one after it."""
        month = self.form.year_start_month
        start, end = self.period.start, self.period.end
        if self.period.key == CUSTOM or self.period.key == "ytd":
            return []
        is_quarter = "-q" in self.period.key
        of = service_quarter_of if is_quarter else service_year_of
        noun = "quarter" if is_quarter else "service year"
        before = of(start - datetime.timedelta(days=1), month)
        after = of(end + datetime.timedelta(days=1), month)
        links = [Link(f"Previous {noun}: {before.label}", f"?{stable_query(before)}")]
        if after.start <= self.today:
            links.append(Link(f"Next {noun}: {after.label}", f"?{stable_query(after)}"))
        return links


def _picker(team: Team, today: datetime.date, data: QueryDict | None = None) -> PeriodForm:
    return PeriodForm.for_team(data, team=team, today=today)


def _iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def requested_period(query: QueryDict, *, team: Team, today: datetime.date) -> PeriodChoice:
    """The period `query` asks for: a stable link's `start` and `end`, a choice made with the picker (which leads
    to its stable link), or by default the current quarter."""
    if "period" in query:
        form = _picker(team, today, query)
        if form.is_bound and form.is_valid():
            chosen = form.cleaned_data["chosen"]
            return PeriodChoice(chosen, form, today, redirect_query=stable_query(chosen))
        return PeriodChoice(form.default, form, today)
    form = _picker(team, today)
    if "start" not in query and "end" not in query:
        return PeriodChoice(form.default, form, today)
    start, end = _iso_date(query.get("start", "")), _iso_date(query.get("end", ""))
    if start is None or end is None or end < start:
        problem = (
            "The link's dates are not a period: it needs a first and a last day, such as "
            "?start=2024-04-01&end=2024-06-30, the last on or after the first. This quarter is shown instead."
        )
        return PeriodChoice(form.default, form, today, problem=problem)
    try:
        check_period_dates(start, end)
    except ValueError as error:
        problem = f"The link's dates are not a period reports cover. {error}. This quarter is shown instead."
        return PeriodChoice(form.default, form, today, problem=problem)
    period = named_period(start, end, year_start_month=team.year_start_month, today=today)
    form.fields["period"].initial = period.key
    if period.key == CUSTOM:
        form.initial = {"start": start, "end": end}
    return PeriodChoice(period, form, today)


def eight_quarters_to(period: Period, *, year_start_month: int, since: datetime.date) -> list[Period]:
    """The eight service quarters ending with the one that holds the period's last day, leaving out those that
    ended before `since` (the service's start)."""
    last = service_quarter_of(period.end, year_start_month)
    quarters = [service_quarter_of(add_months(last.start, -3 * back), year_start_month) for back in range(7, -1, -1)]
    return [quarter for quarter in quarters if quarter.end >= since]
