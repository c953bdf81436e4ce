from django import forms

from nhsuk.forms import NHSFormHelperMixin
from pairs.models import ReferencePattern, Team

PREFIX_FIELD = Team._meta.get_field("reference_prefix")


class ReferenceSchemeForm(NHSFormHelperMixin, forms.Form):
    """The case references the team's new referrals get: a prefix and what follows it."""

    submit_label = "Save case references"
    reference_prefix = forms.CharField(
        label="What every new case reference starts with",
        max_length=PREFIX_FIELD.max_length,
        help_text="Capital letters, digits, hyphens or slashes, like REF- or BPL-.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"}),
        error_messages={
            "required": "Enter what every new case reference starts with, like REF-",
            "max_length": f"Enter at most {PREFIX_FIELD.max_length} characters",
        },
    )
    reference_pattern = forms.ChoiceField(
        label="What follows it",
        choices=ReferencePattern.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what follows the start of the reference"},
    )

    def clean_reference_prefix(self) -> str:
        return self.cleaned_data["reference_prefix"].strip().upper()
