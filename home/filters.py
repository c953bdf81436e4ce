"""The caseload's filters (django-filter), rendered as an NHS.UK form."""

import datetime

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from pairs.models import Service
from referrals.models import Pathway
from referrals.pipeline import OPEN_STATUSES, Status

OPEN, ALL = "open", "all"
STATUS_CHOICES = [(OPEN, "Open (awaiting decision, in progress, on hold)"), (ALL, "Any status"), *Status.choices]


class CaseloadFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.add_input(Submit("apply", "Apply filters", css_class="nhsuk-button--secondary"))


MINE, TEAM = "mine", "team"


class CaseloadFilter(django_filters.FilterSet):
    cases = django_filters.ChoiceFilter(
        choices=[(MINE, "My cases"), (TEAM, "The team's cases")],
        method="filter_cases",
        widget=forms.HiddenInput,
        empty_label=None,
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, method="filter_status", empty_label=None, required=True
    )
    pathway = django_filters.ChoiceFilter(label="Pathway", choices=Pathway.choices, empty_label="Any pathway")
    practitioner = django_filters.ModelChoiceFilter(
        label="Practitioner", field_name="assigned_practitioner", queryset=None, empty_label="Any practitioner"
    )
    referrer = django_filters.ModelChoiceFilter(
        label="Referred by", field_name="referrer_service", queryset=Service.objects.all(), empty_label="Any service"
    )
    waiting_longer_than = django_filters.NumberFilter(
        label="Waiting longer than (days)",
        method="filter_waiting_longer_than",
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        help_text="Days since the referral was received.",
    )

    class Meta:
        form = CaseloadFilterForm
        fields = ()

    def __init__(self, data, *args, clinicians, **kwargs):
        data = data.copy()
        for name, default in (("status", OPEN), ("cases", MINE)):
            if not data.get(name):
                data[name] = default
        super().__init__(data, *args, **kwargs)
        self.filters["practitioner"].queryset = clinicians
        self.filters["practitioner"].field.label_from_instance = lambda user: user.get_full_name() or user.username

    @property
    def mine(self) -> bool:
        return self.form.data.get("cases") != TEAM

    def filter_cases(self, queryset, name, value):
        return queryset if value == TEAM else queryset.filter(assigned_practitioner=self.request.user)

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status_as_at__in=OPEN_STATUSES)
        if value == ALL:
            return queryset
        return queryset.filter(status_as_at=value)

    def filter_waiting_longer_than(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(received_on__lt=timezone.localdate() - datetime.timedelta(days=int(value)))

    @property
    def is_filtered(self) -> bool:
        data = self.form.data
        return any(data.get(name) for name in ("pathway", "practitioner", "referrer", "waiting_longer_than")) or (
            data.get("status") not in (None, OPEN)
        )
