"""Template helpers for casework pages."""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from referrals import hooks
from referrals.display import status_tag

register = template.Library()

register.simple_tag(status_tag, name="status_tag")


@register.inclusion_tag("referrals/includes/subnav.html")
def casework_nav(current: str) -> dict:
    """The links between the casework pages, `current` marked as the page shown."""
    return {
        "current": current,
        "casework_links": [
            ("caseload", "Caseload", reverse("home:caseload")),
            ("waiting_list", "Waiting list", reverse("home:waiting_list")),
            ("appointments", "Appointments", reverse("referrals:appointments")),
            ("groups", "Group programmes", reverse("referrals:groups")),
        ],
    }


@register.simple_tag(takes_context=True)
def record_panels(context, referral) -> str:
    """The sections other apps add to the record page (`referrals.hooks.record_panel_register`), each rendered as an
    inclusion tag would render it."""
    request = context["request"]
    html = []
    for panel in hooks.record_panels():
        panel_context = context.new(panel.context(referral, request))
        if (csrf_token := context.get("csrf_token")) is not None:
            panel_context["csrf_token"] = csrf_token
        html.append(context.template.engine.get_template(panel.template_name).render(panel_context))
    return mark_safe("".join(html))  # noqa: S308 -- each panel is a template, rendered with autoescaping
