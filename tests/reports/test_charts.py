import base64
import re

from reports.charts.bars import SUPPRESSED_LABEL, Series, bar_chart
from reports.charts.style import SERIES_COLOURS, TARGET_COLOUR
from reports.charts.trend import trend_chart

FIRST, SECOND = SERIES_COLOURS[:2]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def bars_of(svg: str, colour: str) -> int:
    return svg.count(f"fill: {colour}")


def test_a_bar_a_shown_count_and_none_for_a_suppressed_one_which_the_chart_names():
    chart = bar_chart(
        ["Referred", "Action plan", "Signposted", "Advice only"],
        [Series("Consultations", (45, None, 24, 0), ("45 (47.9%)", "*", "24 (25.5%)", "0"))],
        alt="Bar chart of the consultations by what followed.",
    )
    assert bars_of(chart.svg, FIRST) == 2  # 45 and 24: nothing for the suppressed count or the zero
    categories, bars = texts(chart.svg)[:4], texts(chart.svg)[4:]
    assert categories == ["Referred", "Action plan", "Signposted", "Advice only"]
    assert bars == ["45 (47.9%)", SUPPRESSED_LABEL, "24 (25.5%)", "0"]
    assert chart.alt == "Bar chart of the consultations by what followed."


def test_several_series_name_each_bar_and_are_told_apart_by_colour_and_hatching():
    chart = bar_chart(
        ["Disengaged at referral"],
        [Series("Individual", (3,), ("3 (5.5%)",)), Series("Group", (None,), ("*",))],
        alt="Engagement by pathway.",
    )
    assert texts(chart.svg) == ["Disengaged at referral", "Individual: 3 (5.5%)", f"Group: {SUPPRESSED_LABEL}"]
    assert (bars_of(chart.svg, FIRST), bars_of(chart.svg, SECOND)) == (1, 0)


def test_a_chart_is_an_svg_image_sized_for_a_phone_with_its_words_as_text():
    chart = bar_chart(["Mother", "Father"], [Series("Referrals", (91, 5), ("91", "5"))], alt="Roles.")
    assert chart.svg.lstrip().startswith("<?xml")
    assert chart.width == 346
    assert base64.b64decode(chart.data_uri.removeprefix("data:image/svg+xml;base64,")).decode() == chart.svg
    # More categories, a taller chart of the same width.
    taller = bar_chart(list("abcdef"), [Series("n", (1, 2, 3, 4, 5, 6), tuple("123456"))], alt="")
    assert (taller.width, taller.height > chart.height) == (346, True)


def test_the_trend_draws_the_target_and_leaves_a_suppressed_quarter_out():
    chart = trend_chart(
        ["Q1\n23/24", "Q2\n23/24", "Q3\n23/24"],
        [12, None, 20],
        [10.0, 10.0, None],
        is_rate=False,
        suppressed=[False, True, False],
        alt="Training sessions by quarter.",
    )
    labels = texts(chart.svg)
    assert {"12", "20"} <= set(labels)
    assert "*" in labels
    assert TARGET_COLOUR in chart.svg


def test_a_rate_trend_reads_in_per_cent_and_an_empty_one_says_so():
    rates = trend_chart(["Q1", "Q2"], [0.5, 0.8], [0.75, 0.75], is_rate=True, suppressed=[False, False], alt="")
    assert {"50%", "80%", "100%"} <= set(texts(rates.svg))
    empty = trend_chart(["Q1", "Q2"], [None, None], [0.75, 0.75], is_rate=True, suppressed=[False, False], alt="")
    assert "No data in these quarters" in texts(empty.svg)


def test_the_same_figures_are_drawn_once_and_other_figures_afresh(monkeypatch):
    from matplotlib.figure import Figure

    drawn = []
    savefig = Figure.savefig
    monkeypatch.setattr(
        Figure, "savefig", lambda self, *args, **kwargs: drawn.append(1) or savefig(self, *args, **kwargs)
    )
    trend_chart.cache_clear()  # type: ignore[attr-defined]
    figures = (["Q1\n24/25", "Q2\n24/25"], [3.0, 4.0], [5.0, 5.0])

    first = trend_chart(*figures, is_rate=False, suppressed=[False, False], alt="Families supported.")
    again = trend_chart(*figures, is_rate=False, suppressed=[False, False], alt="Families supported.")
    assert again is first
    assert len(drawn) == 1

    changed = trend_chart(
        ["Q1\n24/25", "Q2\n24/25"],
        [3.0, 9.0],
        [5.0, 5.0],
        is_rate=False,
        suppressed=[False, False],
        alt="Families supported.",
    )
    assert changed is not first
    assert len(drawn) == 2
    assert "9" in texts(changed.svg)
    assert "9" not in texts(first.svg)
    other_words = trend_chart(*figures, is_rate=False, suppressed=[False, False], alt="Training sessions.")
    assert other_words.alt == "Training sessions."
    assert len(drawn) == 3
