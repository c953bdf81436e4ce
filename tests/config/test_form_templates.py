"""The project's copy of Django's select.html (templates/django/forms/widgets/) writes the markup Django's own does."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.loader import get_template

CHOICES = [
    ("", "Any"),
    ("Open", [("awaiting", "Awaiting a decision"), ("in_progress", 'In progress & <on> "hold"')]),
    (7, "Seven"),
    ("closed", "Closed"),
]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES, attrs={"class": "nhsuk-select", "aria-describedby": "x-hint"}), "in_progress"),
        (forms.Select(choices=CHOICES), 7),
        (forms.Select(choices=[]), None),
        (forms.SelectMultiple(choices=CHOICES, attrs={"disabled": True, "required": False}), ["awaiting", "closed"]),
        (forms.NullBooleanSelect(), True),
    ],
    ids=["attributes and a group", "a number", "no choices", "multiple", "null boolean"],
)
def test_a_select_is_written_as_djangos_own_template_writes_it(widget, value):
    assert get_template("django/forms/widgets/select.html").origin.name.endswith(
        "templates/django/forms/widgets/select.html"
    )
    ours = widget.render("status", value, attrs={"id": "id_status"}, renderer=get_default_renderer())
    djangos = widget.render("status", value, attrs={"id": "id_status"}, renderer=DjangoTemplates())
    assert ours == djangos
    assert "<option" in ours or not widget.choices


def test_an_option_of_another_template_is_still_included(settings, tmp_path):
    class StarredSelect(forms.Select):
        option_template_name = "starred_option.html"

    (tmp_path / "starred_option.html").write_text("<option>*{{ widget.label }}</option>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    html = StarredSelect(choices=[("a", "A")]).render("x", "a", renderer=get_default_renderer())
    assert "<option>*A</option>" in html
