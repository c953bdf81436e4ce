"""The new-referral form with its caregivers and infants, and the forms that correct a referral's record."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from pairs.models import Service
from referrals.forms.common import (
    PartHelperMixin,
    PersonChoiceField,
    VersionedMixin,
    active,
    not_in_future,
    yes_no_field,
)
from referrals.models import (
    Caregiver,
    Complexity,
    Pathway,
    Referral,
    ThriveLevel,
)
from referrals.validators import normalise_nhs_number, validate_nhs_number, validate_postcode


class ReferralForm(PartHelperMixin, forms.Form):
    received_on = date_field("Date received")
    referrer_service = forms.ModelChoiceField(
        label="Referred by",
        queryset=active(Service),
        empty_label="Choose a service",
        error_messages={"required": "Choose the service that referred the family"},
    )
    pathway = forms.ChoiceField(
        label="Pathway",
        choices=Pathway.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose individual or group work"},
    )
    reason = forms.CharField(
        label="Reason for referral",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for referral"},
    )
    complexities = forms.ModelMultipleChoiceField(
        label="Complexities",
        queryset=active(Complexity),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    consent_to_share = yes_no_field(
        "Has the family consented to share information?", required_message="Say whether the family consented"
    )
    assigned_practitioner = PersonChoiceField(
        label="Practitioner", queryset=None, required=False, empty_label="Not assigned yet"
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_practitioner"].queryset = clinicians

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        not_in_future(value, "date received")
        return value

    @staticmethod
    def new_token() -> uuid.UUID:
        return uuid.uuid4()


class CaregiverForm(PartHelperMixin, forms.Form):
    name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter the caregiver's name"})
    role = forms.ChoiceField(
        label="Relationship to the infant",
        choices=[("", "Choose a relationship"), *Caregiver.Role.choices],
        error_messages={"required": "Choose the caregiver's relationship to the infant"},
    )
    date_of_birth = date_field("Date of birth", help_text="For example, 31 3 1994")
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=[("", "Choose an ethnic group"), *Caregiver.Ethnicity.choices],
        error_messages={"required": "Choose an ethnic group, or 'Not stated'"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        validators=[validate_postcode],
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "nhsuk-input--width-10"}),
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=14,
        help_text="10 digits, like 943 476 5919.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-10"}),
    )

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        not_in_future(value, "date of birth")
        return value

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"].strip()
        if value:
            validate_nhs_number(value)
        return normalise_nhs_number(value)


class OptionalExtrasMixin:
    """The forms after the first are optional, and shown folded away until they are used."""

    forms: list  # the formset's forms, in order

    def extra_in_use(self) -> bool:
        return any(form.is_bound and (form.has_changed() or form.errors) for form in self.forms[1:])


class BaseCaregiverFormSet(OptionalExtrasMixin, forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, form in enumerate(self.forms):
            form.legend = "First caregiver" if index == 0 else "Second caregiver (optional)"

    def records(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


CaregiverFormSet = forms.formset_factory(
    CaregiverForm, formset=BaseCaregiverFormSet, extra=1, min_num=1, max_num=2, validate_min=True, validate_max=True
)


class InfantForm(PartHelperMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False, help_text="Leave blank if not yet named.")
    date_of_birth = date_field("Date of birth", required=False, help_text="If the baby is born.")
    due_date = date_field("Due date", required=False, help_text="If the baby is not yet born.")

    def clean(self):
        cleaned = super().clean()
        born, due = cleaned.get("date_of_birth"), cleaned.get("due_date")
        if "date_of_birth" in self.errors or "due_date" in self.errors:
            return cleaned
        if born and due:
            self.add_error("due_date", "Enter a date of birth or a due date, not both")
        elif not born and not due and (cleaned.get("name") or not self.empty_permitted):
            self.add_error("date_of_birth", "Enter the infant's date of birth or, if not yet born, the due date")
        if born:
            try:
                not_in_future(born, "date of birth")
            except ValidationError as error:
                self.add_error("date_of_birth", error)
        return cleaned


class BaseInfantFormSet(OptionalExtrasMixin, forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, form in enumerate(self.forms):
            form.legend = ("Infant", "Second infant (optional)", "Third infant (optional)")[index]

    def records(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


InfantFormSet = forms.formset_factory(
    InfantForm, formset=BaseInfantFormSet, extra=2, min_num=1, max_num=3, validate_min=True, validate_max=True
)


class DuplicateConfirmForm(forms.Form):
    confirm_new = forms.BooleanField(label="I have checked: this is a new referral for this family", required=False)


# Referral record ------------------------------------------------------------------------------------------------


class ReferralDetailsForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Save details"
    referrer_service = ReferralForm.base_fields["referrer_service"]
    pathway = ReferralForm.base_fields["pathway"]
    reason = ReferralForm.base_fields["reason"]
    complexities = ReferralForm.base_fields["complexities"]
    consent_to_share = ReferralForm.base_fields["consent_to_share"]
    assigned_practitioner = ReferralForm.base_fields["assigned_practitioner"]
    first_contact_on = date_field(
        "Date of first contact", required=False, help_text="The first time the team spoke to the family."
    )

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_practitioner"].queryset = clinicians
        referrer = self.initial.get("referrer_service")
        if referrer is not None:
            # A retired service stays on the referrals that used it.
            self.fields["referrer_service"].queryset = Service.objects.filter(is_active=True) | Service.objects.filter(
                pk=getattr(referrer, "pk", referrer)
            )

    @staticmethod
    def initial_for(referral: Referral) -> dict:
        return {
            "version": referral.version,
            "referrer_service": referral.referrer_service,
            "pathway": referral.pathway,
            "reason": referral.reason,
            "complexities": list(referral.complexities.all()),
            "consent_to_share": referral.consent_to_share,
            "assigned_practitioner": referral.assigned_practitioner,
            "first_contact_on": referral.first_contact_on,
        }


class LevelsForm(NHSFormHelperMixin, VersionedMixin, forms.Form):
    submit_label = "Save levels"
    recorded_on = date_field("Date recorded")
    safeguarding_level = forms.TypedChoiceField(
        label="Safeguarding level",
        choices=[("", "Not recorded"), *Referral.SafeguardingLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    risk_count = forms.IntegerField(
        label="Number of risks",
        required=False,
        min_value=0,
        max_value=99,
        help_text="Risks ticked on the Risks to the Parent-Infant Relationship checklist.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        error_messages={"invalid": "Enter the number of risks as a whole number, like 3"},
    )
    thrive_level = forms.ModelChoiceField(
        label="Thrive level", queryset=active(ThriveLevel), required=False, empty_label="Not recorded"
    )
    imd_decile = forms.IntegerField(
        label="IMD decile",
        required=False,
        min_value=1,
        max_value=10,
        help_text="1 (most deprived) to 10 (least deprived).",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        error_messages={"invalid": "Enter the IMD decile as a whole number from 1 to 10"},
    )

    def __init__(self, *args, lookup_decile: int | None = None, postcode: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if lookup_decile is not None:
            self.fields["imd_decile"].help_text += f" The postcode lookup gives {lookup_decile} for {postcode}."

    def clean_recorded_on(self):
        value = self.cleaned_data["recorded_on"]
        not_in_future(value, "date recorded")
        return value

    @staticmethod
    def initial_for(referral: Referral) -> dict:
        return {
            "version": referral.version,
            "recorded_on": timezone.localdate(),
            "safeguarding_level": referral.safeguarding_level,
            "risk_count": referral.risk_count,
            "thrive_level": referral.thrive_level,
            "imd_decile": referral.imd_decile,
        }


class CaregiverEditForm(NHSFormHelperMixin, VersionedMixin, CaregiverForm):
    submit_label = "Save caregiver"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Imports carry no names and often no full date of birth: corrections should not force one.
        for name in ("name", "date_of_birth", "ethnicity", "postcode"):
            self.fields[name].required = False

    @staticmethod
    def initial_for(caregiver: Caregiver) -> dict:
        return {
            "version": caregiver.version,
            "name": caregiver.name,
            "role": caregiver.role,
            "date_of_birth": caregiver.date_of_birth,
            "ethnicity": caregiver.ethnicity,
            "postcode": caregiver.postcode,
            "nhs_number": caregiver.nhs_number_display,
        }


class CaregiverAddForm(NHSFormHelperMixin, CaregiverForm):
    submit_label = "Add caregiver"


class InfantAddForm(NHSFormHelperMixin, InfantForm):
    submit_label = "Add infant"


class InfantEditForm(NHSFormHelperMixin, VersionedMixin, InfantForm):
    submit_label = "Save infant"

    @staticmethod
    def initial_for(infant) -> dict:
        return {
            "version": infant.version,
            "name": infant.name,
            "date_of_birth": infant.date_of_birth,
            "due_date": infant.due_date,
        }
