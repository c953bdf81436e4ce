from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
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


class LoginForm(NHSFormHelperMixin, AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


class NHSPasswordChangeForm(NHSFormHelperMixin, PasswordChangeForm):
    submit_label = "Change password"


class NHSPasswordResetForm(NHSFormHelperMixin, PasswordResetForm):
    submit_label = "Send reset link"


class NHSSetPasswordForm(NHSFormHelperMixin, SetPasswordForm):
    submit_label = "Set password"


class TeamSwitchForm(forms.Form):
    team = forms.TypedChoiceField(coerce=int, label="Team")

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(m.team_id, m.team.name) for m in memberships]
