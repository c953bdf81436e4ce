"""The house style of the dashboard's charts and their rendering to SVG (as outcomes/charts.py draws a referral's
scores: NHS.UK colours that keep 3:1 contrast on white, text in the NHS.UK text colour, no chart junk).

Charts are sized for a phone: 3.6 inches is 346 pixels, so a 320-pixel screen shows them at about 85% and their
10-point text at about 11 pixels; on a wide screen they keep that size beside their table.
"""

import base64
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

# NHS.UK identity colours with at least 3:1 contrast on white, for series in this order.
SERIES_COLOURS = ("#005eb8", "#330072", "#007f3b", "#7c2855", "#425563")
# Hatching tells the series apart without colour.
SERIES_HATCHES = ("", "///", "\\\\\\", "xx", "---")
TARGET_COLOUR = "#d5281b"
TEXT_COLOUR = "#212b32"
MUTED_TEXT_COLOUR = "#4c6272"
GRID_COLOUR = "#d8dde0"
FONT_SIZE = 10
SMALL_FONT_SIZE = 9
WIDTH_INCHES = 3.6
PIXELS_PER_INCH = 96


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its SVG, the text alternative read instead of it, and its size in CSS pixels."""

    svg: str
    alt: str
    width: int
    height: int

    @property
    def data_uri(self) -> str:
        """The SVG as an image source: an image keeps the chart's own styles apart from the page's (and its
        Content-Security-Policy), and is read out by its alt text."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


# Charts a process keeps: a dashboard draws about a dozen, a trend's seven of them for past quarters.
CHARTS_KEPT = 512


def _frozen(value):
    """A chart's argument as a hashable key: lists become tuples, all the way down."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


def drawn_once[**P](draw: Callable[P, Chart]) -> Callable[P, Chart]:
    """A chart is a pure function of its figures and words, and matplotlib takes tens of milliseconds to draw one:
    the process keeps the last `CHARTS_KEPT` it drew, so a page asked again with the same figures (a past quarter's
    trend, a dashboard reloaded) redraws only the charts whose figures changed. Never stale: the key is everything
    the chart is drawn from."""
    kept = functools.lru_cache(maxsize=CHARTS_KEPT)(lambda args, kwargs: draw(*args, **dict(kwargs)))

    @functools.wraps(draw)
    def chart(*args: P.args, **kwargs: P.kwargs) -> Chart:
        return kept(_frozen(args), tuple(sorted((name, _frozen(value)) for name, value in kwargs.items())))

    chart.cache_clear = kept.cache_clear  # type: ignore[attr-defined]
    return chart


def new_axes(
    height_inches: float, *, left: float = 0.05, bottom: float = 0.05, top: float = 0.05, right: float = 0.05
) -> Axes:
    """Axes on a new figure `height_inches` tall, with margins in inches around them for what is drawn outside
    (tick labels, a legend). Margins are set, not worked out: matplotlib's automatic layouts draw the figure
    several times over, and a page of charts would take seconds."""
    figure = Figure(figsize=(WIDTH_INCHES, height_inches))
    figure.set_facecolor("white")
    return figure.add_axes(
        (
            left / WIDTH_INCHES,
            bottom / height_inches,
            1 - (left + right) / WIDTH_INCHES,
            1 - (bottom + top) / height_inches,
        )
    )


def plain_axes(axes: Axes) -> None:
    """No box, a light grid along the values, text in the house colours."""
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(GRID_COLOUR)
    axes.tick_params(colors=TEXT_COLOUR, labelsize=SMALL_FONT_SIZE, length=0)
    axes.set_axisbelow(True)


def rendered(drawn_on: Figure | SubFigure, alt: str) -> Chart:
    """The SVG of the figure an axes was drawn on (`axes.figure`, typed as either kind of figure)."""
    figure = drawn_on.figure if isinstance(drawn_on, SubFigure) else drawn_on
    buffer = io.StringIO()
    # Text stays text (the SVG backend reads this setting as it saves, so only this save is affected): a fifth of
    # the size of glyphs drawn as paths, and the words can be found and copied.
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    width, height = figure.get_size_inches()
    return Chart(
        svg=buffer.getvalue(),
        alt=alt,
        width=round(width * PIXELS_PER_INCH),
        height=round(height * PIXELS_PER_INCH),
    )
