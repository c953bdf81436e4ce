"""Forms built from an instrument's definition: one radio group per item, with the answer labels practitioners see."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhsuk.forms import NHSFormHelperMixin
from nhsuk.widgets import DateInput
from outcomes.models import NotCompletedReason, Timepoint
from outcomes.registry import Instrument, registry
from outcomes.scoring import item_key
from outcomes.services import GOAL_WORDING_MAX_LENGTH
from referrals.models import Caregiver


def goal_key(number: int) -> str:
    return f"goal_{number}"


class CaregiverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, caregiver) -> str:
        name = caregiver.name or f"Caregiver {caregiver.position}"
        return f"{name} ({caregiver.get_role_display().lower()})"


def _caregiver_field(referral) -> CaregiverChoiceField:
    caregivers = referral.caregivers.order_by("position") if referral else Caregiver.objects.none()
    return CaregiverChoiceField(
        queryset=caregivers,
        label="Who completed it",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the caregiver who completed it."},
    )


def _timepoint_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Time point",
        choices=Timepoint.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the time point."},
    )


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput,
        help_text=f"For example, {timezone.localdate():%-d %-m %Y}",
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date, for example 27 3 2025."},
    )


def _check_date(date, referral):
    if date > timezone.localdate():
        raise ValidationError("The date cannot be in the future.")
    if date < referral.received_on:
        raise ValidationError("The date cannot be before the referral was received.")
    return date


class QuestionnaireForm(forms.Form):
    """Entering a questionnaire item by item. Leaving an item unanswered is allowed: it is then saved incomplete.

    `item_fields` and `goal_fields` give the template each item's field (and its goal wording) in order.
    """

    def __init__(self, *args, instrument: Instrument, referral, is_new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.referral = referral
        if is_new:
            self.fields["caregiver"] = _caregiver_field(referral)
            self.fields["timepoint"] = _timepoint_field()
        self.fields["completed_on"] = _date_field("Date completed")
        for item in instrument.items:
            if instrument.is_goals:
                self.fields[goal_key(item.number)] = forms.CharField(
                    label=f"{item.text}, in the parent's own words",
                    required=False,
                    max_length=GOAL_WORDING_MAX_LENGTH,
                )
            choices = [(answer.value, answer.label) for answer in item.answers]
            if not is_new:
                # A radio cannot be unticked: this lets a wrongly entered answer be taken back out.
                choices.append(("", "Not answered"))
            self.fields[item_key(item.number)] = forms.TypedChoiceField(
                label=f"Rating of {item.text.lower()}" if instrument.is_goals else f"{item.number}. {item.text}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    @property
    def header_fields(self):
        return [self[name] for name in ("caregiver", "timepoint", "completed_on") if name in self.fields]

    @property
    def item_rows(self):
        return [
            {
                "item": item,
                "field": self[item_key(item.number)],
                "goal": self[goal_key(item.number)] if self.instrument.is_goals else None,
            }
            for item in self.instrument.items
        ]

    def clean_completed_on(self):
        return _check_date(self.cleaned_data["completed_on"], self.referral)

    def clean(self):
        cleaned = super().clean()
        answers = self.answers
        if not any(value is not None for value in answers.values()) and not self.errors:
            what = "Rate at least one goal" if self.instrument.is_goals else "Answer at least one item"
            raise ValidationError(f"{what}, or record the questionnaire as not completed.")
        if self.instrument.is_goals:
            for item in self.instrument.items:
                rated = cleaned.get(item_key(item.number)) is not None
                if rated and not cleaned.get(goal_key(item.number)):
                    self.add_error(goal_key(item.number), f"Enter {item.text.lower()} in the parent's own words.")
        return cleaned

    @property
    def answers(self) -> dict[int, int | None]:
        return {item.number: self.cleaned_data.get(item_key(item.number)) for item in self.instrument.items}

    @property
    def goal_wording(self) -> dict[int, str] | None:
        if not self.instrument.is_goals:
            return None
        return {item.number: self.cleaned_data.get(goal_key(item.number), "") for item in self.instrument.items}

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's errors beside the fields they name, and the others at the top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class NotCompletedForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Save"

    # Declared here rather than added in __init__, so that the crispy helper's layout has them.
    instrument = forms.ChoiceField(
        label="Questionnaire", widget=forms.RadioSelect, error_messages={"required": "Select the questionnaire."}
    )
    caregiver = _caregiver_field(None)
    timepoint = _timepoint_field()
    reason = forms.ChoiceField(
        label="Why was it not completed?",
        choices=NotCompletedReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why it was not completed."},
    )
    recorded_on = _date_field("Date")

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.fields["instrument"].choices = registry().choices()
        self.fields["caregiver"].queryset = referral.caregivers.order_by("position")

    def clean_recorded_on(self):
        return _check_date(self.cleaned_data["recorded_on"], self.referral)


class FollowUpNotCompletedForm(NHSFormHelperMixin, forms.Form):
    """At completion: the T2s still due were not completed, for this reason."""

    submit_label = "Record them as not completed"

    reason = forms.ChoiceField(
        label="Why were they not completed?",
        choices=NotCompletedReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why they were not completed."},
    )
    recorded_on = _date_field("Date")

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral

    def clean_recorded_on(self):
        return _check_date(self.cleaned_data["recorded_on"], self.referral)


class AlertActionForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Record and close the alert"

    action_taken = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, who was told, what was agreed with the parent, and any referral made.",
        max_length=2000,
        error_messages={"required": "Describe what was done."},
    )


class T2IntervalForm(NHSFormHelperMixin, forms.Form):
    """When the team's T2 questionnaires fall due: some weeks after T1, or at discharge."""

    submit_label = "Save"
    AFTER_T1, AT_DISCHARGE = "after_t1", "at_discharge"
    when = forms.ChoiceField(
        label="When are T2 questionnaires due?",
        choices=[(AFTER_T1, "A number of weeks after T1"), (AT_DISCHARGE, "At discharge")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when T2 questionnaires are due"},
    )
    weeks = forms.IntegerField(
        label="Weeks after T1",
        required=False,
        min_value=1,
        max_value=104,
        help_text="For example, 12",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the weeks as a whole number, like 12",
            "min_value": "Enter from 1 to 104 weeks",
            "max_value": "Enter from 1 to 104 weeks",
        },
    )

    @classmethod
    def initial_for(cls, weeks: int | None) -> dict:
        return {"when": cls.AT_DISCHARGE} if weeks is None else {"when": cls.AFTER_T1, "weeks": weeks}

    def clean(self):
        data = super().clean()
        if data.get("when") == self.AFTER_T1 and data.get("weeks") is None and "weeks" not in self.errors:
            self.add_error("weeks", "Enter how many weeks after T1 the T2 questionnaires are due")
        return data

    def weeks_after_t1(self) -> int | None:
        return self.cleaned_data["weeks"] if self.cleaned_data["when"] == self.AFTER_T1 else None
