"""The crispy template pack renders NHS.UK markup: labels, hints, inline errors, an error summary, date inputs."""

import datetime

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, Template

from nhsuk.widgets import DateInput


class SampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on their records")
    date_of_birth = forms.DateField(label="Date of birth", widget=DateInput)
    pathway = forms.ChoiceField(
        label="Pathway", choices=[("individual", "Individual"), ("group", "Group")], widget=forms.RadioSelect
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)


def render(form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def test_a_valid_form_has_labels_hints_and_no_error_summary():
    html = render(SampleForm())
    assert '<label class="nhsuk-label" for="id_name">Full name</label>' in html
    assert '<div class="nhsuk-hint" id="id_name-hint">As it appears on their records</div>' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert "Notes (optional)" in html
    assert "nhsuk-error-summary" not in html


def test_errors_appear_inline_and_in_a_summary_linking_to_each_field():
    form = SampleForm(data={"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2024"})
    assert not form.is_valid()
    html = render(form)
    assert 'class="nhsuk-error-summary"' in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_date_of_birth_0">Enter a valid date.</a>' in html
    assert '<a href="#id_pathway_0">This field is required.</a>' in html
    assert 'id="id_name-error"' in html
    assert "nhsuk-form-group--error" in html
    assert "nhsuk-input--error" in html


def test_the_date_input_has_day_month_and_year_boxes():
    html = render(SampleForm(initial={"date_of_birth": datetime.date(2024, 3, 9)}))
    for part, label, width in (("0", "Day", 2), ("1", "Month", 2), ("2", "Year", 4)):
        label_html = f'<label class="nhsuk-label nhsuk-date-input__label" for="id_date_of_birth_{part}">{label}</label>'
        assert label_html in html
        assert f"nhsuk-input--width-{width}" in html
    assert 'name="date_of_birth_day"' in html
    assert 'value="9"' in html
    assert 'value="2024"' in html
    assert '<fieldset class="nhsuk-fieldset" role="group"' in html


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("9", "3", "2024", datetime.date(2024, 3, 9)),
        ("09", "03", "2024", datetime.date(2024, 3, 9)),
        (" 1 ", "12", "2023", datetime.date(2023, 12, 1)),
        ("29", "2", "2023", None),
        ("1", "1", "24", None),
        ("", "1", "2024", None),
    ],
)
def test_the_date_input_parses_only_real_dates(day, month, year, expected):
    data = {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    field = SampleForm(data=data)["date_of_birth"]
    form = field.form
    form.is_valid()
    assert form.cleaned_data.get("date_of_birth") == expected
    assert ("date_of_birth" in form.errors) is (expected is None)


def test_radios_render_as_nhsuk_radios():
    html = render(SampleForm())
    assert 'class="nhsuk-radios nhsuk-radios--inline"' in html
    radio = '<input class="nhsuk-radios__input" id="id_pathway_0" name="pathway" type="radio" value="individual">'
    assert radio in html
