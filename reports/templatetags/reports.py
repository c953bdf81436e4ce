from django import template

register = template.Library()


@register.filter
def percent(rate) -> str:
    """A rate from 0 to 1 as a percentage to one decimal place, without a trailing ".0": 0.9519 is "95.2%"."""
    shown = f"{float(rate) * 100:.1f}"
    return f"{shown.removesuffix('.0')}%"
