"""Pipeline moves: a date, a note, and whatever the move takes besides."""

from django import forms
from django.utils import timezone

from pairs.forms import NHSFormHelperMixin
from referrals.forms.common import VersionedMixin, active, date_field, not_in_future
from referrals.forms.referral import LevelsForm
from referrals.models import (
    DeclineReason,
    DisengagementReason,
    HoldReason,
    Intervention,
)


class MoveForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    """A pipeline move: its date, an optional note, and whatever the move needs besides."""

    occurred_on = date_field("Date")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, date_label: str, submit_label: str, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].label = date_label
        self.fields["occurred_on"].error_messages["required"] = f"Enter the {date_label.lower()}"
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        not_in_future(value, self.fields["occurred_on"].label.lower())
        return value

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        return data


class AcceptForm(MoveForm):
    safeguarding_level = LevelsForm.base_fields["safeguarding_level"]


class DeclineForm(MoveForm):
    decline_reason = forms.ModelChoiceField(
        label="Reason for not accepting",
        queryset=active(DeclineReason),
        empty_label="Choose a reason",
        error_messages={"required": "Choose the reason for not accepting"},
    )

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        data["reason"] = data.pop("decline_reason")
        return data


class DisengageForm(MoveForm):
    disengagement_reason = forms.ModelChoiceField(
        label="Reason for disengaging",
        queryset=active(DisengagementReason),
        empty_label="Choose a reason",
        error_messages={"required": "Choose the reason the family disengaged"},
    )

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        data["reason"] = data.pop("disengagement_reason")
        return data


class HoldForm(MoveForm):
    hold_reason = forms.ModelChoiceField(
        label="Reason for the hold",
        queryset=active(HoldReason),
        empty_label="Choose a reason",
        error_messages={"required": "Choose the reason for the hold"},
    )

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        data["reason"] = data.pop("hold_reason")
        return data


class InterventionStartForm(MoveForm):
    intervention = forms.ModelChoiceField(
        label="Intervention",
        queryset=active(Intervention),
        empty_label="Choose an intervention",
        error_messages={"required": "Choose the intervention"},
    )


class ReopenForm(MoveForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].label = "Why is the referral being reopened?"
        self.fields["note"].error_messages["required"] = "Enter why the referral is being reopened"
