"""Several periods asked in one query: each row placed in the period its date falls in, and judged as at its end.

The dashboard's trend shows the KPIs of eight quarters. Asked a quarter at a time, each quarter costs the same
handful of queries, and most of their time is Python building the SQL, not the database running it
(bench/README.md). Asked together, each query groups its rows by quarter (`index_of`) and judges each referral's
state, clocks and questionnaires as at the end of the quarter it was received in (`end_of`): eight quarters cost
about what one does, and every figure is the one the quarter alone gives.

Where a selector takes the day its figures are as at, it takes an `AsAt`: that day, or the `PeriodEnds` of its
referrals, which `day_as_at` turns into the day each referral is judged as at.
"""

import datetime
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Case, DateField, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.lookups import Range

from pairs.periods import Period


@dataclass(frozen=True)
class PeriodEnds:
    """Disjoint periods, in the order given: a row's period is the one its date falls in (none outside them all)."""

    periods: tuple[Period, ...]

    def __post_init__(self):
        if not self.periods:
            raise ValueError("Give at least one period.")
        ordered = sorted(self.periods, key=lambda period: period.start)
        for earlier, later in pairwise(ordered):
            if later.start <= earlier.end:
                raise ValueError(f"The periods {earlier.description} and {later.description} overlap.")

    def _case(self, day: Combinable, values: list, output_field) -> Case:
        whens = (
            When(Range(day, (period.start, period.end)), then=Value(value))
            for period, value in zip(self.periods, values, strict=True)
        )
        return Case(*whens, output_field=output_field)

    def index_of(self, day: Combinable) -> Case:
        """The position in `periods` of the period `day` (an expression of the row's date) falls in."""
        return self._case(day, list(range(len(self.periods))), IntegerField())

    def end_of(self, day: Combinable) -> Case:
        """The last day of the period `day` (an expression of the row's date) falls in."""
        return self._case(day, [period.end for period in self.periods], DateField())

    def within(self, field: str) -> Q:
        """The rows whose `field` (a date) is in one of the periods."""
        condition = Q()
        for period in self.periods:
            condition |= Q(**{f"{field}__range": (period.start, period.end)})
        return condition


AsAt = datetime.date | PeriodEnds


def day_as_at(as_at: AsAt, received_on: Combinable) -> datetime.date | Case:
    """The day a referral received in one of the periods is judged as at: the day itself, or the end of the period
    the referral was received in, `received_on` being an expression of its receipt date (`F("received_on")`,
    `OuterRef("referral__received_on")`). With a single period, that is its end: the query is then the one a day
    gives, cheaper to build than the expression."""
    if not isinstance(as_at, PeriodEnds):
        return as_at
    if len(as_at.periods) == 1:
        return as_at.periods[0].end
    return as_at.end_of(received_on)
