"""Forms in the NHS.UK pattern: one primary button, and a service's refusal shown on the form it came from."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.core.exceptions import ValidationError


def show_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def saved(form, write) -> bool:
    """Run the service call `write`; a ValidationError it raises is shown on the form instead."""
    try:
        write()
    except ValidationError as error:
        show_service_errors(form, error)
        return False
    return True


class NHSFormHelperMixin:
    """Gives a form a crispy helper with one primary submit button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))
