"""The quarterly performance report for commissioners: the KPIs against their targets, the outputs (training,
awareness, consultation, direct work), waiting times, outcomes, compliments and complaints, and the service
manager's commentary on the quarter. Always under the teams' disclosure-control rule, which it states."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from pairs.models import Team
from pairs.periods import Period
from reports.pdf.documents.common import (
    Figures,
    PdfDocument,
    ReportKind,
    about_section,
    consultation,
    direct_work,
    outcomes,
    targets_section,
    training_and_awareness,
    waiting_times,
)
from reports.pdf.feedback import feedback_shown, feedback_table
from reports.pdf.parts import PrintedSection, paragraphs
from reports.presenters.tables import Paragraph, Subheading

NO_COMMENTARY = "The service manager has written no commentary for this quarter."


@dataclass(frozen=True)
class Commentary:
    team: Team
    text: str


def commentary_section(teams: Sequence[Team], commentaries: Sequence[Commentary]) -> PrintedSection:
    """Each team's commentary, under the team's name when the report is for several teams."""
    written = {commentary.team.pk: commentary.text for commentary in commentaries}
    parts: list = []
    for team in teams:
        if len(teams) > 1:
            parts.append(Subheading(team.name, f"commentary-{team.slug}"))
        parts.extend(paragraphs(written.get(team.pk, "")) or (Paragraph(NO_COMMENTARY),))
    return PrintedSection.made_of("commentary", "Commentary from the service manager", parts)


def quarterly_document(
    *,
    teams: Sequence[Team],
    quarter: Period,
    today: datetime.date,
    commentaries: Sequence[Commentary] = (),
    state: str = "",
) -> PdfDocument:
    teams = tuple(teams)
    figures = Figures.of(teams=teams, period=quarter, commissioner=True, today=today)
    complaints = feedback_table(feedback_shown(teams=teams, period=quarter, commissioner=True))
    return PdfDocument(
        kind=ReportKind.QUARTERLY,
        teams=teams,
        period=quarter,
        generated_on=today,
        disclosure=figures.disclosure,
        state=state,
        sections=(
            targets_section(figures, today=today),
            training_and_awareness(figures),
            consultation(figures),
            direct_work(figures),
            waiting_times(figures),
            outcomes(figures),
            PrintedSection.made_of("feedback", "Compliments and complaints", (complaints,)),
            commentary_section(teams, commentaries),
            about_section(figures),
        ),
    )
