"""Widgets for the NHS.UK design system's patterns that Django does not have."""

import datetime

from django import forms


class DateInput(forms.MultiWidget):
    """The NHS.UK date input: three text boxes for day, month and year, never a date picker.

    Used with a plain `forms.DateField`: the three parts are joined as `YYYY-MM-DD` for the field to parse, so
    an impossible date such as 31 February fails the field's own validation.
    """

    template_name = "nhsuk/widgets/date_input.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}) for part in self.parts}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        day, month, year = (str(part).strip() if part is not None else "" for part in parts)
        if not (day or month or year):
            return ""
        if not (len(year) == 4 and year.isdigit()):
            # "24" must not silently become the year 24: hand the field something it will reject.
            return f"{day}/{month}/{year}?"
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in self.parts)


class CompactDateInput(DateInput):
    """The NHS.UK date input for a table row: the same three boxes, their labels for screen readers only.

    The row's own label (a legend naming the row) comes from the table around it.
    """

    template_name = "nhsuk/widgets/compact_date_input.html"
