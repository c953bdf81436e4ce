"""Horizontal bars by category, one series or several: each category's words above its bars, each bar labelled with
its figure at its end, so that the chart reads on a phone without axes or a legend to decode. Several series are
told apart by colour, by hatching and by the series' name in each bar's label.

A value of `None` is a suppressed count: no bar is drawn, and "suppressed" is written where it would be. In the
SVG each bar is the group `bar-N`, its label `value-N`, and a suppressed one's words `suppressed-N`, so that a
check can tell the figures drawn from the words around them.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.patches import Rectangle
from matplotlib.transforms import blended_transform_factory

from reports.charts.style import (
    FONT_SIZE,
    MUTED_TEXT_COLOUR,
    SERIES_COLOURS,
    SERIES_HATCHES,
    SMALL_FONT_SIZE,
    TEXT_COLOUR,
    WIDTH_INCHES,
    Chart,
    drawn_once,
    new_axes,
    plain_axes,
    rendered,
)

LABEL_CHARACTERS = 44
# Heights in the chart's own units, and inches per unit.
LINE = 0.62
BAR = 0.56
BAR_GAP = 0.14
CATEGORY_GAP = 0.34
INCHES_PER_UNIT = 0.29
MARGIN_INCHES = 0.12
SUPPRESSED_LABEL = "* suppressed, not drawn"
# The width of a character of a bar's label, in inches, for the room to leave beside the bar (a generous mean for
# 9-point text, so that the browser's own font never runs off the edge).
CHARACTER_INCHES = 0.08
LABEL_OFFSET_INCHES = 0.1


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    # What each bar's end says, such as "45 (47.9%)".
    labels: tuple[str, ...]


@dataclass(frozen=True)
class _Bar:
    top: float
    value: float | None
    label: str
    series: int


def _layout(categories: Sequence[str], series: Sequence[Series]) -> tuple[list[tuple[float, str]], list[_Bar], float]:
    """Where each category's words and each bar go, from the top down, and the total height."""
    words, bars, y = [], [], 0.0
    for index, category in enumerate(categories):
        lines = textwrap.wrap(category, LABEL_CHARACTERS) or [""]
        words.append((y, "\n".join(lines)))
        y += LINE * len(lines)
        for number, one in enumerate(series):
            value = one.values[index]
            label = SUPPRESSED_LABEL if value is None else one.labels[index]
            if len(series) > 1:
                label = f"{one.name}: {label}"
            bars.append(_Bar(y, value, label, number))
            y += BAR + BAR_GAP
        y += CATEGORY_GAP
    return words, bars, y


def _value_axis_length(bars: list[_Bar], *, axes_inches: float) -> float:
    """The length of the value axis that leaves room after each bar for its label: a bar of value v with a label L
    inches long needs v / (1 - (L + offset) / width)."""
    needed = [
        bar.value / (1 - min(0.9, (len(bar.label) * CHARACTER_INCHES + LABEL_OFFSET_INCHES) / axes_inches))
        for bar in bars
        if bar.value
    ]
    return max(needed, default=1)


@drawn_once
def bar_chart(categories: Sequence[str], series: Sequence[Series], *, alt: str) -> Chart:
    words, bars, height = _layout(categories, series)
    axes = new_axes(MARGIN_INCHES * 2 + height * INCHES_PER_UNIT, bottom=MARGIN_INCHES, top=MARGIN_INCHES)
    plain_axes(axes)
    axes.xaxis.set_visible(False)
    axes.yaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.set_xlim(0, _value_axis_length(bars, axes_inches=WIDTH_INCHES - 0.1))
    axes.set_ylim(height, 0)
    left_edge = blended_transform_factory(axes.transAxes, axes.transData)
    for top, text in words:
        axes.text(0, top, text, transform=left_edge, va="top", ha="left", fontsize=FONT_SIZE, color=TEXT_COLOUR)
    for number, bar in enumerate(bars):
        middle = bar.top + BAR / 2
        if bar.value is None:
            axes.text(
                0,
                middle,
                bar.label,
                transform=left_edge,
                va="center",
                ha="left",
                fontsize=SMALL_FONT_SIZE,
                style="italic",
                color=MUTED_TEXT_COLOUR,
                gid=f"suppressed-{number}",
            )
            continue
        if bar.value:
            axes.add_patch(
                Rectangle(
                    (0, bar.top),
                    bar.value,
                    BAR,
                    facecolor=SERIES_COLOURS[bar.series % len(SERIES_COLOURS)],
                    hatch=SERIES_HATCHES[bar.series % len(SERIES_HATCHES)],
                    edgecolor="white",
                    linewidth=0,
                    gid=f"bar-{number}",
                )
            )
        axes.annotate(
            bar.label,
            (bar.value, middle),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=SMALL_FONT_SIZE,
            color=TEXT_COLOUR,
            gid=f"value-{number}",
        )
    return rendered(axes.figure, alt)
