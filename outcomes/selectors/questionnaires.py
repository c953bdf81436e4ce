"""The referral's own questionnaires and the alerts nobody has acted on yet."""

from django.db.models import (
    Prefetch,
    QuerySet,
)

from outcomes.models import Questionnaire, SafetyAlert
from referrals.models import Referral


def referral_questionnaires(referral: Referral) -> list[Questionnaire]:
    """All the referral's questionnaires with their scores, caregivers and alerts, oldest first."""
    return list(
        Questionnaire.objects.filter(referral=referral)
        .select_related("referral", "caregiver", "recorded_by")
        .prefetch_related("scores", Prefetch("alerts", queryset=SafetyAlert.objects.order_by("raised_at")))
        .order_by("completed_on", "pk")
    )


def open_alerts(*, user, team) -> QuerySet:
    """Alerts nobody has yet recorded an action for, in the team being worked in, oldest first."""
    return (
        SafetyAlert.objects.visible_to(user, team)
        .open()
        .select_related("questionnaire__referral", "questionnaire__caregiver")
        .order_by("raised_at", "pk")
    )


def referral_open_alerts(referral: Referral) -> QuerySet:
    alerts = SafetyAlert.objects.open().filter(questionnaire__referral=referral)
    return alerts.select_related("questionnaire__caregiver").order_by("raised_at", "pk")
