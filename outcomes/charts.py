"""A chart per instrument of one referral's scores over time: matplotlib's object-oriented API, drawn as SVG.

No pyplot: a `Figure` per request keeps the server free of global plotting state. The same figures are always
given in a table beside the chart for people who cannot see it.
"""

import datetime
import io
from itertools import cycle

from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

from outcomes.models import Questionnaire
from outcomes.registry import Instrument

# NHS identity colours with enough contrast on white: blue, purple, dark green, dark grey.
SERIES_COLOURS = ("#005eb8", "#330072", "#006747", "#425563")
MARKERS = ("o", "s", "^", "D")
BAND_SHADES = ("#f0f4f5", "#ffffff")
# Inches; SVG draws at 72 points an inch, which browsers show at 96 pixels an inch.
FIGURE_SIZE = (5.2, 3.0)
PIXEL_SIZE = (round(FIGURE_SIZE[0] * 96), round(FIGURE_SIZE[1] * 96))
TEXT_COLOUR = "#212b32"
MUTED_TEXT_COLOUR = "#4c6272"


ONE_DAY_MARGIN = datetime.timedelta(days=42)


def instrument_chart_svg(instrument: Instrument, questionnaires: list[Questionnaire]) -> str:
    """An SVG line chart of every scored questionnaire of `instrument`: one line per caregiver and scale."""
    figure = Figure(figsize=FIGURE_SIZE, layout="constrained")
    axes = figure.add_subplot()
    scored = [q for q in questionnaires if q.is_scored and q.instrument == instrument.code]
    caregivers = sorted({q.caregiver.position for q in scored})
    styles = cycle(zip(SERIES_COLOURS, MARKERS, strict=False))
    for position in caregivers:
        for scale in instrument.scales:
            points = [
                (q.completed_on, score.value, q.timepoint)
                for q in scored
                if q.caregiver.position == position
                for score in q.scores.all()
                if score.scale == scale.code
            ]
            if not points:
                continue
            colour, marker = next(styles)
            parts = [scale.name] if instrument.has_subscales else []
            if len(caregivers) > 1:
                parts.append(f"caregiver {position}")
            dates = [date for date, _, _ in points]
            values = [value for _, value, _ in points]
            axes.plot(
                dates,
                values,
                color=colour,
                marker=marker,
                linewidth=2,
                markersize=7,
                label=", ".join(parts) or scale.name,
            )
            for date, value, timepoint in points:
                axes.annotate(
                    timepoint,
                    (date, value),
                    textcoords="offset points",
                    xytext=(0, 9),
                    ha="center",
                    fontsize=9,
                    color=TEXT_COLOUR,
                )
    if not instrument.has_subscales:
        for band, shade in zip(instrument.scales[0].bands, cycle(BAND_SHADES), strict=False):
            axes.axhspan(band.low - 0.5 if band.low else band.low, band.high + 0.5, color=shade, zorder=0)
            axes.text(
                0.99,
                (band.low + band.high) / 2,
                band.label,
                transform=axes.get_yaxis_transform(),
                ha="right",
                va="center",
                fontsize=8,
                color=MUTED_TEXT_COLOUR,
            )
    completed = {q.completed_on for q in scored}
    if len(completed) == 1:
        # One day alone would be drawn in the middle of years of empty axis: show the weeks around it instead.
        (day,) = completed
        axes.set_xlim(day - ONE_DAY_MARGIN, day + ONE_DAY_MARGIN)
    low, high = min(s.minimum for s in instrument.scales), max(s.maximum for s in instrument.scales)
    margin = (high - low) * 0.08
    axes.set_ylim(low - margin, high + margin)
    axes.set_ylabel("Score", color=TEXT_COLOUR)
    axes.set_title(instrument.name, loc="left", fontsize=11, color=TEXT_COLOUR)
    axes.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=6))
    axes.xaxis.set_major_formatter(DateFormatter("%-d %b %Y"))
    axes.tick_params(colors=TEXT_COLOUR, labelsize=9)
    axes.grid(axis="y", color="#d8dde0", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(axes.get_lines()) > 1:
        axes.legend(fontsize=8, frameon=False, loc="best")
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
