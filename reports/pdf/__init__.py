"""The reports as PDFs (WeasyPrint, A4): the quarterly performance report for commissioners, the annual impact
statement and the evaluation report, from the KPI engine's figures through the dashboard's presenters and charts.

`render` turns a document's HTML into a tagged PDF; `documents` builds each kind; `services` keeps the quarterly
commentary and the issued reports; `views` and the `report_pdf` command offer the same files.
"""
