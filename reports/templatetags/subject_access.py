"""The subject access export's ISO dates as the PDF prints them."""

import datetime

from django import template

from pairs.periods import format_date

register = template.Library()


@register.filter
def iso_date(value: str | None) -> str:
    """ "2024-03-01" as 1 March 2024, "2024-03-01T10:30:00+00:00" as 1 March 2024, 10:30; nothing as "Not recorded"."""
    if not value:
        return "Not recorded"
    if "T" in value:
        moment = datetime.datetime.fromisoformat(value)
        return f"{format_date(moment.date())}, {moment:%H:%M}"
    return format_date(datetime.date.fromisoformat(value))
