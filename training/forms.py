"""Forms for workforce activity. They validate everything the model validates (its rules and its natural key within
the team) so that a person sees every problem at once; the services validate again before they save."""

from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError

from nhsuk.forms import NHSFormHelperMixin
from nhsuk.widgets import CompactDateInput, DateInput
from pairs.models import Service
from referrals.models import Intervention, Referral
from training.models import (
    AwarenessEvent,
    ChildAge,
    Consultation,
    Feedback,
    SessionType,
    TrainingSession,
    UniversalOfferContact,
    attendance_error,
    child_ages_error,
)

DATE_HINT = "For example, 27 3 2025"


def count_widget() -> forms.TextInput:
    """The NHS.UK way to ask for a number: a text box with a numeric keyboard, never type=number."""
    return forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "class": "nhsuk-input--width-4"})


def count_field(label: str, *, what: str, **kwargs) -> forms.IntegerField:
    """An optional count; `what` names it in error messages ("participants from GP")."""
    field = forms.IntegerField(label=label, required=False, min_value=0, widget=count_widget(), **kwargs)
    _count_messages(field, what)
    return field


def _count_messages(field: forms.IntegerField, what: str) -> None:
    field.error_messages.update(
        invalid=f"Enter {what} as a whole number, like 12",
        min_value=f"{what[0].upper()}{what[1:]} must be {field.min_value} or more",
        required=f"Enter {what}",
    )


def _grid(names: list[str], *, columns: int) -> list[Row]:
    """Short number boxes side by side: `columns` to a row (3 or 4), each in an NHS.UK grid column."""
    width = {3: "one-third", 4: "one-quarter"}[columns]
    return [
        Row(*(Column(name, css_class=f"nhsuk-grid-column-{width}") for name in names[start : start + columns]))
        for start in range(0, len(names), columns)
    ]


def _in_use_or_active(queryset, current_pk):
    """The active entries of a vocabulary, and the retired one a record already uses."""
    return queryset.filter(is_active=True) | queryset.filter(pk=current_pk)


class ActivityForm(NHSFormHelperMixin, forms.ModelForm):
    """A team's record: the model's own rules and unique natural key are checked within the team."""

    submit_label = "Save"
    # Field name: the message when it is left empty.
    required_messages: dict[str, str] = {}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.instance.team = team
        self.team = team
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField) and name in self._meta.fields:
                field.widget = count_widget()
                _count_messages(field, str(field.label).lower())
            elif isinstance(field, forms.DateField):
                field.error_messages["invalid"] = "Enter a real date, like 27 3 2025"
            elif isinstance(field.widget, forms.RadioSelect) and isinstance(field, forms.ModelChoiceField):
                # A radio button for "no choice" is never wanted: an unanswered question is a required error. A
                # model choice keeps its queryset, which the form may narrow later (fixed choices would not follow).
                field.empty_label = None
            elif isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
                field.choices = [(value, label) for value, label in field.choices if value != ""]
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]

    def _get_validation_exclusions(self):
        # The team is set by the view, not typed in: it still takes part in the natural key's uniqueness check.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("team")
        return exclusions


# Training sessions ---------------------------------------------------------------------------------------------

SESSION_FIELDS = [
    "date",
    "session_type",
    "title",
    "trainers",
    "places_offered",
    "participants",
    "feedback_returned",
    "feedback_positive",
]
SESSION_REQUIRED = {
    "date": "Enter the date of the session",
    "session_type": "Select the type of session",
    "title": "Enter the title of the session",
    "participants": "Enter the number of participants",
}


class TrainingSessionForm(ActivityForm):
    """One session with, optionally, its participants by attendee service (which must add up to participants)."""

    required_messages = SESSION_REQUIRED
    attendance_prefix = "attendance_"

    class Meta:
        model = TrainingSession
        fields = SESSION_FIELDS
        widgets = {"date": DateInput, "session_type": forms.RadioSelect}
        help_texts = {
            "date": DATE_HINT,
            "session_type": "IMH/PIR: infant mental health and parent-infant relationships",
        }

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, team=team, **kwargs)
        recorded = {}
        if self.instance.pk:
            recorded = {row.service_id: row.participants for row in self.instance.attendance.all()}
        self.services = list(Service.objects.filter(is_active=True) | Service.objects.filter(pk__in=recorded))
        for service in self.services:
            self.fields[self._attendance_field(service)] = count_field(
                service.label, what=f"participants from {service.label}", initial=recorded.get(service.pk)
            )
        self.helper.layout = Layout(
            *SESSION_FIELDS,
            Fieldset(
                "Participants by service (optional)",
                HTML(
                    '<div class="nhsuk-hint">Where the participants work. If you give these, they must add up to '
                    "the number of participants.</div>"
                ),
                *_grid([self._attendance_field(service) for service in self.services], columns=3),
            ),
        )

    def _attendance_field(self, service: Service) -> str:
        return f"{self.attendance_prefix}{service.code}"

    def clean(self):
        cleaned = super().clean()
        attendance = {service: cleaned.pop(self._attendance_field(service), None) for service in self.services}
        cleaned["attendance"] = {service: count for service, count in attendance.items() if count}
        if error := attendance_error(cleaned.get("participants"), cleaned["attendance"]):
            self.add_error(None, error)
        return cleaned


class TrainingSessionRowForm(ActivityForm):
    """One row of the quick-entry table: a session without the breakdown by service (added later if wanted)."""

    required_messages = SESSION_REQUIRED

    class Meta:
        model = TrainingSession
        fields = SESSION_FIELDS
        widgets = {"date": CompactDateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session_type"].choices = [("", "Choose a type"), *SessionType.choices]
        for name in ("title", "trainers"):
            self.fields[name].widget.attrs["class"] = f"training-quick-entry__{name}"
        for name in ("places_offered", "participants", "feedback_returned", "feedback_positive"):
            self.fields[name].widget.attrs["class"] = "nhsuk-input--width-3"
        for field in self.fields.values():
            field.help_text = ""  # the column headings say enough in a table


class BaseQuickEntryFormSet(forms.BaseFormSet):
    """Rows left empty are ignored; the rows entered must not repeat one another."""

    def clean(self):
        if any(self.errors):
            return
        entered = [form for form in self.forms if form.has_changed()]
        if not entered:
            raise ValidationError("Enter at least one training session", code="no_sessions")
        seen = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed():
                continue
            key = tuple(form.cleaned_data.get(name) for name in ("date", "session_type", "title"))
            if key in seen:
                form.add_error("title", f"Row {seen[key]} has the same date, type and title")
            seen.setdefault(key, number)

    @property
    def sessions(self) -> list[dict]:
        """The entered rows, as keyword arguments of `training.services.training_sessions_create`."""
        return [form.cleaned_data for form in self.forms if form.has_changed()]


QUICK_ENTRY_MAX_ROWS = 30


def quick_entry_formset(*, rows: int):
    return forms.formset_factory(
        TrainingSessionRowForm,
        formset=BaseQuickEntryFormSet,
        extra=rows,
        max_num=QUICK_ENTRY_MAX_ROWS,
        absolute_max=QUICK_ENTRY_MAX_ROWS,
        validate_max=True,
    )


# Consultations -------------------------------------------------------------------------------------------------


class ReferralReferenceField(forms.CharField):
    """A referral of the team, typed as its case reference (a list of every referral would be far too long)."""

    def __init__(self, *args, **kwargs):
        self.queryset = Referral.objects.none()
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            referral = self.queryset.filter(pk=value).first()
            return referral.reference if referral else ""
        return value

    def clean(self, value):
        reference = super().clean(value)
        if not reference:
            return None
        referral = self.queryset.filter(reference__iexact=reference).first()
        if referral is None:
            raise ValidationError(f"No referral of this team has the reference {reference}", code="unknown_referral")
        return referral


class ConsultationForm(ActivityForm):
    required_messages = {
        "date": "Enter the date of the consultation",
        "consultee_service": "Select the consultee's service",
        "mode": "Select how the consultation took place",
        "outcome": "Select the outcome",
    }
    age_prefix = "children_aged_"

    referral = ReferralReferenceField(
        label="Referral reference",
        required=False,
        max_length=30,
        help_text="Only when the outcome was a referral and the family arrived: their case reference, like REF-000123",
    )

    class Meta:
        model = Consultation
        fields = ["date", "consultee_service", "mode", "outcome", "children", "note", "referral"]
        widgets = {
            "date": DateInput,
            "mode": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "date": DATE_HINT,
            "children": "Leave blank if it was not recorded",
            "note": "A few words on what was discussed. Keep names and other details in the family's referral.",
        }
        labels = {"note": "Short note"}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, team=team, **kwargs)
        services = self.fields["consultee_service"]
        services.queryset = _in_use_or_active(Service.objects.all(), self.instance.consultee_service_id)
        services.empty_label = "Choose a service"
        self.fields["referral"].queryset = Referral.objects.in_team(team)
        self.fields["referral"].widget.attrs["class"] = "nhsuk-input--width-10"
        recorded = dict(self.instance.child_ages.values_list("age", "children")) if self.instance.pk else {}
        for age in ChildAge:
            what = "unborn children" if age == ChildAge.UNBORN else f"children aged {age.label.lower()}"
            self.fields[self.age_prefix + age.value] = count_field(
                age.label, what=what, initial=recorded.get(age.value)
            )
        fields = list(self._meta.fields)
        self.helper.layout = Layout(
            *fields[: fields.index("children") + 1],
            Fieldset(
                "Ages of the children discussed (optional)",
                HTML('<div class="nhsuk-hint">How many children of each age, where known.</div>'),
                *_grid([self.age_prefix + age.value for age in ChildAge], columns=4),
            ),
            *fields[fields.index("children") + 1 :],
        )

    def clean(self):
        cleaned = super().clean()
        ages = {age.value: cleaned.pop(self.age_prefix + age.value, None) for age in ChildAge}
        cleaned["child_ages"] = {age: count for age, count in ages.items() if count}
        if "children" not in self.errors and (
            error := child_ages_error(cleaned.get("children"), cleaned["child_ages"])
        ):
            self.add_error(None, error)
        return cleaned


# Awareness events, universal offer contacts, feedback ----------------------------------------------------------


class AwarenessEventForm(ActivityForm):
    required_messages = {
        "date": "Enter the date of the event",
        "title": "Enter the title of the event",
        "audience": "Enter who the event was for",
        "people_engaged": "Enter the number of people engaged",
    }

    class Meta:
        model = AwarenessEvent
        fields = ["date", "title", "audience", "people_engaged"]
        widgets = {"date": DateInput}
        help_texts = {"date": DATE_HINT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].required = True


class UniversalOfferContactForm(ActivityForm):
    required_messages = {
        "date": "Enter the date",
        "offer": "Select the universal offer",
        "dyads": "Enter the number of dyads reached",
    }

    class Meta:
        model = UniversalOfferContact
        fields = ["date", "offer", "dyads"]
        widgets = {"date": DateInput, "offer": forms.RadioSelect}
        help_texts = {"date": DATE_HINT, "dyads": "A dyad is one parent or carer with their baby"}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, team=team, **kwargs)
        universal = Intervention.objects.filter(level=Intervention.Level.UNIVERSAL)
        self.fields["offer"].queryset = _in_use_or_active(universal, self.instance.offer_id)


class FeedbackForm(ActivityForm):
    required_messages = {
        "date": "Enter the date the feedback was received",
        "kind": "Select the type of feedback",
        "theme": "Select the theme",
        "text": "Enter what they said",
    }

    class Meta:
        model = Feedback
        fields = ["date", "kind", "theme", "text", "response", "resolved_on"]
        widgets = {
            "date": DateInput,
            "kind": forms.RadioSelect,
            "theme": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 5}),
            "response": forms.Textarea(attrs={"rows": 4}),
            "resolved_on": DateInput,
        }
        help_texts = {
            "date": DATE_HINT,
            "response": "Complaints only",
            "resolved_on": "Complaints only, once the response has been given. For example, 27 3 2025",
        }
