"""Intervention episodes: an intervention from the catalogue given to a referral."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from pairs.bounds import record_date, session_count
from referrals.models.referral import Referral, ReferralChild, TeamScopedThroughReferral
from referrals.models.vocabularies import Intervention


class InterventionEpisode(ReferralChild):
    """An intervention from the catalogue given to a referral. A family can have several."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="interventions")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="episodes")
    started_on = models.DateField("start date", validators=[record_date])
    ended_on = models.DateField("end date", null=True, blank=True, validators=[record_date])
    sessions_attended = models.PositiveSmallIntegerField(null=True, blank=True, validators=[session_count])
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["referral", "started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="intervention_episode_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} for {self.referral}"

    def clean(self):
        today = timezone.localdate()
        errors = {}
        if self.started_on and self.started_on > today:
            errors["started_on"] = "The start date cannot be in the future."
        if self.ended_on and self.ended_on > today:
            errors["ended_on"] = "The end date cannot be in the future."
        elif self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = "The end date cannot be before the start date."
        if errors:
            raise ValidationError(errors)
