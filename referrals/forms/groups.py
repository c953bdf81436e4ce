"""Group programmes: a new run, offering and answering places, a session's register."""

from django import forms

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from referrals.forms.common import PeopleChoiceField, VersionedMixin, active, not_in_future
from referrals.models import (
    GroupPlace,
    Intervention,
)


class GroupProgrammeForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Create programme"
    intervention = forms.ModelChoiceField(
        label="Group intervention",
        queryset=active(Intervention).filter(format=Intervention.Format.GROUP),
        empty_label="Choose an intervention",
        error_messages={"required": "Choose the group intervention"},
    )
    title = forms.CharField(
        label="Name of this run",
        max_length=200,
        help_text="How the team tells its runs apart, such as 'Spring, Layton Family Hub'.",
        error_messages={"required": "Enter a name for this run"},
    )
    starts_on = date_field("Start date")
    places_offered = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"required": "Enter the number of places", "invalid": "Enter the places as a whole number"},
    )
    sessions_planned = forms.IntegerField(
        label="Sessions",
        min_value=1,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"required": "Enter the number of sessions", "invalid": "Enter the sessions as a whole number"},
    )
    venue = forms.CharField(label="Venue", max_length=200, required=False)
    facilitators = PeopleChoiceField(
        label="Facilitators", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = clinicians


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.reference}, {obj.family_name or 'name not recorded'}"


class GroupPlaceOfferForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Offer place"
    referral = ReferralChoiceField(
        label="Referral",
        queryset=None,
        empty_label="Choose a referral",
        error_messages={"required": "Choose the referral to offer a place to"},
    )
    waiting_since = date_field("On the waiting list from")
    offered_on = date_field("Date offered")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = candidates


class GroupPlaceResponseForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Save reply"
    status = forms.ChoiceField(
        label="Did the family take up the place?",
        choices=[(GroupPlace.Status.TAKEN_UP, "Taken up"), (GroupPlace.Status.DECLINED, "Declined")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose taken up or declined"},
    )
    responded_on = date_field("Date of reply")

    def clean_responded_on(self):
        value = self.cleaned_data["responded_on"]
        not_in_future(value, "date of reply")
        return value


class PlaceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.referral.reference}, {obj.family_name or 'name not recorded'}"


class GroupSessionForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Save attendance"
    number = forms.IntegerField(
        label="Session number",
        min_value=1,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"required": "Enter the session number", "invalid": "Enter the session number, like 3"},
    )
    held_on = date_field("Date of the session")
    attendees = PlaceChoiceField(
        label="Who attended?",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Families who took up a place.",
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = places

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        not_in_future(value, "date of the session")
        return value


class GroupSessionEditForm(GroupSessionForm):
    """A session already recorded: its number stays, its date and register can be corrected."""

    number = None
