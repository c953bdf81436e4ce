from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator

from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from pairs.models import DisclosureControl, Team
from pairs.periods import MONTHS
from reports.targets import KpiDefinition


class ReportingForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Save how the team reports"
    service_started_on = date_field(
        "Date the service started",
        required=False,
        help_text="Service year 1 is the one that contains this date. For example, 1 3 2023",
    )
    year_start_month = forms.TypedChoiceField(
        label="The service year starts in",
        choices=[(number, name) for number, name in enumerate(MONTHS, start=1)],
        coerce=int,
        help_text="The commissioner's KPI year: quarters and targets follow it.",
    )
    first_contact_target_days = forms.IntegerField(
        label="First contact within (days)",
        min_value=1,
        max_value=365,
        help_text="Calendar days from referral to first contact, as agreed with the commissioner.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"invalid": "Enter the number of days as a whole number, like 14"},
    )
    disclosure_control = forms.ChoiceField(
        label="Small-number suppression in what commissioners see",
        choices=DisclosureControl.choices,
        widget=forms.RadioSelect,
    )

    births_per_year = forms.IntegerField(
        label="Births a year in the team's area",
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text="Live births a year, for the team's reach and the needs model. Leave it empty if not known.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-5"}),
        error_messages={"invalid": "Enter the births a year as a whole number, like 1480"},
    )
    adversity_adjustment = forms.IntegerField(
        label="Local adversity against the UK average (per cent)",
        required=False,
        min_value=-90,
        max_value=200,
        help_text=(
            "How much more (or, with a minus sign, less) disadvantage, adversity and trauma the area has than the "
            "UK average, such as 5 or -5. Leave it empty for the UK average."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the adjustment as a whole number of per cent, like 5 or -5",
            "min_value": "Enter an adjustment from -90 to 200 per cent",
            "max_value": "Enter an adjustment from -90 to 200 per cent",
        },
    )

    @staticmethod
    def initial_for(team: Team) -> dict:
        return {field: getattr(team, field) for field in ReportingForm.base_fields}

    def clean_adversity_adjustment(self) -> int:
        """Empty is the UK average."""
        return self.cleaned_data["adversity_adjustment"] or 0


class KpiTargetForm(NHSFormHelperMixin, forms.Form):
    """An annual target from a service year on; a rate is entered as a percentage and kept as a fraction."""

    submit_label = "Save target"
    from_service_year = forms.IntegerField(
        label="From service year",
        min_value=1,
        max_value=99,
        help_text="1 is the year the service started in. The target applies until a later one.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        error_messages={
            "invalid": "Enter the service year as a whole number, like 2",
            "min_value": "Enter a service year from 1 to 99",
            "max_value": "Enter a service year from 1 to 99",
        },
    )
    annual_target = forms.DecimalField(
        min_value=0,
        max_digits=6,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        error_messages={
            "min_value": "The target cannot be below 0",
            "max_decimal_places": "Enter the target with at most one decimal place",
            "max_digits": "Enter a target under 100,000",
        },
    )

    def __init__(self, *args, kpi: KpiDefinition, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        field = self.fields["annual_target"]
        if kpi.is_rate:
            field.label = "Target (per cent)"
            field.help_text = "The share to reach, such as 75 for 75%."
            field.validators.append(MaxValueValidator(100, message="A percentage cannot be more than 100"))
            field.error_messages["invalid"] = "Enter the target as a number of per cent, like 75"
        else:
            field.label = "Target a year"
            field.help_text = "Pro-rated to any period by the calendar months and days it covers."
            field.error_messages["invalid"] = "Enter the target as a number, like 240"

    @staticmethod
    def initial_for(line, service_year: int | None) -> dict:
        """This year's target, as a percentage for a rate, to be changed from this service year on."""
        value = line.this_year
        if value is not None:
            value = (value * 100 if line.kpi.is_rate else value).quantize(Decimal("0.1"))
            if value == value.to_integral_value():
                value = value.to_integral_value()
        return {"from_service_year": service_year or 1, "annual_target": value}

    def target_value(self) -> Decimal:
        """The annual target as the KPI engine keeps it: a fraction for a rate."""
        value = self.cleaned_data["annual_target"]
        return value / 100 if self.kpi.is_rate else value
