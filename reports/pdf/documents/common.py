"""What every PDF is made of: the document itself (cover, running header, sections), the KPI summary with targets and
status, the sections shared between kinds, and the note that states the cohort rules and the disclosure rule.

Figures come from the KPI engine (`reports.kpis.kpi_export`), exact or under the teams' disclosure-control rule, and
are laid out by the dashboard's presenters; nothing here computes a KPI.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pairs.models import Team
from pairs.periods import Period, format_date
from reports.kpis import kpi_export
from reports.pdf.parts import Bullets, KpiSummary, PrintedSection
from reports.presenters.activity import capacity_parts, intervention_parts, waiting_parts
from reports.presenters.dashboard import DisclosureNotice, disclosure_notice
from reports.presenters.kpi_tiles import KpiTile, kpi_tiles
from reports.presenters.labels import Labels
from reports.presenters.outcomes import outcomes_section
from reports.presenters.referrals import figure_5, referral_summary, table_2
from reports.presenters.tables import Section, Subheading
from reports.presenters.workforce import consultation_section, workforce_section
from reports.selectors import kpi_table


class ReportKind(StrEnum):
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    EVALUATION = "evaluation"

    # A report's title, as its cover says; it stands in for str.title, which no caller of a kind wants.
    @property
    def title(self) -> str:  # type: ignore[override]
        return {
            ReportKind.QUARTERLY: "Quarterly performance report",
            ReportKind.ANNUAL: "Annual impact statement",
            ReportKind.EVALUATION: "Evaluation report",
        }[self]


def names_of(teams: Sequence[Team]) -> str:
    names = [team.name for team in teams]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def pdf_filename(kind: ReportKind, teams: Sequence[Team], period: Period) -> str:
    slugs = "-".join(team.slug for team in teams)
    return f"pairs-{kind}-{slugs}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.pdf"


@dataclass(frozen=True)
class PdfDocument:
    """One PDF: its cover (kind, teams, period, date generated, state, disclosure rule), the team and period in the
    running header, and its sections."""

    kind: ReportKind
    teams: tuple[Team, ...]
    period: Period
    generated_on: datetime.date
    sections: tuple[PrintedSection, ...]
    disclosure: DisclosureNotice | None
    # A quarterly report's standing: a draft, or final and when it was issued.
    state: str = ""
    template = "reports/pdf/document.html"

    @property
    def title(self) -> str:
        return self.kind.title

    @property
    def team_names(self) -> str:
        return names_of(self.teams)

    @property
    def commissioners(self) -> str:
        return ", ".join(dict.fromkeys(team.commissioning_body for team in self.teams if team.commissioning_body))

    @property
    def generated_words(self) -> str:
        return f"Generated on {format_date(self.generated_on)}"

    @property
    def period_words(self) -> str:
        """The period as the running header names it."""
        if self.period.label == self.period.description:
            return self.period.description
        return f"{self.period.label}: {self.period.description}"

    @property
    def metadata_title(self) -> str:
        return f"{self.title}: {self.team_names}, {self.period.description}"

    @property
    def filename(self) -> str:
        return pdf_filename(self.kind, self.teams, self.period)


@dataclass(frozen=True)
class Figures:
    """The engine's figures of a period as one document shows them, with the presenters' KPI tiles and words."""

    period: Period
    export: dict
    tiles: list[KpiTile]
    labels: Labels

    @classmethod
    def of(cls, *, teams: Sequence[Team], period: Period, commissioner: bool, today: datetime.date) -> "Figures":
        export = kpi_export(teams=teams, period=period, commissioner=commissioner, today=today)
        return cls(period, export, kpi_tiles(kpi_table(export)), Labels.load())

    def tile(self, kpi_id: str) -> KpiTile:
        return next(tile for tile in self.tiles if tile.id == kpi_id)

    @property
    def feedback_rate(self):
        return next(entry for entry in self.export["kpis"] if entry["id"] == "training_positive_feedback")["rate"]

    @property
    def disclosure(self) -> DisclosureNotice | None:
        return disclosure_notice(self.export)


def running_note(period: Period, today: datetime.date) -> str:
    if today not in period:
        return ""
    return (
        f"The period is still running: the figures are those recorded by {format_date(today)}, and each count is "
        "judged against its target to date (the target pro-rated to that day)."
    )


def targets_section(figures: Figures, *, today: datetime.date, earlier: Figures | None = None) -> PrintedSection:
    """The KPIs against their targets, each status in words (and colour); with the year before's beside them."""
    notes = [
        "Targets are the commissioner's annual targets pro-rated to the months the period covers; a rate target "
        "applies as it is. On target: at or above the target. Within 10% of target: up to a tenth below it. Below "
        "target: further below. Too few to rate: a rate of fewer than 5 cases.",
    ]
    if note := running_note(figures.period, today):
        notes.append(note)
    summary = KpiSummary(
        caption=f"Key performance indicators, {figures.period.description}",
        tiles=tuple(figures.tiles),
        earlier=tuple(earlier.tiles) if earlier else (),
        notes=tuple(notes),
    )
    return PrintedSection.made_of("targets", "Against the targets", (summary,))


def training_and_awareness(figures: Figures) -> PrintedSection:
    return PrintedSection.of(workforce_section(figures.export, feedback_rate=figures.feedback_rate))


def consultation(figures: Figures) -> PrintedSection:
    return PrintedSection.of(consultation_section(figures.export, services=figures.labels.services))


def direct_work(figures: Figures, *, heading: str = "Direct work with families") -> PrintedSection:
    """Referrals and engagement (Table 2, Figure 5), the interventions (Figure 7) and the appointments and places."""
    referrals = figures.export["referrals"]
    return PrintedSection.made_of(
        "direct-work",
        heading,
        (
            *referral_summary(referrals),
            Subheading("Referrals and engagement", "engagement"),
            table_2(referrals),
            figure_5(referrals),
            *intervention_parts(figures.export["interventions"], figures.labels),
            *capacity_parts(figures.export["appointments"], figures.export["group_places"]),
        ),
    )


def waiting_times(figures: Figures) -> PrintedSection:
    subheading, *parts = waiting_parts(figures.export["referrals"])
    # The section's own heading stands for the parts' subheading.
    return PrintedSection.made_of("waiting", subheading.text, parts)


def outcomes(figures: Figures, *, heading: str = "Outcomes") -> PrintedSection:
    section = outcomes_section(figures.export["outcomes"], pairing=figures.tile("outcome_pairing_rate"))
    return PrintedSection.of(Section(id=section.id, heading=heading, parts=section.parts))


def cohort_rules(figures: Figures) -> tuple[str, ...]:
    """The rules every figure of the period follows (kpis.md, "Definitions"), in words, with the period's dates."""
    period = figures.period
    end = format_date(period.end)
    target_days = figures.export["referrals"]["timeliness"]["target_days"]
    pairing_target = figures.tile("outcome_pairing_rate").target
    return (
        f"Referrals in the period are those received from {format_date(period.start)} to {end}, both days "
        f"included. Each referral's status is its status as at {end}, from its pipeline events: a decision made "
        "after that day counts as awaiting a decision, and a case closed after it as in progress.",
        "Accepted referrals are those whose status is neither not accepted nor awaiting a decision. Shares by "
        "pathway, and the shares that disengaged, are of the accepted referrals.",
        "Families supported are the referrals in progress, completed or disengaged during intervention at the "
        "period's end.",
        "Paired outcome measures: completed referrals with a T1 and a T2 of at least one core measure, both dated on "
        f"or before {end}. The completion rate is paired over completed, against a target of {pairing_target}.",
        "The statistics of each measure use every referral of the period with a T1 and a T2 of that measure for the "
        "same caregiver: the first T1 against the last T2, one pair per referral and caregiver. They give the mean "
        "at T1 and at T2, the mean change (T2 minus T1), the paired t-test's two-sided p-value, the effect size "
        "(Cohen's d for paired scores) and reliable change against the measure's threshold.",
        "Training, consultations, awareness events and the universal offer count what was dated in the period.",
        "Waiting times run from the day a referral was received: to first contact (the first appointment attended, "
        f"or a first contact recorded), with the median and the 90th centile (nearest rank) and the share within "
        f"{target_days} days.",
        "Percentages are the true shares of their counts, to one decimal place.",
    )


def disclosure_words(notice: DisclosureNotice | None) -> str:
    if notice is None:
        return "The figures are exact: this is the service's own report, not a commissioner's."
    return notice.words


def about_section(figures: Figures, *, heading: str = "About these figures") -> PrintedSection:
    return PrintedSection.made_of(
        "about",
        heading,
        (Bullets((*cohort_rules(figures), disclosure_words(figures.disclosure))),),
    )
