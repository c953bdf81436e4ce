"""The direct-work section's account of the referrals, in the published report's order: how many came and were
accepted, who was referred (the profile at referral), how complex their needs were at acceptance (Figures 2 to 4),
Table 2 as published with its pathway split and percentages on the accepted base, engagement by pathway (Figure 5)
and the reasons for disengagement (Figure 6)."""

from reports.charts.bars import Series, bar_chart
from reports.presenters.labels import (
    CAREGIVER_ROLES,
    ENGAGEMENT_ROWS,
    ETHNICITIES,
    INFANT_AGES,
    NOT_RECORDED,
    PATHWAYS,
    Labels,
    label_of,
)
from reports.presenters.tables import (
    Column,
    FigureBlock,
    Paragraph,
    Row,
    Subheading,
    Summary,
    SummaryRow,
    Table,
    bar_value,
    chart_notes,
    distribution_block,
)
from reports.presenters.values import (
    count_cell,
    count_with_share_cell,
    is_shown_number,
    number_cell,
    percent_text,
    rate_cell,
    total_of,
)

ACCEPTED_BASE = ("awaiting_decision", "not_accepted")
DISENGAGED = ("disengaged_at_referral", "disengaged_at_assessment", "disengaged_during_intervention")
STAGES = {
    "disengaged_at_referral": "At referral",
    "disengaged_at_assessment": "At assessment",
    "disengaged_during_intervention": "During intervention",
}


def referral_summary(referrals: dict) -> tuple:
    accepted_share_note = ""
    if is_shown_number(referrals["accepted_rate"]):
        accepted_share_note = f"{percent_text(referrals['accepted_rate'])} of those received"
    ages = referrals["mean_infant_age_months"]
    return (
        Summary(
            (
                SummaryRow("Referrals received", count_cell(referrals["received"])),
                SummaryRow("Accepted", count_cell(referrals["accepted"]), accepted_share_note),
                SummaryRow("Antenatal at referral", count_cell(referrals["antenatal"])),
                SummaryRow(
                    "Families supported",
                    count_cell(referrals["families_supported"]),
                    "in progress, completed or disengaged during intervention at the period's end",
                ),
                *(
                    SummaryRow(
                        f"Mean age of the infant at referral, {PATHWAYS[pathway].lower()} work",
                        _months(ages[pathway]),
                        "antenatal referrals left out",
                    )
                    for pathway in PATHWAYS
                ),
            )
        ),
    )


def _months(value):
    cell = number_cell(value, 1)
    if cell.suppressed or cell.missing:
        return cell
    return type(cell)(f"{cell.text} months")


def _recorded_base(counts: dict):
    """The count of everyone with something recorded: the distribution's counts without `not_recorded`."""
    return total_of([count for code, count in counts.items() if code != NOT_RECORDED])


def profile_parts(referrals: dict) -> tuple:
    profile = referrals["profile"]
    return (
        Subheading("Who was referred", "profile"),
        distribution_block(
            id="caregiver-role",
            title="First caregiver's role",
            counts=profile["caregiver_role"],
            label=lambda code: label_of(code, CAREGIVER_ROLES),
            heading="Role",
            count_heading="Referrals",
        ),
        distribution_block(
            id="ethnicity",
            title="Ethnicity of the caregivers referred",
            counts=profile["ethnicity"],
            label=lambda code: label_of(code, ETHNICITIES),
            heading="Ethnicity",
            count_heading="Caregivers",
            base=_recorded_base(profile["ethnicity"]),
            base_words="the caregivers whose ethnicity is recorded (not stated counts as recorded)",
        ),
        distribution_block(
            id="infant-age",
            title="Infant's age at referral",
            counts=profile["infant_age_at_referral"],
            label=lambda code: label_of(code, INFANT_AGES),
            heading="Age",
            count_heading="Infants",
        ),
    )


def complexity_parts(referrals: dict, labels: Labels) -> tuple:
    """Figures 2 to 4 in the published order: the IMD decile (Figure 3) is the profile's, at referral."""
    at_acceptance = referrals["at_acceptance"]
    profile = referrals["profile"]
    risks = {"5_or_more": "5 or more"}
    return (
        Subheading("Complexity of need at acceptance", "complexity"),
        Paragraph(
            "The safeguarding level, the risks and the complexities are those of the referrals accepted in the "
            "period, as recorded at the decision or first after it; the IMD decile is every referral's, at referral."
        ),
        distribution_block(
            id="figure-2",
            number=2,
            title="Safeguarding level at acceptance",
            counts=at_acceptance["safeguarding_level"],
            label=lambda code: label_of(code, {str(level): f"Level {level}" for level in range(1, 5)}),
            heading="Safeguarding level",
            count_heading="Referrals",
        ),
        distribution_block(
            id="figure-3",
            number=3,
            title="Family postcode IMD decile at referral",
            counts=profile["imd_decile"],
            label=lambda code: label_of(code, {"1": "1 (most deprived)", "10": "10 (least deprived)"}),
            heading="IMD decile",
            count_heading="Referrals",
        ),
        distribution_block(
            id="figure-4",
            number=4,
            title="Number of risks to the caregiving relationship",
            counts=at_acceptance["risk_count"],
            label=lambda code: label_of(code, risks),
            heading="Risks",
            count_heading="Referrals",
        ),
        distribution_block(
            id="complexities",
            title="Complexities recorded",
            counts=at_acceptance["complexities"],
            label=lambda code: label_of(code, labels.complexities),
            heading="Complexity",
            count_heading="Referrals",
        ),
    )


def table_2(referrals: dict) -> Table:
    """Table 2 as published (statuses down, individual, group and total across, each headed with its n), every
    status after acceptance also as a share of that column's accepted referrals."""
    engagement = referrals["engagement"]
    columns = [*PATHWAYS, "total"]
    received = {pathway: referrals["by_pathway"][pathway]["received"] for pathway in PATHWAYS}
    received["total"] = referrals["received"]
    accepted = {pathway: referrals["by_pathway"][pathway]["accepted"] for pathway in PATHWAYS}
    accepted["total"] = referrals["accepted"]
    rows = []
    for status, words in ENGAGEMENT_ROWS.items():
        values = [engagement[column][status] for column in columns]
        if status == "awaiting_decision" and all(value == 0 for value in values):
            continue  # as published: the row shows only while some decision is still to come
        if status in ACCEPTED_BASE:
            cells = tuple(count_cell(value) for value in values)
        else:
            cells = tuple(
                count_with_share_cell(value, accepted[column]) for value, column in zip(values, columns, strict=True)
            )
        rows.append(Row(words, cells))
    rows.append(
        Row(
            "Accepted",
            (
                *tuple(count_with_share_cell(accepted[pathway], accepted["total"]) for pathway in PATHWAYS),
                count_cell(accepted["total"]),
            ),
            is_total=True,
        )
    )
    rows.append(Row("Received", tuple(count_cell(received[column]) for column in columns), is_total=True))
    headings = [f"{PATHWAYS[pathway]} (n={count_cell(received[pathway]).text})" for pathway in PATHWAYS]
    return Table(
        caption="Table 2: Referral and engagement across individual and group support",
        columns=(
            Column("Engagement", numeric=False),
            *(Column(heading) for heading in headings),
            Column(f"Total (n={count_cell(received['total']).text})"),
        ),
        rows=tuple(rows),
        notes=(
            "Status as at the period's end of the referrals received in it. Percentages after a status are of that "
            "column's accepted referrals; on the Accepted row, of all accepted referrals (the pathway split).",
        ),
    )


def figure_5(referrals: dict) -> FigureBlock:
    """Engagement of the accepted referrals, individual beside group."""
    engagement = referrals["engagement"]
    statuses = [status for status in ENGAGEMENT_ROWS if status not in ACCEPTED_BASE]
    cells = {
        pathway: [
            count_with_share_cell(engagement[pathway][status], referrals["by_pathway"][pathway]["accepted"])
            for status in statuses
        ]
        for pathway in PATHWAYS
    }
    values_seen = [engagement[pathway][status] for pathway in PATHWAYS for status in statuses]
    series = [
        Series(
            name,
            tuple(bar_value(engagement[pathway][status]) for status in statuses),
            tuple(cell.text for cell in cells[pathway]),
        )
        for pathway, name in PATHWAYS.items()
    ]
    rows = tuple(
        Row(ENGAGEMENT_ROWS[status], tuple(cells[pathway][index] for pathway in PATHWAYS))
        for index, status in enumerate(statuses)
    )
    table = Table(
        caption="Accepted referrals by engagement and pathway",
        columns=(Column("Engagement", numeric=False), *(Column(name) for name in PATHWAYS.values())),
        rows=rows,
        notes=("Percentages are of each pathway's accepted referrals.",),
    )
    chart = None
    if any(value for one in series for value in one.values):
        chart = bar_chart(
            [ENGAGEMENT_ROWS[status] for status in statuses],
            series,
            alt=(
                "Bar chart of the accepted referrals by engagement, individual work beside group work. The same "
                "figures are in the table beside it."
            ),
        )
    return FigureBlock(
        id="figure-5",
        number=5,
        title="Engagement across individual and group work",
        table=table,
        chart=chart,
        notes=chart_notes(values_seen),
    )


def figure_6(referrals: dict, labels: Labels) -> FigureBlock:
    """Reasons for disengagement, by the stage the family had reached. Reasons no family gave are left out of the
    chart (the table lists them all)."""
    reasons_by_stage = referrals["disengagement_reasons"]
    reasons = list(reasons_by_stage[DISENGAGED[0]])
    words = [label_of(reason, labels.disengagement_reasons) for reason in reasons]
    rows = tuple(
        Row(words[index], tuple(count_cell(reasons_by_stage[stage][reason]) for stage in DISENGAGED))
        for index, reason in enumerate(reasons)
    )
    table = Table(
        caption="Disengaged referrals by reason and stage",
        columns=(Column("Reason", numeric=False), *(Column(STAGES[stage]) for stage in DISENGAGED)),
        rows=rows,
    )
    given = [
        index
        for index, reason in enumerate(reasons)
        if any(reasons_by_stage[stage][reason] != 0 for stage in DISENGAGED)
    ]
    all_values = [reasons_by_stage[stage][reason] for stage in DISENGAGED for reason in reasons]
    chart = None
    if any(bar_value(value) for value in all_values):
        chart = bar_chart(
            [words[index] for index in given],
            [
                Series(
                    STAGES[stage],
                    tuple(bar_value(reasons_by_stage[stage][reasons[index]]) for index in given),
                    tuple(count_cell(reasons_by_stage[stage][reasons[index]]).text for index in given),
                )
                for stage in DISENGAGED
            ],
            alt=(
                "Bar chart of the disengaged referrals by reason, a bar for each stage at which families disengaged. "
                "The same figures are in the table beside it."
            ),
        )
    return FigureBlock(
        id="figure-6",
        number=6,
        title="Reasons for disengagement from the service",
        table=table,
        chart=chart,
        notes=(*chart_notes(all_values), "Reasons no family gave are listed in the table only."),
    )


def engagement_parts(referrals: dict, labels: Labels) -> tuple:
    accepted_rate = rate_cell(referrals["accepted_rate"])
    return (
        Subheading("Referrals and engagement", "engagement"),
        Paragraph(
            f"{accepted_rate.text} of the referrals received were accepted."
            if not accepted_rate.suppressed and not accepted_rate.missing
            else "The share of referrals accepted is not shown."
        ),
        table_2(referrals),
        figure_5(referrals),
        figure_6(referrals, labels),
    )
