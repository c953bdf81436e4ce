"""The dashboard's charts: matplotlib's object-oriented API (a `Figure` per chart, no pyplot state), drawn as SVG
on the server in the NHS.UK palette, each with a text alternative. Charts are handed plain numbers and words by the
presenters; a value that is `None` is a suppressed count, which a chart never draws and always says it left out.

`bars.bar_chart` draws bars by category (one series or several); `trend.trend_chart` one KPI over the quarters.
"""

from reports.charts.style import Chart

__all__ = ["Chart"]
