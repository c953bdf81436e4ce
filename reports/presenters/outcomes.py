"""The outcomes section: the pairing rate against its 75% target, each instrument's statistics (n, means at T1 and
T2, change, p-value, effect size, reliable change), the mean scores before and after (Figure 8), reliable change by
instrument, the family roll-up and recovery (kpis.md, "Definitions" and "Further figures")."""

from dataclasses import dataclass

from outcomes.registry import Instrument, Scale, registry
from reports.charts.bars import Series, bar_chart
from reports.presenters.kpi_tiles import KpiTile
from reports.presenters.tables import (
    Column,
    FigureBlock,
    Paragraph,
    Row,
    Section,
    Subheading,
    Summary,
    SummaryRow,
    Table,
    bar_value,
    chart_notes,
)
from reports.presenters.values import count_cell, number_cell, p_value_cell, rate_cell


def mean_cell(value):
    return number_cell(value, 2, fixed=True)


VERDICTS = (
    ("reliably_improved", "Reliably improved"),
    ("no_reliable_change", "No reliable change"),
    ("reliably_deteriorated", "Reliably deteriorated"),
)


@dataclass(frozen=True)
class ScaleFigures:
    instrument: Instrument
    scale: Scale
    figures: dict

    @property
    def name(self) -> str:
        if self.instrument.has_subscales:
            return f"{self.instrument.name} {self.scale.name.lower()}"
        return self.instrument.name


def scale_figures(instruments: dict) -> list[ScaleFigures]:
    """Every scale the export has statistics for, in the registry's order."""
    found = []
    for instrument in registry():
        figures = instruments.get(instrument.code)
        if figures is None:
            continue
        for scale in instrument.scales:
            found.append(ScaleFigures(instrument, scale, figures[scale.code] if instrument.has_subscales else figures))
    return found


def _directions(scales: list[ScaleFigures]) -> str:
    """Which way is better on each measure, in one sentence: "Lower scores are better on PHQ-9 and GAD-7; higher
    scores on GBO."."""
    by_direction: dict[str, list[str]] = {}
    for one in scales:
        by_direction.setdefault(one.scale.improvement, []).append(one.name)
    parts = [f"{direction} scores on {_and(names)}" for direction, names in by_direction.items()]
    if not parts:
        return ""
    first, *others = parts
    first = first.replace(" scores on ", " scores are better on ", 1)
    return f"{'; '.join([first[0].upper() + first[1:], *others])}."


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _statistics_table(scales: list[ScaleFigures]) -> Table:
    return Table(
        caption="Outcome measures: first T1 against last T2",
        columns=(
            Column("Measure", numeric=False),
            Column("Pairs (n)"),
            Column("Mean T1"),
            Column("Mean T2"),
            Column("Mean change"),
            Column("p-value"),
            Column("Effect size (d)"),
        ),
        rows=tuple(
            Row(
                one.name,
                (
                    count_cell(one.figures["n"]),
                    mean_cell(one.figures["mean_t1"]),
                    mean_cell(one.figures["mean_t2"]),
                    mean_cell(one.figures["mean_change"]),
                    p_value_cell(one.figures["p_value"]),
                    mean_cell(one.figures["effect_size"]),
                ),
            )
            for one in scales
        ),
        notes=(
            "One pair per referral and caregiver: the first T1 against the last T2, both on or before the period's "
            "end. The p-value is the paired t-test's (two-sided); the effect size is Cohen's d for paired scores.",
            _directions(scales),
        ),
    )


def figure_8(scales: list[ScaleFigures]) -> FigureBlock:
    means = {timepoint: [one.figures[f"mean_{timepoint}"] for one in scales] for timepoint in ("t1", "t2")}
    chart = None
    if any(bar_value(value) for values in means.values() for value in values):
        chart = bar_chart(
            [one.name for one in scales],
            [
                Series(
                    timepoint.upper(),
                    tuple(bar_value(value) for value in values),
                    tuple(mean_cell(value).text for value in values),
                )
                for timepoint, values in means.items()
            ],
            alt=(
                "Bar chart of the mean score of each outcome measure at T1 and at T2. The same figures are in the "
                "table beside it."
            ),
        )
    table = Table(
        caption="Mean scores at T1 and T2",
        columns=(Column("Measure", numeric=False), Column("Mean T1"), Column("Mean T2"), Column("Pairs (n)")),
        rows=tuple(
            Row(
                one.name,
                (
                    mean_cell(one.figures["mean_t1"]),
                    mean_cell(one.figures["mean_t2"]),
                    count_cell(one.figures["n"]),
                ),
            )
            for one in scales
        ),
        notes=("Each measure has its own range, so compare T1 with T2 within a measure only.",),
    )
    return FigureBlock(
        id="figure-8",
        number=8,
        title="Mean scores before and after intervention",
        table=table,
        chart=chart,
        notes=chart_notes([value for values in means.values() for value in values]),
    )


def _threshold_notes(scales: list[ScaleFigures], judged: list[ScaleFigures]) -> tuple[str, ...]:
    notes = [f"Reliable change: {'; '.join(one.scale.threshold_source for one in judged)}."] if judged else []
    unjudged = [one.name for one in scales if one not in judged]
    if unjudged:
        verb = "has" if len(unjudged) == 1 else "have"
        notes.append(f"{_and(unjudged)} {verb} no reliable-change threshold, so no reliable change is counted.")
    return tuple(notes)


def reliable_change_block(scales: list[ScaleFigures]) -> FigureBlock:
    """Reliable change of the scales with a threshold (the others have none to judge by)."""
    judged = [one for one in scales if one.figures["reliably_improved"] is not None]
    values = [one.figures[code] for one in judged for code, _ in VERDICTS]
    chart = None
    if any(bar_value(value) for value in values):
        chart = bar_chart(
            [one.name for one in judged],
            [
                Series(
                    words,
                    tuple(bar_value(one.figures[code]) for one in judged),
                    tuple(count_cell(one.figures[code]).text for one in judged),
                )
                for code, words in VERDICTS
            ],
            alt=(
                "Bar chart of the caregivers reliably improved, with no reliable change and reliably deteriorated on "
                "each outcome measure. The same figures are in the table beside it."
            ),
        )
    table = Table(
        caption="Reliable change by measure",
        columns=(Column("Measure", numeric=False), *(Column(words) for _, words in VERDICTS)),
        rows=tuple(Row(one.name, tuple(count_cell(one.figures[code]) for code, _ in VERDICTS)) for one in judged),
        notes=_threshold_notes(scales, judged),
    )
    return FigureBlock(
        id="reliable-change",
        title="Reliable change",
        table=table,
        chart=chart,
        notes=chart_notes(values),
    )


def outcomes_section(outcomes: dict, *, pairing: KpiTile) -> Section:
    """`pairing` is the tile of the pairing-rate KPI, for its target and status."""
    scales = scale_figures(outcomes["instruments"])
    families = outcomes["families"]
    recovery = outcomes["recovery"]
    return Section(
        id="outcomes",
        heading="Outcomes",
        parts=(
            Summary(
                (
                    SummaryRow("Completed referrals", count_cell(outcomes["completed"])),
                    SummaryRow("With paired outcome measures", count_cell(outcomes["paired"])),
                    SummaryRow(
                        "Pairing rate",
                        rate_cell(outcomes["pairing_rate"]),
                        f"target {pairing.target}; {pairing.status.words.lower()}",
                    ),
                )
            ),
            _statistics_table(scales),
            figure_8(scales),
            reliable_change_block(scales),
            Subheading("Families", "families"),
            Paragraph(
                "Each referral with a paired measure that has a reliable-change threshold, counted once: its "
                "caregivers' results first, then the referral takes the worst of its caregivers'."
            ),
            Summary(
                (
                    SummaryRow("Families with a paired measure", count_cell(families["n"])),
                    SummaryRow("Improved", count_cell(families["improved"])),
                    SummaryRow("No reliable change", count_cell(families["no_reliable_change"])),
                    SummaryRow("Deteriorated", count_cell(families["deteriorated"])),
                )
            ),
            Subheading("Recovery", "recovery"),
            Paragraph(
                "NHS Talking Therapies definitions, for caregivers with both PHQ-9 and GAD-7 paired: at caseness at "
                "T1 with PHQ-9 10 or more or GAD-7 8 or more; recovered when below caseness on both at T2; reliably "
                "recovered when also reliably improved on one and reliably deteriorated on neither."
            ),
            Summary(
                (
                    SummaryRow("Caregivers with PHQ-9 and GAD-7 paired", count_cell(recovery["caregivers_paired"])),
                    SummaryRow("At caseness at T1", count_cell(recovery["at_caseness"])),
                    SummaryRow("Recovered", count_cell(recovery["recovered"])),
                    SummaryRow("Recovery rate", rate_cell(recovery["recovery_rate"]), "of those at caseness"),
                    SummaryRow("Reliably recovered", count_cell(recovery["reliably_recovered"])),
                    SummaryRow(
                        "Reliable recovery rate",
                        rate_cell(recovery["reliable_recovery_rate"]),
                        "of those at caseness",
                    ),
                )
            ),
        ),
    )
