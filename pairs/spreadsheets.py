"""Text a spreadsheet must show as text: the one rule for every CSV file and workbook the app writes (the monitoring
export, the KPI downloads), and its inverse on the monitoring import.

A cell beginning with `=`, `+`, `-` or `@` would be run as a formula when a CSV file or workbook is opened in a
spreadsheet (data-contract.md, "Export in the same format"), so such text is written after an apostrophe, the
spreadsheet's own mark for "this is text". The import takes the apostrophe off again, so an export imports as
the records it was written from.
"""

FORMULA_STARTS = ("=", "+", "-", "@")
TEXT_MARK = "'"


def neutralise_formula(text: str) -> str:
    """`text` as a spreadsheet shows it as text, never runs it."""
    return f"{TEXT_MARK}{text}" if text.startswith(FORMULA_STARTS) else text


def restore_neutralised(text: str) -> str:
    """The text `neutralise_formula()` was given."""
    if text.startswith(TEXT_MARK) and text[len(TEXT_MARK) :].startswith(FORMULA_STARTS):
        return text[len(TEXT_MARK) :]
    return text


# What a browser is told an .xlsx download is.
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
