"""How casework values are shown."""

from django.utils.html import format_html

from referrals.pipeline import Status

STATUS_COLOURS = {
    Status.AWAITING_DECISION: "blue",
    Status.IN_PROGRESS: "aqua-green",
    Status.ON_HOLD: "yellow",
    Status.COMPLETED: "green",
    Status.NOT_ACCEPTED: "grey",
    Status.DISENGAGED_AT_REFERRAL: "orange",
    Status.DISENGAGED_AT_ASSESSMENT: "orange",
    Status.DISENGAGED_DURING_INTERVENTION: "orange",
}


def status_tag(status: str | None) -> str:
    """An NHS.UK tag naming a pipeline status."""
    if not status:
        return ""
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', STATUS_COLOURS[Status(status)], Status(status).label
    )
