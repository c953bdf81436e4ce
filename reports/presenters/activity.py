"""The rest of the direct-work section: the interventions (Figure 7), how long families waited (the clocks, and the
waiting list at the period's end), the appointments and group places, and the team's reach against its births."""

from reports.presenters.labels import CLOCKS, WAITING_STAGES, Labels, label_of
from reports.presenters.tables import (
    Column,
    Paragraph,
    Row,
    Subheading,
    Summary,
    SummaryRow,
    Table,
    distribution_block,
)
from reports.presenters.values import Cell, count_cell, days_cell, is_shown_number, number_cell, percent_text, rate_cell

# Teams are resourced to see 1-5% of their local births (kpis.md, Reach).
RESOURCED_LOW, RESOURCED_HIGH = 0.01, 0.05


def intervention_parts(interventions: dict, labels: Labels) -> tuple:
    return (
        Subheading("Interventions", "interventions"),
        Summary(
            (
                SummaryRow(
                    "Intervention episodes",
                    count_cell(interventions["episodes"]),
                    "of the families who completed or disengaged during intervention",
                ),
                SummaryRow("Those families", count_cell(interventions["families"])),
                SummaryRow("Episodes of families still in intervention", count_cell(interventions["active_episodes"])),
            )
        ),
        distribution_block(
            id="figure-7",
            number=7,
            title="Interventions",
            counts=interventions["by_intervention"],
            label=lambda code: label_of(code, labels.interventions),
            heading="Intervention",
            count_heading="Episodes",
        ),
    )


def _clocks_table(clocks: dict) -> Table:
    return Table(
        caption="Days from referral, for the referrals received in the period",
        columns=(
            Column("From referral to", numeric=False),
            Column("Referrals"),
            Column("Median"),
            Column("90th centile"),
        ),
        rows=tuple(
            Row(
                CLOCKS[code].removeprefix("Referral to "),
                (count_cell(clock["n"]), days_cell(clock["median_days"]), days_cell(clock["p90_days"])),
            )
            for code, clock in clocks.items()
        ),
        notes=("Each counts the referrals whose step came on or before the period's end.",),
    )


def _waiting_table(waiting: dict) -> Table:
    return Table(
        caption="Waiting at the period's end",
        columns=(Column("Stage", numeric=False), Column("Families"), Column("Median wait"), Column("Longest wait")),
        rows=tuple(
            Row(
                f"{WAITING_STAGES[code][0]} ({WAITING_STAGES[code][1]})",
                (count_cell(stage["n"]), days_cell(stage["median_days"]), days_cell(stage["longest_days"])),
            )
            for code, stage in waiting.items()
        ),
        notes=("Every referral of the team still open at the period's end, whenever it was received.",),
    )


def waiting_parts(referrals: dict) -> tuple:
    timeliness = referrals["timeliness"]
    within = rate_cell(timeliness["within_target"])
    target_days = timeliness["target_days"]
    return (
        Subheading("Waiting times", "waiting"),
        Summary(
            (
                SummaryRow(
                    f"First contact within {target_days} days" if target_days else "First contact within target",
                    within,
                    "of the referrals with a first contact",
                ),
            )
        ),
        _clocks_table(referrals["clocks"]),
        _waiting_table(referrals["waiting_at_end"]),
    )


def capacity_parts(appointments: dict, places: dict) -> tuple:
    return (
        Subheading("Appointments and group places", "capacity"),
        Table(
            caption="Appointments in the period",
            columns=(Column("Appointments", numeric=False), Column("Number")),
            rows=(
                Row("Offered", (count_cell(appointments["offered"]),), is_total=True),
                Row("Attended", (count_cell(appointments["attended"]),)),
                Row("Did not attend", (count_cell(appointments["did_not_attend"]),)),
                Row("Cancelled by the family", (count_cell(appointments["cancelled_by_family"]),)),
                Row("Cancelled by the service", (count_cell(appointments["cancelled_by_service"]),)),
                Row("Outcome not yet recorded", (count_cell(appointments["not_recorded"]),)),
            ),
            notes=("Every appointment of the team's families dated in the period.",),
        ),
        Summary(
            (
                SummaryRow(
                    "Attendance rate",
                    rate_cell(appointments["attendance_rate"]),
                    "attended of those that were attended or missed",
                ),
                SummaryRow("Families seen", count_cell(appointments["families_seen"]), "with an appointment attended"),
            )
        ),
        Table(
            caption="Group places offered in the period",
            columns=(Column("Group places", numeric=False), Column("Number")),
            rows=(
                Row("Offered", (count_cell(places["offered"]),), is_total=True),
                Row("Taken up", (count_cell(places["taken_up"]),)),
                Row("Declined", (count_cell(places["declined"]),)),
                Row("Awaiting a reply", (count_cell(places["awaiting_reply"]),)),
            ),
            notes=("As each place stood at the period's end.",),
        ),
        Summary((SummaryRow("Take-up rate", rate_cell(places["take_up_rate"]), "of the places offered"),)),
    )


def reach_words(share_of_births) -> str:
    """Where the team's reach falls against the 1-5% of births teams are resourced for."""
    if not is_shown_number(share_of_births):
        return ""
    if share_of_births < RESOURCED_LOW:
        return "below the 1-5% of births teams are resourced for"
    if share_of_births > RESOURCED_HIGH:
        return "above the 1-5% of births teams are resourced for"
    return "within the 1-5% of births teams are resourced for"


def reach_summary(reach: dict) -> Summary:
    births = reach["births_per_year"]
    share_of_births = reach["share_of_births"]
    if births is None:
        share_cell = Cell("Not known: the team has no births figure", missing=True)
    elif is_shown_number(share_of_births):
        share_cell = Cell(percent_text(share_of_births))
    else:
        share_cell = number_cell(share_of_births)
    return Summary(
        (
            SummaryRow(
                "Births a year", count_cell(births) if births is not None else Cell("Not recorded", missing=True)
            ),
            SummaryRow("Accepted referrals a year", count_cell(reach["accepted_per_year"]), "at the period's rate"),
            SummaryRow("Reach", share_cell, reach_words(share_of_births)),
        )
    )


def reach_parts(reach: dict, *, needs_href: str) -> tuple:
    return (
        Subheading("Reach", "reach"),
        reach_summary(reach),
        Paragraph(
            "The needs model sets these beside the need that the births predict:", ("see the needs model", needs_href)
        ),
    )
