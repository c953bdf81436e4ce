"""Booking an appointment and recording what happened."""

import datetime

from django import forms
from django.utils import timezone

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from referrals.forms.common import PersonChoiceField, VersionedMixin
from referrals.models import (
    Appointment,
)


class AppointmentForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Book appointment"
    practitioner = PersonChoiceField(
        label="Practitioner", queryset=None, error_messages={"required": "Choose the practitioner"}
    )
    day = date_field("Date")
    time = forms.TimeField(
        label="Time",
        help_text="24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": "Enter the time", "invalid": "Enter a time on the 24-hour clock, like 14:30"},
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

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        day, time = data.pop("day"), data.pop("time")
        data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data


class AppointmentOutcomeForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Save outcome"
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Appointment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
