"""Fields and mixins the casework forms share."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

YES_NO = [(True, "Yes"), (False, "No")]


def yes_no_field(label: str, *, required_message: str):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


def not_in_future(value: datetime.date | None, what: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(f"The {what} cannot be in the future.")


def active(model):
    return model.objects.filter(is_active=True)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class PartHelperMixin:
    """A form shown as one part of a page with several forms: no tag, no button, errors in the page's summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = False


class VersionedMixin(forms.Form):
    """Carries the version of the record the form was opened at, so that a stale edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
