"""The dashboard at /reports/: every figure of the evaluation for the chosen period, in the published report's order
(the KPI tiles; workforce; consultation; direct work; outcomes), then the eight-quarter trend.

Figures come from the KPI engine through `reports.selectors.kpi_figures`, exact for the service and under the
team's disclosure-control rule for a commissioner; nothing here computes a KPI. Queries: one engine report for the
period, the KPIs alone of the other trend quarters (at most seven) together (`reports.kpis.kpi_headlines`, the
queries of one quarter), four for the vocabularies' words and, for a team without a recorded start, five for when
it started, whatever the data.
"""

from dataclasses import dataclass

from django.urls import reverse

from pairs.cohorts import Cohort
from pairs.models import Team
from reports.disclosure import DisclosureRule
from reports.presenters.activity import capacity_parts, intervention_parts, reach_parts, waiting_parts
from reports.presenters.kpi_tiles import KpiTile, kpi_tiles
from reports.presenters.labels import Labels
from reports.presenters.outcomes import outcomes_section
from reports.presenters.period import PeriodChoice
from reports.presenters.referrals import complexity_parts, engagement_parts, profile_parts, referral_summary
from reports.presenters.tables import Section
from reports.presenters.trend import TrendPanel, TrendQuarter, trend_panels, trend_periods
from reports.presenters.workforce import consultation_section, workforce_section
from reports.selectors import kpi_figures, kpi_headline_figures, kpi_table


@dataclass(frozen=True)
class DisclosureNotice:
    """What a commissioner is told about the figures: the rule, by name, and what it does."""

    rule: DisclosureRule

    @property
    def words(self) -> str:
        if self.rule.is_exact:
            return "The team's data-sharing agreement gives its commissioner exact figures (disclosure rule: none)."
        return (
            f"Figures follow the team's disclosure-control rule, {self.rule.label}: small counts are shown as *, and "
            "so is any status, rate or bar that would give one away."
        )


def disclosure_notice(figures: dict) -> DisclosureNotice | None:
    """The rule of a commissioner's figures, None for the service's exact figures."""
    name = figures.get("disclosure_control")
    if name is None:
        return None
    return DisclosureNotice(DisclosureRule.named(name))


@dataclass(frozen=True)
class Dashboard:
    choice: PeriodChoice
    # The KPI table of `reports.selectors.kpi_table`, as the downloads and the home pages have it.
    kpis: list[dict]
    tiles: list[KpiTile]
    sections: list[Section]
    trend: list[TrendPanel]
    disclosure: DisclosureNotice | None

    @property
    def exact(self) -> bool:
        return self.disclosure is None


def direct_work_section(figures: dict, labels: Labels, *, needs_href: str) -> Section:
    referrals = figures["referrals"]
    return Section(
        id="direct-work",
        heading="Direct work with families",
        parts=(
            *referral_summary(referrals),
            *profile_parts(referrals),
            *complexity_parts(referrals, labels),
            *engagement_parts(referrals, labels),
            *intervention_parts(figures["interventions"], labels),
            *waiting_parts(referrals),
            *capacity_parts(figures["appointments"], figures["group_places"]),
            *reach_parts(figures["reach"], needs_href=needs_href),
        ),
    )


def dashboard_for(*, user, team: Team, choice: PeriodChoice) -> Dashboard:
    figures = kpi_figures(user=user, team=team, period=choice.period)
    kpis = kpi_table(figures)
    tiles = kpi_tiles(kpis)
    labels = Labels.load()
    pairing = next(tile for tile in tiles if tile.id == "outcome_pairing_rate")
    feedback = next(kpi for kpi in kpis if kpi["id"] == "training_positive_feedback")
    trend = trend_periods(choice.period, team=team)
    # The period shown is often the last quarter of the trend: its report is the one already made.
    others = [quarter for quarter in trend if (quarter.start, quarter.end) != (choice.period.start, choice.period.end)]
    cohorts = [Cohort.of([team], quarter) for quarter in others]
    trend_figures = dict(zip(others, kpi_headline_figures(user=user, cohorts=cohorts), strict=True))
    quarters = [TrendQuarter(quarter, trend_figures.get(quarter, figures), team.year_start_month) for quarter in trend]
    return Dashboard(
        choice=choice,
        kpis=kpis,
        tiles=tiles,
        sections=[
            workforce_section(figures, feedback_rate=feedback["rate"]),
            consultation_section(figures, services=labels.services),
            direct_work_section(figures, labels, needs_href=f"{reverse('reports:needs')}?{choice.query}"),
            outcomes_section(figures["outcomes"], pairing=pairing),
        ],
        trend=trend_panels(quarters, today=choice.today),
        disclosure=disclosure_notice(figures),
    )
