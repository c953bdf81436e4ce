"""The workforce figures of kpis.md for a team, or a set of teams summed, over a period.

Each function returns a plain dict shaped exactly like its block of the KPI export (data-contract.md section 2),
computed in the database in a fixed number of queries whatever the number of records. These are aggregates, not
records: callers decide who may see them (service managers exactly; commissioners through the reports' disclosure
control).
"""

from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from pairs.cohorts import Cohorts
from pairs.models import Team
from pairs.periods import Period
from training.models import (
    AwarenessEvent,
    Consultation,
    ConsultationOutcome,
    Feedback,
    FeedbackKind,
    SessionType,
    TrainingSession,
    UniversalOfferContact,
)

Teams = Team | Iterable[Team] | QuerySet


def _for(model, teams: Teams, period: Period) -> QuerySet:
    scope = Q(team=teams) if isinstance(teams, Team) else Q(team__in=teams)
    return model.objects.filter(scope).in_period(period).order_by()


def _by_cohort(model, cohorts: Cohorts) -> QuerySet:
    """The records of each cohort's teams in its period, as rows grouped by `cohort` (its position in `cohorts`)."""
    records = model.objects.filter(cohorts.within("date", "team"))
    return records.annotate(cohort=cohorts.index_of(F("date"), F("team_id"))).values("cohort").order_by()


def _per_cohort(rows: QuerySet, cohorts: Cohorts, names: Iterable[str]) -> list[dict]:
    """Each cohort's row of `rows` (grouped by `_by_cohort`), zeros for a cohort without records."""
    found = {row["cohort"]: row for row in rows}
    return [found.get(index, dict.fromkeys(names, 0)) for index in range(len(cohorts))]


def _teams(teams: Teams) -> Iterable[Team]:
    return [teams] if isinstance(teams, Team) else teams


def _sum(field: str, **filters):
    return Coalesce(Sum(field, filter=Q(**filters) if filters else None), 0)


def training_figures(*, teams: Teams, period: Period) -> dict:
    """Sessions and participants, in total and by type (all four types), and training feedback forms. 1 query."""
    return training_figures_by_cohort(Cohorts.one(_teams(teams), period))[0]


def training_figures_by_cohort(cohorts: Cohorts) -> list[dict]:
    """`training_figures` of each cohort's teams over its period, in their order. 1 query."""
    # Grouped by type and added up here: a filtered aggregate of each figure of each type made the query three
    # times as many expressions to build, for the four rows a cohort that grouping gives.
    rows = (
        _by_cohort(TrainingSession, cohorts)
        .values("cohort", "session_type")
        .annotate(
            sessions=Count("pk"),
            people=_sum("participants"),
            forms_returned=_sum("feedback_returned"),
            forms_positive=_sum("feedback_positive"),
        )
    )
    by_type = [{kind: {"sessions": 0, "participants": 0} for kind in SessionType.values} for _ in cohorts.cohorts]
    feedback = [{"returned": 0, "positive": 0} for _ in cohorts.cohorts]
    for row in rows:
        cohort = row["cohort"]
        by_type[cohort][row["session_type"]] = {"sessions": row["sessions"], "participants": row["people"]}
        feedback[cohort]["returned"] += row["forms_returned"]
        feedback[cohort]["positive"] += row["forms_positive"]
    return [
        {
            "sessions": sum(figures["sessions"] for figures in types.values()),
            "participants": sum(figures["participants"] for figures in types.values()),
            "by_type": types,
            "feedback_returned": forms["returned"],
            "feedback_positive": forms["positive"],
        }
        for types, forms in zip(by_type, feedback, strict=True)
    ]


def consultation_figures(*, teams: Teams, period: Period) -> dict:
    """Consultations in total and by outcome (all four), children discussed, and by consultee service. 1 query.

    `children` sums the consultations that recorded how many children were discussed; `children_recorded_in`
    counts those consultations. `by_service` lists only services with consultations, the most first.
    """
    # One row an outcome and service (a few dozen), added up here into the totals, the outcomes and the services.
    rows = (
        _for(Consultation, teams, period)
        .values("outcome", code=F("consultee_service__code"), sort_order=F("consultee_service__sort_order"))
        .annotate(n=Count("pk"), recorded_in=Count("children"), children_discussed=_sum("children"))
    )
    by_outcome = dict.fromkeys(ConsultationOutcome.values, 0)
    by_service: dict[tuple, int] = {}
    recorded_in = children = 0
    for row in rows:
        by_outcome[row["outcome"]] += row["n"]
        service = (row["sort_order"], row["code"])
        by_service[service] = by_service.get(service, 0) + row["n"]
        recorded_in += row["recorded_in"]
        children += row["children_discussed"]
    most_first = sorted(by_service.items(), key=lambda item: (-item[1], *item[0]))
    return {
        "total": sum(by_outcome.values()),
        "by_outcome": by_outcome,
        "children_recorded_in": recorded_in,
        "children": children,
        "by_service": {code: n for (_, code), n in most_first},
    }


def consultation_totals(cohorts: Cohorts) -> list[int]:
    """The consultations block's total alone of each cohort's teams over its period, in their order, for the
    reports that show only the KPIs. 1 query."""
    rows = _by_cohort(Consultation, cohorts).annotate(total=Count("pk"))
    return [row["total"] for row in _per_cohort(rows, cohorts, ["total"])]


def awareness_figures(*, teams: Teams, period: Period) -> dict:
    """Awareness events and the people they engaged. 1 query."""
    figures = _for(AwarenessEvent, teams, period).aggregate(events=Count("pk"), people=_sum("people_engaged"))
    return {"events": figures["events"], "people_engaged": figures["people"]}


def universal_figures(*, teams: Teams, period: Period) -> dict:
    """Dyads reached by universal offers, counted apart from targeted and specialist families. 1 query."""
    return {"dyads": _for(UniversalOfferContact, teams, period).aggregate(reached=_sum("dyads"))["reached"]}


def workforce_figures(*, teams: Teams, period: Period) -> dict:
    """The `training`, `consultations`, `awareness` and `universal` blocks of the KPI export. 4 queries."""
    return {
        "training": training_figures(teams=teams, period=period),
        "consultations": consultation_figures(teams=teams, period=period),
        "awareness": awareness_figures(teams=teams, period=period),
        "universal": universal_figures(teams=teams, period=period),
    }


def feedback_figures(*, teams: Teams, period: Period) -> dict:
    """Feedback received in the period by type, and the complaints among it still open. 1 query."""
    figures = _for(Feedback, teams, period).totals()
    return {
        "total": figures["records"],
        "by_kind": {kind: figures[kind] for kind in FeedbackKind.values},
        "open_complaints": figures["open_complaints"],
    }
