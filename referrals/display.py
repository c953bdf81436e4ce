"""How casework values are shown."""

from django.utils.html import format_html

from referrals.pipeline import Stage, Status

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


# Where an open referral stands, in the words of the caseload and the waiting list.
OPEN_STEP_LABELS = {
    Stage.REFERRAL: "Waiting for assessment",
    Stage.ASSESSMENT: "In assessment",
    Stage.INTERVENTION: "In intervention",
}


def status_tag(status: str | None) -> str:
    """An NHS.UK tag naming a pipeline status."""
    if not status:
        return ""
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', STATUS_COLOURS[Status(status)], Status(status).label
    )
