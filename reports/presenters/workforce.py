"""The dashboard's first sections, in the published report's order: the workforce (Table 1 of training by type,
its feedback, awareness events and the universal offer), then consultation (Figure 1 and who consulted)."""

from reports.charts.bars import Series, bar_chart
from reports.presenters.labels import CONSULTATION_OUTCOMES, SESSION_TYPES, label_of
from reports.presenters.tables import (
    Column,
    FigureBlock,
    Row,
    Section,
    Subheading,
    Summary,
    SummaryRow,
    Table,
    bar_value,
    chart_notes,
)
from reports.presenters.values import (
    Cell,
    count_cell,
    count_with_share_cell,
    is_shown_number,
    percent_text,
    rate_cell,
    share,
)


def _table_1(training: dict) -> Table:
    rows = []
    for code, words in SESSION_TYPES.items():
        figures = training["by_type"].get(code, {"sessions": 0, "participants": 0})
        if code == "other" and figures["sessions"] == 0 and figures["participants"] == 0:
            continue  # the published table has no "other" row; it shows only when a team uses it
        rows.append(Row(words, (count_cell(figures["sessions"]), count_cell(figures["participants"]))))
    rows.append(Row("Total", (count_cell(training["sessions"]), count_cell(training["participants"])), is_total=True))
    return Table(
        caption="Table 1: Delivery of sessions by the team",
        columns=(Column("Session type", numeric=False), Column("Number of sessions"), Column("Number of participants")),
        rows=tuple(rows),
    )


def workforce_section(figures: dict, *, feedback_rate) -> Section:
    """`feedback_rate` is the positive-feedback KPI's rate (the export's KPI entry), beside its counts."""
    training = figures["training"]
    feedback_share = rate_cell(feedback_rate) if training["feedback_returned"] not in (0, None) else Cell("No forms")
    return Section(
        id="workforce",
        heading="Workforce: training, awareness and the universal offer",
        parts=(
            Subheading("Training", "training"),
            _table_1(training),
            Summary(
                (
                    SummaryRow("Feedback forms returned", count_cell(training["feedback_returned"])),
                    SummaryRow("Rated the training positively", count_cell(training["feedback_positive"])),
                    SummaryRow("Share positive", feedback_share, "of the forms returned"),
                )
            ),
            Subheading("Raising awareness", "awareness"),
            Summary(
                (
                    SummaryRow("Awareness events", count_cell(figures["awareness"]["events"])),
                    SummaryRow(
                        "Practitioners and families engaged", count_cell(figures["awareness"]["people_engaged"])
                    ),
                )
            ),
            Subheading("Universal offer", "universal"),
            Summary((SummaryRow("Parent-infant dyads reached", count_cell(figures["universal"]["dyads"])),)),
        ),
    )


def _figure_1(consultations: dict) -> FigureBlock:
    codes = list(consultations["by_outcome"])
    labels = [label_of(code, CONSULTATION_OUTCOMES) for code in codes]
    counts = [consultations["by_outcome"][code] for code in codes]
    shares = [rate_cell(consultations["by_outcome_share"][code]) for code in codes]
    table = Table(
        caption="Consultations by what followed",
        columns=(Column("After the consultation", numeric=False), Column("Consultations"), Column("Share of all")),
        rows=tuple(
            Row(words, (count_cell(count), shown)) for words, count, shown in zip(labels, counts, shares, strict=True)
        ),
        notes=("Shares are of all the consultations in the period.",),
    )
    bar_labels = tuple(
        f"{count_cell(count).text} ({shown.text})"
        if not shown.suppressed and not shown.missing
        else count_cell(count).text
        for count, shown in zip(counts, shares, strict=True)
    )
    drawn = tuple(bar_value(count) for count in counts)
    chart = None
    if any(drawn):
        chart = bar_chart(
            labels,
            [Series("Consultations", drawn, bar_labels)],
            alt="Bar chart of the consultations by what followed them. The same figures are in the table beside it.",
        )
    return FigureBlock(
        id="figure-1",
        number=1,
        title="Pathway following consultation",
        table=table,
        chart=chart,
        notes=chart_notes(counts),
    )


def consultation_section(figures: dict, *, services: dict[str, str]) -> Section:
    """`services` names the consultees' services by code."""
    consultations = figures["consultations"]
    total = consultations["total"]
    children_share = share(consultations["children_recorded_in"], total)
    recorded_note = f"{percent_text(children_share)} of the consultations" if is_shown_number(children_share) else ""
    service_rows = tuple(
        Row(label_of(code, services), (count_with_share_cell(count, total),))
        for code, count in consultations["by_service"].items()
    )
    return Section(
        id="consultation",
        heading="Consultation",
        parts=(
            Summary(
                (
                    SummaryRow("Consultations", count_cell(total)),
                    SummaryRow(
                        "Consultations that recorded the children discussed",
                        count_cell(consultations["children_recorded_in"]),
                        recorded_note,
                    ),
                    SummaryRow("Children discussed in them", count_cell(consultations["children"])),
                )
            ),
            _figure_1(consultations),
            Table(
                caption="Consultations by the consultee's service",
                columns=(Column("Service", numeric=False), Column("Consultations")),
                rows=service_rows,
                notes=("Only services that consulted the team are listed; percentages are of all the consultations.",),
            ),
        ),
    )
