"""What outcomes adds to casework through `referrals.hooks`, registered in `OutcomesConfig.ready()`.

- The completion guard: a referral is completed only once each T2 due (an instrument scored at T1, for the same
  caregiver) is recorded or recorded as not completed. It holds for every caller of the completing services; an
  import of history waives it explicitly.
- The record panel: each instrument's scores over time on the referral's record page.
"""

from django.http import HttpRequest
from django.urls import reverse

from outcomes.selectors import t2_due
from outcomes.templatetags.outcomes import outcomes_panel
from referrals.hooks import RecordPanel, Requirement
from referrals.models import Referral


def t2_questionnaires_guard(referral: Referral) -> Requirement | None:
    if not t2_due(referral):
        return None
    return Requirement(
        message="Record the T2 questionnaires due, or why they were not completed, before completing the referral.",
        url=reverse("outcomes:follow_up", args=[referral.pk]),
    )


def _panel_context(referral: Referral, request: HttpRequest) -> dict:
    """What `{% outcomes_panel referral %}` shows, as a section of the record page."""
    return outcomes_panel({"request": request}, referral)


OUTCOMES_PANEL = RecordPanel(template_name="outcomes/_panel.html", context=_panel_context)
