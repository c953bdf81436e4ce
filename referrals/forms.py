"""Forms of the casework pages, rendered with the project's crispy `nhsuk` pack."""

import datetime
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhsuk.forms import NHSFormHelperMixin
from nhsuk.widgets import DateInput
from pairs.models import Service
from referrals.models import (
    Appointment,
    Caregiver,
    Complexity,
    DeclineReason,
    DisengagementReason,
    GroupPlace,
    HoldReason,
    Intervention,
    Pathway,
    Referral,
    ThriveLevel,
)
from referrals.validators import normalise_nhs_number, validate_nhs_number, validate_postcode

DATE_ERRORS = {"invalid": "Enter a real date, like 27 3 2025", "required": "Enter the date"}
YES_NO = [(True, "Yes"), (False, "No")]


def date_field(label: str, *, required: bool = True, help_text: str = "For example, 27 3 2025", **kwargs):
    messages = {**DATE_ERRORS, "required": f"Enter the {label.lower()}"}
    return forms.DateField(
        label=label, required=required, widget=DateInput, help_text=help_text, error_messages=messages, **kwargs
    )


def yes_no_field(label: str, *, required_message: str):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


def not_in_future(value: datetime.date | None, what: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(f"The {what} cannot be in the future.")


def active(model):
    return model.objects.filter(is_active=True)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class PartHelperMixin:
    """A form shown as one part of a page with several forms: no tag, no button, errors in the page's summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = False


class VersionedMixin(forms.Form):
    """Carries the version of the record the form was opened at, so that a stale edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# New referral ---------------------------------------------------------------------------------------------------


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


# Pipeline moves -------------------------------------------------------------------------------------------------


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


# Appointments and interventions ---------------------------------------------------------------------------------


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


class InterventionEpisodeForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Add intervention"
    intervention = InterventionStartForm.base_fields["intervention"]
    started_on = date_field("Start date")


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


# Group programmes -----------------------------------------------------------------------------------------------


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
