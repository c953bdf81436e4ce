"""The record page's subject access panel: for the team's service manager, each caregiver's export as PDF and JSON.
Registered with `referrals.hooks.record_panel_register` in `ReportsConfig.ready`, so casework imports nothing of
data out."""

from django.http import HttpRequest

from pairs.rules import Perm, has_team_perm
from referrals.hooks import RecordPanel
from referrals.models import Referral


def subject_access_panel_context(referral: Referral, request: HttpRequest) -> dict:
    """No query of its own: the record page has loaded the caregivers."""
    if not has_team_perm(request.user, Perm.MANAGE_TEAM, referral.team):
        return {"caregivers": []}
    return {"caregivers": list(referral.caregivers.all())}


SUBJECT_ACCESS_PANEL = RecordPanel("reports/subject_access/_panel.html", subject_access_panel_context)
