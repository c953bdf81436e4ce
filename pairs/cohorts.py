"""Several cohorts asked in one query: each row placed in the cohort its team and date fall in, and judged as at the
end of that cohort's period.

A cohort is kpis.md's: the referrals some teams received in a period. The dashboard's trend shows the KPIs of eight
quarters of a team, and the teams compared those of each team for one period. Asked one cohort at a time, each costs
the same handful of queries, and most of their time is Python building the SQL, not the database running it
(bench/README.md). Asked together, each query groups its rows by cohort (`index_of`) and judges each referral's
state, clocks and questionnaires as at the end of its cohort's period (`end_of`): eight quarters, or fifty teams,
cost about what one does, and every figure is the one the cohort alone gives.

Where a selector takes the day its figures are as at, it takes an `AsAt`: that day, or the `Cohorts` of its
referrals, which `day_as_at` turns into the day each referral is judged as at.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Case, DateField, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.lookups import Exact, In, Range

from pairs.models import Team
from pairs.periods import Period


@dataclass(frozen=True)
class Cohort:
    """The referrals some teams received in a period (kpis.md, cohort rules)."""

    teams: tuple[Team, ...]
    period: Period

    @classmethod
    def of(cls, teams: Iterable[Team], period: Period) -> "Cohort":
        return cls(tuple(teams), period)

    @property
    def team_ids(self) -> frozenset[int]:
        return frozenset(team.pk for team in self.teams)


@dataclass(frozen=True)
class Cohorts:
    """Cohorts that share no referral, in the order given: no team is in two whose periods overlap. A row's cohort
    is the one its team and date fall in (none outside them all)."""

    cohorts: tuple[Cohort, ...]

    def __post_init__(self):
        if not self.cohorts:
            raise ValueError("Give at least one cohort.")
        for first, second in combinations(self.cohorts, 2):
            overlap = first.period.start <= second.period.end and second.period.start <= first.period.end
            if overlap and first.team_ids & second.team_ids:
                raise ValueError(
                    f"Two cohorts share a team over {first.period.description} and {second.period.description}."
                )

    @classmethod
    def one(cls, teams: Iterable[Team], period: Period) -> "Cohorts":
        return cls((Cohort.of(teams, period),))

    def __len__(self) -> int:
        return len(self.cohorts)

    @property
    def single_end(self) -> datetime.date | None:
        """The end of every cohort's period when they all end on the same day, else None."""
        ends = {cohort.period.end for cohort in self.cohorts}
        return ends.pop() if len(ends) == 1 else None

    def _case(self, day: Combinable, team: Combinable, values: list, output_field) -> Case:
        whens = (
            When(
                Range(day, (cohort.period.start, cohort.period.end)) & _is_in(team, cohort.team_ids),
                then=Value(value),
            )
            for cohort, value in zip(self.cohorts, values, strict=True)
        )
        return Case(*whens, output_field=output_field)

    def index_of(self, day: Combinable, team: Combinable) -> Case:
        """The position in `cohorts` of the cohort of a row, from expressions of its date and its team's id."""
        return self._case(day, team, list(range(len(self.cohorts))), IntegerField())

    def end_of(self, day: Combinable, team: Combinable) -> Case:
        """The last day of the period of a row's cohort, from expressions of its date and its team's id."""
        return self._case(day, team, [cohort.period.end for cohort in self.cohorts], DateField())

    def within(self, day: str, team: str) -> Q:
        """The rows whose date (the field `day`) and team (the field `team`) fall in one of the cohorts."""
        condition = Q()
        for cohort in self.cohorts:
            condition |= Q(
                **{f"{day}__range": (cohort.period.start, cohort.period.end), f"{team}__in": sorted(cohort.team_ids)}
            )
        return condition


def _is_in(team: Combinable, team_ids: frozenset[int]):
    ids = sorted(team_ids)
    return Exact(team, ids[0]) if len(ids) == 1 else In(team, ids)


AsAt = datetime.date | Cohorts


def day_as_at(as_at: AsAt, received_on: Combinable, team: Combinable) -> datetime.date | Case:
    """The day a referral of one of the cohorts is judged as at: the day itself, or the end of its cohort's period,
    from expressions of its receipt date and its team's id (`F("received_on")`, `OuterRef("referral__team_id")`).
    When every cohort ends on the same day (one period, or teams compared over one), that day: the query is then
    the one a day gives, cheaper to build than the expression."""
    if not isinstance(as_at, Cohorts):
        return as_at
    return as_at.single_end or as_at.end_of(received_on, team)
