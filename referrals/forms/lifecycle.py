"""Forms of a family's records over their life: a correction's reason, restricting processing and lifting it, the
team's retention periods and the review of records past them."""

from django import forms

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from referrals.forms.referral import CaregiverEditForm, InfantEditForm
from referrals.models import RetentionDecision
from referrals.models.lifecycle import REASON_LENGTH


def reason_field(label: str, *, help_text: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": required_message,
            "max_length": f"Keep the reason to {REASON_LENGTH:,} characters or fewer",
        },
    )


def correction_reason_field() -> forms.CharField:
    return reason_field(
        "Why are these details being corrected?",
        help_text="Kept with the correction in the record's history. For example: the parent told us their new "
        "postcode; the NHS number was mistyped; the baby was born.",
        required_message="Enter why the details are being corrected",
    )


class CaregiverCorrectionForm(CaregiverEditForm):
    reason = correction_reason_field()


class InfantCorrectionForm(InfantEditForm):
    reason = correction_reason_field()


class RestrictionForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Restrict processing"
    reason = reason_field(
        "Why is processing restricted?",
        help_text="For example: the parent contests the accuracy of their details and asked us not to use them "
        "until we have checked.",
        required_message="Enter why processing of these records is restricted",
    )


class RestrictionLiftForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Lift the restriction"
    lift_reason = reason_field(
        "Why is the restriction lifted?",
        help_text="For example: the details were checked and corrected with the parent.",
        required_message="Enter why the restriction is lifted",
    )


class RetentionSettingsForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Save retention periods"
    years_after_birth = forms.IntegerField(
        label="Years kept after the youngest infant's birth",
        min_value=1,
        max_value=100,
        help_text="The NHS Records Management Code of Practice keeps children's records until the 25th birthday.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"invalid": "Enter the years as a whole number, like 25"},
    )
    years_after_closure = forms.IntegerField(
        label="Years kept after the referral closed",
        min_value=1,
        max_value=100,
        help_text="Records are kept until the later of the two dates.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"invalid": "Enter the years as a whole number, like 8"},
    )


class RetentionReviewForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Record the decision"
    decision = forms.ChoiceField(
        label="What should happen to these records?",
        choices=RetentionDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to keep the records or mark them for deletion"},
    )
    keep_until = date_field(
        "Keep until",
        required=False,
        help_text="Only if you keep them: the date of the next review. For example, 1 12 2027",
    )
    reason = reason_field(
        "Reason for the decision",
        help_text="For example: a safeguarding review is open; or no reason to keep them longer.",
        required_message="Enter the reason for the decision",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == RetentionDecision.KEEP and not cleaned.get("keep_until"):
            self.add_error("keep_until", "Enter the date until which the records are kept")
        return cleaned
