"""django-tables2 parts for the NHS.UK table, rendered by the generic template `templates/tables/nhsuk_table.html`."""

import django_tables2 as tables

NUMERIC_ATTRS = {
    "th": {"class": "nhsuk-table__header--numeric"},
    "td": {"class": "nhsuk-table__cell--numeric"},
    "tf": {"class": "nhsuk-table__cell--numeric"},
}


class NumericColumn(tables.Column):
    """A right-aligned column of numbers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC_ATTRS)
        super().__init__(*args, **kwargs)


class NHSTable(tables.Table):
    """Base of the project's tables: the NHS.UK template, a caption, and the first column as row headers."""

    caption = ""
    caption_size = "m"
    row_header = True
    compact = False

    class Meta:
        template_name = "tables/nhsuk_table.html"
        attrs: dict[str, str] = {}
