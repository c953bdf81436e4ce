"""Form fields in the NHS.UK patterns, with the error messages the design system words."""

from django import forms

from nhsuk.widgets import DateInput

DATE_ERRORS = {"invalid": "Enter a real date, like 27 3 2025", "required": "Enter the date"}


def date_field(label: str, *, required: bool = True, help_text: str = "For example, 27 3 2025", **kwargs):
    """A date in the NHS.UK date input (day, month and year boxes), its required message naming the date."""
    messages = {**DATE_ERRORS, "required": f"Enter the {label.lower()}"}
    return forms.DateField(
        label=label, required=required, widget=DateInput, help_text=help_text, error_messages=messages, **kwargs
    )
