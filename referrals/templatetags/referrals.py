"""Template helpers for casework pages."""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django_tables2 import RequestConfig

from referrals import selectors
from referrals.display import status_tag
from referrals.filters import CaseloadFilter
from referrals.tables import MY_LIST_LEAVES_OUT, CaseloadTable

register = template.Library()

register.simple_tag(status_tag, name="status_tag")


@register.inclusion_tag("referrals/includes/subnav.html")
def casework_nav(current: str) -> dict:
    """The links between the casework pages, `current` marked as the page shown."""
    return {
        "current": current,
        "casework_links": [
            ("caseload", "Caseload", reverse("referrals:index")),
            ("waiting_list", "Waiting list", reverse("referrals:waiting_list")),
            ("appointments", "Appointments", reverse("referrals:appointments")),
            ("groups", "Group programmes", reverse("referrals:groups")),
        ],
    }


@register.inclusion_tag("referrals/includes/my_caseload.html", takes_context=True)
def my_caseload(context) -> dict:
    """The signed-in practitioner's open cases, for their home page."""
    request = context["request"]
    filters = CaseloadFilter(
        QueryDict(),
        queryset=selectors.referral_list(user=request.user, team=request.team),
        clinicians=selectors.clinicians(request.team),
        request=request,
    )
    table = CaseloadTable(filters.qs, prefix="my-", exclude=MY_LIST_LEAVES_OUT)
    table.caption = "My open cases"
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return {"table": table, "request": request}


@register.filter
def age_in_years(born, on) -> int | None:
    """Whole years from `born` to `on` (age at referral)."""
    if not born or not on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@register.filter
def age_in_months(born, on) -> int | None:
    """Whole months from `born` to `on`."""
    if not born or not on or born > on:
        return None
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
