"""Adding an intervention episode and recording its end."""

from django import forms

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from referrals.forms.common import VersionedMixin
from referrals.forms.moves import InterventionStartForm, interventions_for
from referrals.models import Referral


class InterventionEpisodeForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Add intervention"
    intervention = InterventionStartForm.base_fields["intervention"]
    started_on = date_field("Start date")

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions_for(referral)


class InterventionEpisodeEndForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Save intervention"
    ended_on = date_field("End date", required=False, help_text="Leave blank while it continues.")
    sessions_attended = forms.IntegerField(
        label="Sessions attended",
        required=False,
        min_value=0,
        max_value=500,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"invalid": "Enter the number of sessions as a whole number, like 6"},
    )
