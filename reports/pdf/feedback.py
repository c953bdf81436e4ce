"""Compliments and complaints in a quarterly report: the training app's aggregate of the feedback received in the
period, typed as counts so that a commissioner's report shows them under the same disclosure rule as every other
figure (the KPI export carries no feedback block)."""

from collections.abc import Sequence

from pairs.models import Team
from pairs.periods import Period
from reports.disclosure import disclosure_rule
from reports.figures import Count, export
from reports.presenters.tables import Column, Row, Table
from reports.presenters.values import count_cell, total_of
from training.models import FeedbackKind
from training.selectors import feedback_figures

KINDS = {
    FeedbackKind.COMPLIMENT: "Compliments",
    FeedbackKind.COMPLAINT: "Complaints",
    FeedbackKind.SERVICE_USER: "Other feedback from families",
}


def feedback_shown(*, teams: Sequence[Team], period: Period, commissioner: bool) -> dict:
    """The feedback received in the period by kind, and the complaints still open: exact, or under the teams'
    rule. One query."""
    figures = feedback_figures(teams=teams, period=period)
    typed = {
        "by_kind": {kind: Count(figures["by_kind"][kind]) for kind in KINDS},
        "open_complaints": Count(figures["open_complaints"]),
    }
    return export(typed, disclosure_rule(teams) if commissioner else None)


def feedback_table(shown: dict) -> Table:
    by_kind = shown["by_kind"]
    return Table(
        caption="Compliments, complaints and other feedback received in the period",
        columns=(Column("Received", numeric=False), Column("Number")),
        rows=(
            *(Row(words, (count_cell(by_kind[kind]),)) for kind, words in KINDS.items()),
            Row("Total", (count_cell(total_of(list(by_kind.values()))),), is_total=True),
            Row("Complaints received in the period and not yet resolved", (count_cell(shown["open_complaints"]),)),
        ),
        notes=("Complaints not yet resolved are those without a resolution on the day the report was generated.",),
    )
