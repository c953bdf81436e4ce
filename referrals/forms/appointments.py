"""Booking an appointment, moving, changing or cancelling one still ahead, and recording what happened."""

import datetime

from django import forms
from django.utils import timezone

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from referrals.forms.common import PersonChoiceField, VersionedMixin
from referrals.models import Appointment


def _starts_at(data: dict) -> datetime.datetime:
    """The day and time boxes as one moment, taking out the two fields."""
    day, time = data.pop("day"), data.pop("time")
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _reason_field(label: str, *, required_message: str | None = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required_message or ""},
    )


class AppointmentDetailsFields(forms.Form):
    """Who holds the appointment, its type and where: booked once, changed while it is ahead."""

    practitioner = PersonChoiceField(
        label="Practitioner", queryset=None, error_messages={"required": "Choose the practitioner"}
    )
    kind = forms.ChoiceField(
        label="Type of appointment",
        choices=Appointment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of appointment"},
    )
    mode = forms.ChoiceField(
        label="Where",
        choices=[("", "Choose where"), *Appointment.Mode.choices],
        error_messages={"required": "Choose where the appointment is"},
    )

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = clinicians


class AppointmentForm(NHSFormHelperMixin, AppointmentDetailsFields):
    submit_label = "Book appointment"
    day = date_field("Date")
    time = forms.TimeField(
        label="Time",
        help_text="24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": "Enter the time", "invalid": "Enter a time on the 24-hour clock, like 14:30"},
    )
    field_order = ["practitioner", "day", "time", "kind", "mode"]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["starts_at"] = _starts_at(data)
        return data


class AppointmentRescheduleForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Move appointment"
    day = date_field("New date")
    time = AppointmentForm.base_fields["time"]
    reason = _reason_field("Why is it moving?", required_message="Enter why the appointment is moving")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["starts_at"] = _starts_at(data)
        data["expected_version"] = data.pop("version")
        return data


class AppointmentEditForm(NHSFormHelperMixin, VersionedMixin, AppointmentDetailsFields):
    submit_label = "Save changes"
    reason = _reason_field("Why is it changing? (optional)")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        return data


class AppointmentCancelForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Cancel appointment"
    outcome = forms.ChoiceField(
        label="Who cancelled it?",
        choices=[
            (Appointment.Outcome.CANCELLED_BY_FAMILY, "The family"),
            (Appointment.Outcome.CANCELLED_BY_SERVICE, "The service"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who cancelled the appointment"},
    )
    reason = _reason_field("Why was it cancelled?", required_message="Enter why the appointment was cancelled")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        return data


class AppointmentOutcomeForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Save outcome"
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Appointment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
