"""Pipeline moves: a date, a note, and whatever the move takes besides."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from referrals.forms.common import VersionedMixin, active, not_in_future
from referrals.forms.referral import LevelsForm
from referrals.models import REASON_MODELS, Intervention, Referral
from referrals.pipeline import ReasonVocabulary


class MoveForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    """A pipeline move: its date, an optional note, and whatever the move needs besides."""

    occurred_on = date_field("Date")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, referral: Referral, date_label: str, submit_label: str, **kwargs):
        self.submit_label = submit_label
        self.referral = referral
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


class ReasonMoveForm(MoveForm):
    """A move that takes a reason (not accepting, disengaging, a hold): the reason's field is named after the
    vocabulary it is chosen from, as the pipeline names it in its refusals."""

    # Where the field's label does not read well after "Choose the".
    REQUIRED_MESSAGES = {ReasonVocabulary.DISENGAGEMENT: "Choose the reason the family disengaged"}

    def __init__(self, *args, vocabulary: ReasonVocabulary, **kwargs):
        self.vocabulary = vocabulary
        required = self.REQUIRED_MESSAGES.get(vocabulary, f"Choose the {vocabulary.label}")
        reason = forms.ModelChoiceField(
            label=capfirst(vocabulary.label),
            queryset=active(REASON_MODELS[vocabulary]),
            empty_label="Choose a reason",
            error_messages={"required": required},
        )
        super().__init__(*args, **kwargs)
        self.fields[vocabulary.value] = reason
        self.helper.layout.append(vocabulary.value)

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        data["reason"] = data.pop(self.vocabulary.value)
        return data


def interventions_for(referral: Referral):
    """The catalogue's interventions a referral can be given: those of its pathway's format (1:1 or group)."""
    return active(Intervention).filter(format=referral.pathway)


class InterventionStartForm(MoveForm):
    intervention = forms.ModelChoiceField(
        label="Intervention",
        queryset=active(Intervention),
        empty_label="Choose an intervention",
        error_messages={"required": "Choose the intervention"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions_for(self.referral)


class ReopenForm(MoveForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].label = "Why is the referral being reopened?"
        self.fields["note"].error_messages["required"] = "Enter why the referral is being reopened"
