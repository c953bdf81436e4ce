import datetime
from typing import cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils import timezone

from nhsuk.forms import NHSFormHelperMixin
from nhsuk.widgets import DateInput
from pairs.periods import (
    CUSTOM,
    EARLIEST_PERIOD_DATE,
    Period,
    custom_period,
    period_choices,
    period_from_key,
    service_quarter_of,
)


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


class TwoFactorVerifyForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Continue"
    code = forms.CharField(
        label="Security code",
        max_length=20,
        help_text="The 6 numbers your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )


class TwoFactorEnrolForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Confirm and continue"
    code = forms.RegexField(
        label="Security code",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        help_text="The 6 numbers the app shows for this service now.",
        error_messages={"invalid": "Enter the 6 numbers the app shows, like 123456."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> int:
        return int("".join(self.cleaned_data["code"].split()))


class PeriodForm(forms.Form):
    """Choose a reporting period. Sent by GET; unbound (no `period` in the query) it stands for the current quarter.

    `PeriodForm.for_team(request.GET, team=request.team)`, then `form.chosen` is the period to show.
    """

    period = forms.ChoiceField(label="Period")
    start = forms.DateField(
        label="Custom period from", required=False, widget=DateInput, help_text="For example, 1 4 2024"
    )
    end = forms.DateField(
        label="Custom period to", required=False, widget=DateInput, help_text="For example, 30 6 2024"
    )

    # Service years offered before the team's recorded start, when it has none.
    default_years_back = 3

    def __init__(self, data=None, *, year_start_month: int, today: datetime.date, earliest=None, **kwargs):
        super().__init__(data, **kwargs)
        self.year_start_month = year_start_month
        self.today = today
        if earliest is None:
            earliest = today.replace(year=today.year - self.default_years_back, day=1)
        self.default = service_quarter_of(today, year_start_month)
        cast(forms.ChoiceField, self.fields["period"]).choices = period_choices(
            year_start_month=year_start_month, today=today, earliest=earliest
        )
        self.fields["period"].initial = self.default.key
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("show", "Show", css_class="nhsuk-button--secondary"))

    @classmethod
    def for_team(cls, data, *, team, today: datetime.date | None = None) -> "PeriodForm":
        """The form for a team's service years; `data` (a query dict) binds it only when it names a period."""
        return cls(
            data if data and "period" in data else None,
            year_start_month=team.year_start_month,
            today=today or timezone.localdate(),
            earliest=team.reporting_start,
        )

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("period")
        if key is None:
            return cleaned
        if key != CUSTOM:
            # The date boxes only matter for custom dates; what is left in them otherwise is not an error.
            for name in ("start", "end"):
                self.errors.pop(name, None)
            cleaned["chosen"] = period_from_key(key, year_start_month=self.year_start_month, today=self.today)
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Enter the first day of the custom period")
        if end is None and "end" not in self.errors:
            self.add_error("end", "Enter the last day of the custom period")
        if start and end:
            if end < start:
                self.add_error("end", "The last day must be the same as or after the first day")
                return cleaned
            try:
                cleaned["chosen"] = custom_period(start, end)
            except ValueError as error:
                self.add_error("start" if start < EARLIEST_PERIOD_DATE else "end", str(error))
        return cleaned

    @property
    def chosen(self) -> Period:
        """The chosen period, or the current quarter while the choice is missing or invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["chosen"]
        return self.default
