"""The KPI engine: every figure of kpis.md for one team or a set of teams (summed) over any period.

`kpi_report()` returns the report as the dictionary of data-contract.md sections 2 and 2.1, holding typed figures
(`reports.figures`); `kpi_export()` turns it into JSON-ready values, exact for the service or under the teams'
disclosure-control rule for a commissioner (`reports.disclosure`). Everything that shows a KPI (the command, the
dashboard, the PDFs, the exports) reads it from here. The figures are aggregated in the database, by the apps' own
selectors and by the modules of this package, in a number of queries that does not depend on the amount of data;
Python computes only the final statistics from a handful of values (the waits at a median's or percentile's rank,
means of a few sums).

One module a block: `referral_figures` (with `clocks`, `ranks` and `profile`), `activity` (interventions,
appointments, group places), `outcome_figures`, `reach`, and `entries` (the KPIs against their targets).
"""

import datetime
from collections.abc import Sequence

from django.utils import timezone

from pairs.cohorts import Cohort, Cohorts
from pairs.models import Team
from pairs.periods import Period
from referrals.models import Pathway
from referrals.pipeline import Status
from reports.disclosure import disclosure_rule
from reports.figures import Count as CountFigure
from reports.figures import Rate, export
from reports.kpis.activity import appointment_figures, group_place_figures, intervention_figures
from reports.kpis.clocks import timeliness_by_cohort
from reports.kpis.cohort import ACCEPTED_STATUSES, ENGAGEMENT_STATUSES, SUPPORTED_STATUSES, cohort_of, cohorts_of
from reports.kpis.entries import RATE_BASES, kpi_entries, kpi_targets, kpi_targets_by_cohort
from reports.kpis.outcome_figures import outcome_figures, pairing_by_cohort
from reports.kpis.profile import DAYS_PER_MONTH
from reports.kpis.reach import reach_figures
from reports.kpis.referral_figures import StatusCounts, referral_figures
from training.selectors import consultation_totals, training_figures_by_cohort, workforce_figures

__all__ = [
    "DAYS_PER_MONTH",
    "RATE_BASES",
    "disclosure_rule",
    "kpi_export",
    "kpi_headline",
    "kpi_headline_exports",
    "kpi_headlines",
    "kpi_report",
]


def _counts(tree):
    """Wrap every integer of a selector's block as a Count figure (the workforce blocks are all counts)."""
    if isinstance(tree, dict):
        return {key: _counts(value) for key, value in tree.items()}
    if isinstance(tree, int) and not isinstance(tree, bool):
        return CountFigure(tree)
    return tree


def _consultations(block: dict) -> dict:
    """The consultations block with each outcome's share of all consultations beside the counts (data-contract 2.1)."""
    shares = {outcome: Rate(count.value, block["total"].value) for outcome, count in block["by_outcome"].items()}
    with_shares = {}
    for key, value in block.items():
        with_shares[key] = value
        if key == "by_outcome":
            with_shares["by_outcome_share"] = shares
    return with_shares


def kpi_report(*, teams: Sequence[Team], period: Period, today: datetime.date | None = None) -> dict:
    """Every KPI of kpis.md for the teams (summed) over the period, as typed figures. A period that contains `today`
    (by default the local date) is judged against its target to date."""
    teams = list(teams)
    today = today or timezone.localdate()
    cohort = cohort_of(teams, period)
    workforce = _counts(workforce_figures(teams=teams, period=period))
    referrals = referral_figures(teams, period, cohort)
    report = {
        "team": ",".join(team.slug for team in teams),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "months": period.months},
        "training": workforce["training"],
        "awareness": workforce["awareness"],
        "universal": workforce["universal"],
        "consultations": _consultations(workforce["consultations"]),
        "referrals": referrals,
        "interventions": intervention_figures(period, cohort),
        "appointments": appointment_figures(teams, period),
        "group_places": group_place_figures(teams, period),
        "outcomes": outcome_figures(period, cohort, referrals["engagement"]["total"][Status.COMPLETED].value),
        "reach": reach_figures(teams, period, referrals["accepted"].value),
    }
    report["kpis"] = kpi_entries(report, *kpi_targets(teams, period, today))
    return report


def kpi_headline(*, teams: Sequence[Team], period: Period, today: datetime.date | None = None) -> dict:
    """The KPIs against their targets and the figures they are made of (a rate's numerator and base), with the
    referrals received and accepted, without the rest of the report: what the home pages, the dashboard's trend and
    the teams compared show. Each figure is `kpi_report`'s, by the same functions, in 6 queries instead of its 20."""
    return kpi_headlines(cohorts=[Cohort.of(teams, period)], today=today)[0]


def kpi_headlines(*, cohorts: Sequence[Cohort], today: datetime.date | None = None) -> list[dict]:
    """`kpi_headline` of each cohort (its teams summed over its period), in their order, in the 6 queries of one:
    each query groups its rows by cohort and judges each referral as at the end of its cohort's period
    (`pairs.cohorts`). The cohorts must share no referral: the quarters of a trend, or the teams compared."""
    if not cohorts:
        return []
    today = today or timezone.localdate()
    together = Cohorts(tuple(cohorts))
    referrals = cohorts_of(together)
    every_pathway = list(Pathway.values)
    counts = StatusCounts.by_cohort(referrals, together)
    completed = [count(every_pathway, [Status.COMPLETED]) for count in counts]
    by_cohort = zip(
        cohorts,
        counts,
        training_figures_by_cohort(together),
        consultation_totals(together),
        timeliness_by_cohort(together, referrals),
        pairing_by_cohort(together, referrals, completed),
        kpi_targets_by_cohort(together, today),
        strict=True,
    )
    reports = []
    for cohort, count, training, consultations, timeliness, pairing, targets in by_cohort:
        period = cohort.period
        report = {
            "team": ",".join(team.slug for team in cohort.teams),
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "months": period.months},
            "training": _counts(training),
            "consultations": {"total": CountFigure(consultations)},
            "referrals": {
                "received": CountFigure(count(every_pathway, ENGAGEMENT_STATUSES)),
                "accepted": CountFigure(count(every_pathway, ACCEPTED_STATUSES)),
                "families_supported": CountFigure(count(every_pathway, SUPPORTED_STATUSES)),
                "timeliness": timeliness,
            },
            "outcomes": pairing,
        }
        report["kpis"] = kpi_entries(report, *targets)
        reports.append(report)
    return reports


def kpi_export(
    *,
    teams: Sequence[Team],
    period: Period,
    commissioner: bool = False,
    today: datetime.date | None = None,
    headline: bool = False,
) -> dict:
    """The KPI export of data-contract.md section 2 (with `headline`, only its KPIs and the figures they are made
    of: `kpi_headline`): exact, or as a commissioner sees it."""
    teams = list(teams)
    report = (kpi_headline if headline else kpi_report)(teams=teams, period=period, today=today)
    return _exported(report, teams, commissioner=commissioner)


def kpi_headline_exports(
    *, cohorts: Sequence[Cohort], commissioner: Sequence[bool], today: datetime.date | None = None
) -> list[dict]:
    """`kpi_export(headline=True)` of each cohort (`kpi_headlines`, which they must suit), in their order: exact, or
    as a commissioner sees it where `commissioner` says so for the cohort."""
    reports = kpi_headlines(cohorts=cohorts, today=today)
    return [
        _exported(report, list(cohort.teams), commissioner=as_commissioner)
        for report, cohort, as_commissioner in zip(reports, cohorts, commissioner, strict=True)
    ]


def _exported(report: dict, teams: list[Team], *, commissioner: bool) -> dict:
    if not commissioner:
        return export(report)
    rule = disclosure_rule(teams)
    return {"disclosure_control": rule.name, **export(report, rule)}
