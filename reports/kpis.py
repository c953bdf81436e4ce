"""The KPI engine: every figure of kpis.md for one team or a set of teams (summed) over any period.

`kpi_report()` returns the report as the dictionary of data-contract.md section 2, holding typed figures
(`reports.figures`); `kpi_export()` turns it into JSON-ready values, exact for the service or under the team's
disclosure-control rule for a commissioner. Everything that shows a KPI (the command, the dashboard, the PDFs, the
exports) reads it from here. The figures are aggregated in the database by the apps' own selectors and QuerySet
methods, in a number of queries that does not depend on the amount of data; Python computes only the final
statistics from a handful of values (the waits at a median's or percentile's rank, means of a few sums).
"""

import datetime
import math
import statistics
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate

from outcomes.selectors import cohort_statistics, with_paired_outcomes
from pairs.models import DisclosureControl, Team
from pairs.periods import Period
from referrals.models import Appointment, Infant, InterventionEpisode, Pathway, Referral
from referrals.pipeline import Status
from reports.figures import Count as CountFigure
from reports.figures import Rate, Statistic, export
from reports.models import KpiTarget
from reports.targets import (
    KPI_DEFINITIONS,
    prorated_sum,
    rag_status,
    round_target,
    schedule_for,
    service_year_number,
    target_for_year,
)
from training.selectors import workforce_figures

# The engagement table's statuses, in the published order (kpis.md); awaiting_decision shows only when non-zero.
ENGAGEMENT_STATUSES = [status.value for status in Status]
ACCEPTED_STATUSES = [s for s in ENGAGEMENT_STATUSES if s not in (Status.AWAITING_DECISION, Status.NOT_ACCEPTED)]
SUPPORTED_STATUSES = [Status.IN_PROGRESS, Status.COMPLETED, Status.DISENGAGED_DURING_INTERVENTION]
FINISHED_INTERVENTION_STATUSES = [Status.COMPLETED, Status.DISENGAGED_DURING_INTERVENTION]
DAYS_PER_MONTH = 365.25 / 12


def _counts(tree):
    """Wrap every integer of a selector's block as a Count figure (the workforce blocks are all counts)."""
    if isinstance(tree, dict):
        return {key: _counts(value) for key, value in tree.items()}
    if isinstance(tree, int) and not isinstance(tree, bool):
        return CountFigure(tree)
    return tree


def _cohort(teams: Sequence[Team], period: Period) -> QuerySet:
    """Referrals in the period: those received in it (kpis.md, cohort rules)."""
    return Referral.objects.filter(team__in=teams, received_on__range=(period.start, period.end)).order_by()


def _referral_figures(teams: Sequence[Team], period: Period, cohort: QuerySet) -> dict:
    by_pathway_status = {
        (row["pathway"], row["status_as_at"]): row["n"]
        for row in cohort.with_status_as_at(period.end).values("pathway", "status_as_at").annotate(n=Count("pk"))
    }

    def count(pathways, statuses) -> int:
        return sum(by_pathway_status.get((p, s), 0) for p in pathways for s in statuses)

    pathways = list(Pathway.values)
    engagement = {
        pathway: {status: CountFigure(count([pathway], [status])) for status in ENGAGEMENT_STATUSES}
        for pathway in pathways
    }
    engagement["total"] = {status: CountFigure(count(pathways, [status])) for status in ENGAGEMENT_STATUSES}
    by_referrer = (
        cohort.values_list("referrer_service__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "referrer_service__sort_order", "referrer_service__code")
    )
    return {
        "received": CountFigure(count(pathways, ENGAGEMENT_STATUSES)),
        "accepted": CountFigure(count(pathways, ACCEPTED_STATUSES)),
        "antenatal": CountFigure(cohort.filter(is_antenatal=True).count()),
        "by_pathway": {
            pathway: {
                "received": CountFigure(count([pathway], ENGAGEMENT_STATUSES)),
                "accepted": CountFigure(count([pathway], ACCEPTED_STATUSES)),
            }
            for pathway in pathways
        },
        "engagement": engagement,
        "by_referrer_service": {code: CountFigure(n) for code, n in by_referrer},
        "families_supported": CountFigure(count(pathways, SUPPORTED_STATUSES)),
        "timeliness": _timeliness(teams, period, cohort),
        "mean_infant_age_months": _mean_infant_ages(cohort),
    }


def _timeliness(teams: Sequence[Team], period: Period, cohort: QuerySet) -> dict:
    """Days from received to first contact (a recorded first contact or the first attended appointment, whichever
    came first, on or before the period's end): median, 90th percentile (nearest rank) and the share within target.
    """
    first_attended = Subquery(
        Appointment.objects.filter(
            referral=OuterRef("pk"), outcome=Appointment.Outcome.ATTENDED, starts_at__date__lte=period.end
        )
        .order_by("starts_at")
        .annotate(on=TruncDate("starts_at"))
        .values("on")[:1]
    )
    recorded = Case(When(first_contact_on__lte=period.end, then=F("first_contact_on")), default=None)
    # LEAST of two possibly empty dates, the same on SQLite (NULL wins) and PostgreSQL (NULL ignored).
    first_contact = Least(Coalesce(recorded, first_attended), Coalesce(first_attended, recorded))
    waits = (
        cohort.annotate(first_contact=first_contact)
        .exclude(first_contact=None)
        .annotate(wait=ExpressionWrapper(F("first_contact") - F("received_on"), output_field=DurationField()))
    )
    target_days = _shared_value([team.first_contact_target_days for team in teams])
    counts = {"n": Count("pk")}
    if target_days is not None:
        counts["within"] = Count("pk", filter=Q(wait__lte=datetime.timedelta(days=target_days)))
    totals = waits.aggregate(**counts)
    n = totals["n"]
    ordered = waits.order_by("wait", "pk").values_list("wait", flat=True)
    median = p90 = None
    if n:
        # Only the waits at the ranks wanted are fetched: the middle one or two, and the nearest rank for 90%.
        median = statistics.median(wait.days for wait in ordered[(n - 1) // 2 : n // 2 + 1])
        p90 = ordered[math.ceil(0.9 * n) - 1].days
    return {
        "with_first_contact": CountFigure(n),
        "median_days_to_first_contact": Statistic(median, n, 1),
        "p90_days_to_first_contact": Statistic(p90, n, 1),
        "within_target": Rate(totals["within"], n) if target_days is not None else None,
        "target_days": target_days,
    }


def _mean_infant_ages(cohort: QuerySet) -> dict:
    """Mean age in months at referral by pathway, over infants born by then (antenatal referrals excluded)."""
    age = ExpressionWrapper(F("referral__received_on") - F("date_of_birth"), output_field=DurationField())
    rows = (
        Infant.objects.filter(
            referral__in=cohort.filter(is_antenatal=False).values("pk"),
            date_of_birth__isnull=False,
            date_of_birth__lte=F("referral__received_on"),
        )
        .values("referral__pathway")
        .annotate(mean_age=Avg(age), n=Count("pk"))
        .order_by()
    )
    found = {row["referral__pathway"]: row for row in rows}
    ages = {}
    for pathway in Pathway.values:
        row = found.get(pathway)
        months = row["mean_age"] / datetime.timedelta(days=1) / DAYS_PER_MONTH if row else None
        ages[pathway] = Statistic(months, row["n"] if row else 0, 1)
    return ages


def _intervention_figures(period: Period, cohort: QuerySet) -> dict:
    """The families who finished intervention, as the published report counts them (data-contract.md)."""
    statuses = cohort.with_status_as_at(period.end)
    finished = statuses.filter(status_as_at__in=FINISHED_INTERVENTION_STATUSES).values("pk")
    active = statuses.filter(status_as_at=Status.IN_PROGRESS).values("pk")
    episodes = InterventionEpisode.objects.filter(started_on__lte=period.end).order_by()
    finished_episodes = episodes.filter(referral__in=finished)
    totals = finished_episodes.aggregate(episodes=Count("pk"), families=Count("referral", distinct=True))
    by_code = (
        finished_episodes.values_list("intervention__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "intervention__sort_order", "intervention__code")
    )
    return {
        "episodes": CountFigure(totals["episodes"]),
        "families": CountFigure(totals["families"]),
        "by_intervention": {code: CountFigure(n) for code, n in by_code},
        "active_episodes": CountFigure(episodes.filter(referral__in=active).count()),
    }


def _outcome_figures(period: Period, cohort: QuerySet, completed: int) -> dict:
    completed_referrals = cohort.with_status_as_at(period.end).filter(status_as_at=Status.COMPLETED)
    paired = with_paired_outcomes(completed_referrals, end=period.end).filter(has_paired_outcomes=True).count()
    instruments = {}
    for code, figures in cohort_statistics(cohort, end=period.end).items():
        if "n" in figures:
            instruments[code] = _instrument_figures(figures)
        else:
            instruments[code] = {scale: _instrument_figures(values) for scale, values in figures.items()}
    return {
        "completed": CountFigure(completed),
        "paired": CountFigure(paired),
        "pairing_rate": Rate(paired, completed),
        "instruments": instruments,
    }


def _instrument_figures(figures: dict) -> dict:
    n = figures["n"]

    def count_or_none(value):
        return None if value is None else CountFigure(value)

    return {
        "n": CountFigure(n),
        "mean_t1": Statistic(figures["mean_t1"], n, 2),
        "mean_t2": Statistic(figures["mean_t2"], n, 2),
        "mean_change": Statistic(figures["mean_change"], n, 2),
        "p_value": Statistic(figures["p_value"], n, 4),
        "effect_size": Statistic(figures["effect_size"], n, 2),
        "reliably_improved": count_or_none(figures["reliably_improved"]),
        "no_reliable_change": count_or_none(figures["no_reliable_change"]),
        "reliably_deteriorated": count_or_none(figures["reliably_deteriorated"]),
    }


def _shared_value(values: list):
    """The value when every team has the same one, else None: a set of teams has no single rate target."""
    return values[0] if values and all(value == values[0] for value in values) else None


def _targets(teams: Sequence[Team], period: Period) -> dict[str, float | None]:
    """Each KPI's target for the period: pro-rated counts summed over the teams, rates shared or none."""
    own = KpiTarget.objects.filter(team__in=teams).by_team_and_kpi()
    targets = {}
    for kpi in KPI_DEFINITIONS:
        per_team = []
        for team in teams:
            schedule = schedule_for(kpi, own.get((team.pk, kpi.id), []))
            if kpi.is_rate:
                per_team.append(target_for_year(schedule, service_year_number(team, period.end)))
            else:
                per_team.append(
                    prorated_sum(
                        lambda month, schedule=schedule, team=team: target_for_year(
                            schedule, service_year_number(team, month)
                        ),
                        period,
                    )
                )
        if kpi.is_rate:
            shared = _shared_value(per_team)
            targets[kpi.id] = float(shared) if isinstance(shared, Decimal) else None
        else:
            known = [t for t in per_team if t is not None]
            targets[kpi.id] = round_target(sum(known)) if known else None
    return targets


# The count in the figures that each rate KPI is a share of, for pages that show a rate beside its base.
RATE_BASES = {
    "outcome_pairing_rate": ("outcomes", "completed"),
    "training_positive_feedback": ("training", "feedback_returned"),
    "timeliness_first_contact": ("referrals", "timeliness", "with_first_contact"),
}


def _kpi_entries(report: dict, targets: dict[str, float | None]) -> list[dict]:
    training = report["training"]
    timeliness = report["referrals"]["timeliness"]
    outcomes = report["outcomes"]
    actual_counts = {
        "training_participants": training["participants"],
        "training_sessions": training["sessions"],
        "consultations": report["consultations"]["total"],
        "families_supported": report["referrals"]["families_supported"],
    }
    rates = {
        "outcome_pairing_rate": outcomes["pairing_rate"],
        "training_positive_feedback": Rate(training["feedback_positive"].value, training["feedback_returned"].value),
        "timeliness_first_contact": timeliness["within_target"],
    }
    entries = []
    for kpi in KPI_DEFINITIONS:
        target = targets[kpi.id]
        if kpi.is_rate:
            rate = rates[kpi.id]
            if rate is None:
                entries.append({"id": kpi.id, "target": target, "actual": None, "rate": None, "status": "no_target"})
                continue
            status = rag_status(actual=rate.value, target=target, base=rate.denominator)
            entries.append(
                {"id": kpi.id, "target": target, "actual": CountFigure(rate.numerator), "rate": rate, "status": status}
            )
        else:
            actual = actual_counts[kpi.id]
            status = rag_status(actual=actual.value, target=target)
            entries.append({"id": kpi.id, "target": target, "actual": actual, "rate": None, "status": status})
    return entries


def kpi_report(*, teams: Sequence[Team], period: Period) -> dict:
    """Every KPI of kpis.md for the teams (summed) over the period, as typed figures."""
    teams = list(teams)
    cohort = _cohort(teams, period)
    workforce = _counts(workforce_figures(teams=teams, period=period))
    referrals = _referral_figures(teams, period, cohort)
    report = {
        "team": ",".join(team.slug for team in teams),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "months": period.months},
        "training": workforce["training"],
        "awareness": workforce["awareness"],
        "universal": workforce["universal"],
        "consultations": workforce["consultations"],
        "referrals": referrals,
        "interventions": _intervention_figures(period, cohort),
        "outcomes": _outcome_figures(period, cohort, referrals["engagement"]["total"][Status.COMPLETED].value),
    }
    report["kpis"] = _kpi_entries(report, _targets(teams, period))
    return report


def disclosure_rule(teams: Sequence[Team]) -> str:
    """The strictest rule among the teams': figures summed across teams obey every team's agreement."""
    strictness = [DisclosureControl.NONE, DisclosureControl.HES, DisclosureControl.MHSDS]
    return max((team.disclosure_control for team in teams), key=strictness.index, default=DisclosureControl.HES)


def kpi_export(*, teams: Sequence[Team], period: Period, commissioner: bool = False) -> dict:
    """The KPI export of data-contract.md section 2: exact, or as a commissioner sees it."""
    teams = list(teams)
    report = kpi_report(teams=teams, period=period)
    if not commissioner:
        return export(report)
    rule = disclosure_rule(teams)
    return {"disclosure_control": rule, **export(report, rule)}
