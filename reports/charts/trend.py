"""One KPI over the quarters, for the trend's small multiples: the actual figure as a line with a marker a quarter,
labelled, and the quarter's target as a dashed line. A suppressed figure leaves a gap marked "*" on the axis; a
quarter without a target leaves a gap in the target's line. In the SVG each point's label is the group `value-N`
and a suppressed quarter's mark `suppressed-N`."""

import math
from collections.abc import Sequence

from matplotlib.ticker import FuncFormatter, MaxNLocator

from reports.charts.style import (
    GRID_COLOUR,
    MUTED_TEXT_COLOUR,
    SERIES_COLOURS,
    SMALL_FONT_SIZE,
    TARGET_COLOUR,
    TEXT_COLOUR,
    Chart,
    drawn_once,
    new_axes,
    plain_axes,
    rendered,
)

HEIGHT_INCHES = 2.3
# What a suppressed quarter shows on the axis.
SUPPRESSED_MARK = "*"


@drawn_once
def trend_chart(
    quarters: Sequence[str],
    actuals: Sequence[float | None],
    targets: Sequence[float | None],
    *,
    is_rate: bool,
    suppressed: Sequence[bool],
    alt: str,
) -> Chart:
    """`quarters` are short names (two lines at most); a rate's values are fractions, shown as percentages. The
    KPI's name is the heading the page gives the chart."""
    axes = new_axes(HEIGHT_INCHES, left=0.5, bottom=0.45, top=0.3, right=0.1)
    plain_axes(axes)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    positions = range(len(quarters))
    scale = 100 if is_rate else 1
    shown = [math.nan if value is None else value * scale for value in actuals]
    target_line = [math.nan if value is None else value * scale for value in targets]
    axes.plot(positions, target_line, color=TARGET_COLOUR, linestyle="--", linewidth=1.5, label="Target")
    axes.plot(positions, shown, color=SERIES_COLOURS[0], marker="o", linewidth=2, markersize=5, label="Actual")
    highest = max([value for value in shown + target_line if not math.isnan(value)], default=0)
    top = 115 if is_rate else max(highest * 1.2, 1)
    axes.set_ylim(0, top)
    for position, value in zip(positions, shown, strict=True):
        if not math.isnan(value):
            text = f"{value:.0f}%" if is_rate else f"{value:,.0f}"
            axes.annotate(
                text,
                (position, value),
                xytext=(0, 5),
                textcoords="offset points",
                ha="center",
                fontsize=SMALL_FONT_SIZE,
                color=TEXT_COLOUR,
                gid=f"value-{position}",
            )
    for position, hidden in zip(positions, suppressed, strict=True):
        if hidden:
            axes.text(
                position,
                top * 0.03,
                SUPPRESSED_MARK,
                ha="center",
                fontsize=SMALL_FONT_SIZE,
                color=MUTED_TEXT_COLOUR,
                gid=f"suppressed-{position}",
            )
    axes.set_xticks(list(positions), list(quarters))
    axes.set_xlim(-0.5, len(quarters) - 0.5)
    if is_rate:
        axes.set_yticks([0, 25, 50, 75, 100])
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    if all(value is None for value in actuals) and not any(suppressed):
        axes.text(
            0.5,
            0.5,
            "No data in these quarters",
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=SMALL_FONT_SIZE,
            color=MUTED_TEXT_COLOUR,
        )
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(-0.1, 1.02),
        ncols=2,
        fontsize=SMALL_FONT_SIZE,
        frameon=False,
        labelcolor=MUTED_TEXT_COLOUR,
        handlelength=2.2,
        borderaxespad=0,
    )
    return rendered(axes.figure, alt)
