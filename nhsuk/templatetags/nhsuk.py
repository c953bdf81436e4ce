"""Template helpers for the crispy-forms template pack `nhsuk` (nhsuk/templates/nhsuk/)."""

from django import forms, template

from nhsuk.pagination import PageLink
from nhsuk.widgets import DateInput

register = template.Library()


@register.filter
def nhsuk_kind(bound_field) -> str:
    """Which NHS.UK component renders this field."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
        return "hidden"
    if isinstance(widget, DateInput):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: it must be asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def nhsuk_error_anchor(bound_field) -> str:
    """The id an error-summary link points at: the field's first input, as the NHS.UK pattern asks."""
    kind = nhsuk_kind(bound_field)
    if kind in {"date", "radios", "checkboxes"}:
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def nhsuk_widget(bound_field, css_class: str, describedby: str = ""):
    """Render a field's widget with the NHS.UK classes and aria-describedby added to its own attributes."""
    attrs = dict(bound_field.field.widget.attrs)
    classes = [css_class, attrs.get("class", "")]
    if bound_field.errors:
        error_class = {"nhsuk-select": "nhsuk-select--error", "nhsuk-textarea": "nhsuk-textarea--error"}
        classes.append(error_class.get(css_class, "nhsuk-input--error"))
    attrs["class"] = " ".join(c for c in classes if c)
    if describedby.strip():
        attrs["aria-describedby"] = describedby.strip()
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def nhsuk_describedby(bound_field) -> str:
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    return " ".join(ids)


@register.inclusion_tag("nhsuk/includes/pagination.html")
def nhsuk_pagination(
    *, label: str, unit: str, previous: PageLink | None = None, following: PageLink | None = None
) -> dict:
    """Previous and next links, either left out when None, and no navigation at all without either: `label` names
    the navigation for screen readers and `unit` is what they hear after "Previous" and "Next" ("page", "week")."""
    items = [("previous", "prev", "Previous", previous), ("next", "next", "Next", following)]
    return {
        "label": label,
        "unit": unit,
        "items": [
            {"direction": direction, "rel": rel, "title": title, "link": link}
            for direction, rel, title, link in items
            if link is not None
        ],
    }
