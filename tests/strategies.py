"""Hypothesis strategies for what a person (or a hostile one) may type into the app's forms, files and links.

Each mixes plausible values with the edges the probe of issue 13 tried: year 1 and 9999, 2**63 - 1, a million,
100,000 characters, empty boxes, words where numbers go, and stray Unicode.
"""

import datetime
from typing import Any

from hypothesis import strategies as st

from pairs.bounds import MAX_TEXT_LENGTH

EDGE_YEARS = ["0001", "1", "0", "1899", "1900", "1989", "1990", "2099", "2100", "9999", "10000", "-1", "99999999999"]
EDGE_COUNTS = ["", "0", "-1", "1", "10000", "10001", "1000000", "10000000", str(2**31), str(2**63 - 1), str(2**64)]
JUNK = ["", " ", "abc", "1.5", "1e3", "١٢", "12 ", "\uff10", "NaN", "<script>", "=1+1", "'; drop table x; --"]

plausible_dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date.today())
any_dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


@st.composite
def typed_date(draw) -> tuple[str, str, str]:
    """The day, month and year boxes of an NHS.UK date input, as typed."""
    kind = draw(st.sampled_from(["plausible", "any", "edge", "junk"]))
    if kind in ("plausible", "any"):
        day = draw(plausible_dates if kind == "plausible" else any_dates)
        return str(day.day), str(day.month), f"{day.year:04d}"
    if kind == "edge":
        return (
            draw(st.sampled_from(["1", "29", "31", "32", "0"])),
            draw(st.sampled_from(["1", "2", "12", "13", "0"])),
            draw(st.sampled_from(EDGE_YEARS)),
        )
    return draw(st.sampled_from(JUNK)), draw(st.sampled_from(JUNK)), draw(st.sampled_from(JUNK))


def date_boxes(prefix: str) -> st.SearchStrategy[dict[str, str]]:
    names = (f"{prefix}_day", f"{prefix}_month", f"{prefix}_year")
    return typed_date().map(lambda parts: dict(zip(names, parts, strict=True)))


iso_dates = st.one_of(
    any_dates.map(datetime.date.isoformat),
    plausible_dates.map(datetime.date.isoformat),
    st.sampled_from(["", "2024-02-30", "0000-01-01", "2024-13-01", "yesterday", "2024/01/01", "9999-12-31"]),
)

counts = st.one_of(
    st.integers(min_value=0, max_value=500).map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(EDGE_COUNTS + JUNK),
)

texts = st.one_of(
    st.text(max_size=300),
    st.sampled_from(JUNK),
    st.integers(min_value=MAX_TEXT_LENGTH - 1, max_value=MAX_TEXT_LENGTH + 1).map(lambda n: "x" * n),
    st.just("x" * 100_000),
)
short_texts = st.one_of(st.text(max_size=60), st.sampled_from(JUNK), st.just("y" * 201))


def choice_of(values) -> st.SearchStrategy[str]:
    """One of the valid values, or something that is not one."""
    return st.one_of(st.sampled_from([str(value) for value in values]), st.sampled_from([*JUNK, "999999"]))


def assert_actionable(messages) -> None:
    """Every error says in words what to change: text, not a Python repr, a traceback or an empty line."""
    messages = list(messages)
    assert messages, "refused without a message"
    for message in messages:
        text = str(message)
        assert text.strip(), "an empty error message"
        assert len(text) < 500, text
        for sign_of_a_leak in ("Traceback", "object at 0x", "Error("):
            assert sign_of_a_leak not in text, text


def form_messages(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


def assert_all_valid(queryset) -> None:
    """Every saved row passes the model's full validation: the bounds included."""
    for record in queryset:
        record.full_clean(validate_unique=False, validate_constraints=False)


def form_data(form) -> st.SearchStrategy[dict]:
    """Posted data for every field of `form` (an unbound instance), each drawn by what the field asks for."""
    from django import forms

    parts: list[st.SearchStrategy[dict[str, Any]]] = []
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value: st.SearchStrategy[Any]
        choices: list = list(getattr(field, "choices", []))
        if isinstance(field, forms.DateField | forms.DateTimeField) and hasattr(field.widget, "widgets"):
            parts.append(date_boxes(key))
            continue
        if isinstance(field, forms.DateTimeField):
            value = iso_dates.map(lambda day: f"{day} 10:30" if day else day)
        elif isinstance(field, forms.DateField):
            value = iso_dates
        elif isinstance(field, forms.ModelMultipleChoiceField):
            value = st.lists(choice_of(field.queryset.values_list("pk", flat=True)[:30] or ["1"]), max_size=3)
        elif isinstance(field, forms.ModelChoiceField):
            value = choice_of(field.queryset.values_list("pk", flat=True)[:30] or ["1"])
        elif isinstance(field, forms.MultipleChoiceField):
            value = st.lists(choice_of([choice for choice, _ in choices] or ["x"]), max_size=3)
        elif isinstance(field, forms.ChoiceField):
            flat = [choice for choice, label in choices if not isinstance(label, list | tuple)]
            value = choice_of(flat or ["x"])
        elif isinstance(field, forms.BooleanField | forms.NullBooleanField):
            value = st.sampled_from(["", "on", "true", "false", "unknown", "yes"])
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            value = counts
        else:
            value = texts
        parts.append(st.fixed_dictionaries({key: value}))
    return st.tuples(*parts).map(_merged)


def _merged(dicts) -> dict:
    return {key: value for part in dicts for key, value in part.items()}
