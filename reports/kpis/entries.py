"""The KPIs judged against their targets (kpis.md, "Targets and RAG"): each KPI's target for the period, its target
to date while the period is still running, and its status."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from pairs.cohorts import Cohorts
from pairs.models import Team
from pairs.periods import Period
from reports.figures import Count as CountFigure
from reports.figures import KpiStatus, Rate
from reports.kpis.cohort import shared_value
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

# The count in the figures that each rate KPI is a share of, for pages that show a rate beside its base.
RATE_BASES = {
    "outcome_pairing_rate": ("outcomes", "completed"),
    "training_positive_feedback": ("training", "feedback_returned"),
    "timeliness_first_contact": ("referrals", "timeliness", "with_first_contact"),
}


def _targets(teams: Sequence[Team], period: Period, own: dict) -> dict[str, float | None]:
    """Each KPI's target for the period: pro-rated counts summed over the teams, rates shared or none."""
    targets = {}
    for kpi in KPI_DEFINITIONS:
        per_team = []
        # Teams with the same schedule and service years have the same pro-rated target: most of a region's teams
        # keep the defaults, so it is worked out month by month once for them all.
        prorated: dict[tuple, Fraction | None] = {}
        for team in teams:
            schedule = schedule_for(kpi, own.get((team.pk, kpi.id), []))
            if kpi.is_rate:
                per_team.append(target_for_year(schedule, service_year_number(team, period.end)))
                continue
            same = (schedule, team.reporting_start, team.year_start_month)
            if same not in prorated:
                prorated[same] = prorated_sum(
                    lambda month, schedule=schedule, team=team: target_for_year(
                        schedule, service_year_number(team, month)
                    ),
                    period,
                )
            per_team.append(prorated[same])
        if kpi.is_rate:
            shared = shared_value(per_team)
            targets[kpi.id] = float(shared) if isinstance(shared, Decimal) else None
        else:
            known = [t for t in per_team if t is not None]
            targets[kpi.id] = round_target(sum(known)) if known else None
    return targets


def kpi_targets(
    teams: Sequence[Team], period: Period, today: datetime.date
) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Each KPI's target for the whole period, and its target to date: for a period that contains `today`, counts
    pro-rated from its start to today and rates as they are (rates are never pro-rated); otherwise None. 1 query."""
    return kpi_targets_by_cohort(Cohorts.one(teams, period), today)[0]


def kpi_targets_by_cohort(
    cohorts: Cohorts, today: datetime.date
) -> list[tuple[dict[str, float | None], dict[str, float | None]]]:
    """`kpi_targets` of each cohort's teams for its period, in the cohorts' order. 1 query."""
    every_team = {team.pk: team for cohort in cohorts.cohorts for team in cohort.teams}
    own = KpiTarget.objects.filter(team__in=list(every_team.values())).by_team_and_kpi()
    judged = []
    for cohort in cohorts.cohorts:
        teams, period = cohort.teams, cohort.period
        targets = _targets(teams, period, own)
        if today not in period:
            judged.append((targets, dict.fromkeys(targets)))
            continue
        so_far = _targets(teams, Period(period.start, today), own)
        judged.append(
            (targets, {kpi.id: targets[kpi.id] if kpi.is_rate else so_far[kpi.id] for kpi in KPI_DEFINITIONS})
        )
    return judged


def kpi_entries(report: dict, targets: dict, targets_to_date: dict) -> list[dict]:
    """One entry per KPI: its target, target to date, actual (a rate's numerator), rate and status, the status judged
    against the target to date while the period runs."""
    training = report["training"]
    actual_counts = {
        "training_participants": training["participants"],
        "training_sessions": training["sessions"],
        "consultations": report["consultations"]["total"],
        "families_supported": report["referrals"]["families_supported"],
    }
    rates = {
        "outcome_pairing_rate": report["outcomes"]["pairing_rate"],
        "training_positive_feedback": Rate(training["feedback_positive"].value, training["feedback_returned"].value),
        "timeliness_first_contact": report["referrals"]["timeliness"]["within_target"],
    }
    entries = []
    for kpi in KPI_DEFINITIONS:
        target, to_date = targets[kpi.id], targets_to_date[kpi.id]
        judged_against = target if to_date is None else to_date
        entry = {"id": kpi.id, "target": target, "target_to_date": to_date}
        if kpi.is_rate:
            rate = rates[kpi.id]
            if rate is None:
                entries.append({**entry, "actual": None, "rate": None, "status": "no_target"})
                continue
            actual = CountFigure(rate.numerator)
            status = rag_status(actual=rate.value, target=judged_against, base=rate.denominator)
            entries.append({**entry, "actual": actual, "rate": rate, "status": KpiStatus(status, (actual, rate))})
        else:
            actual = actual_counts[kpi.id]
            status = rag_status(actual=actual.value, target=judged_against)
            entries.append({**entry, "actual": actual, "rate": None, "status": KpiStatus(status, (actual,))})
    return entries
