"""The dated pipeline events a referral moves by (the state machine is `referrals.pipeline`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pairs.bounds import MAX_TEXT_LENGTH, record_date, text_length
from referrals.models.referral import Referral, ReferralChild, TeamScopedThroughReferral
from referrals.models.vocabularies import DeclineReason, DisengagementReason, HoldReason
from referrals.pipeline import EventKind, Stage, Status


class PipelineEvent(ReferralChild):
    """One dated, attributed move of a referral through the pipeline, with the state it left the referral in."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind)
    occurred_on = models.DateField("date", validators=[record_date])
    # Orders events within a referral, so that two on the same day keep the order they were recorded in.
    sequence = models.PositiveIntegerField()
    status = models.CharField(max_length=40, choices=Status)
    stage = models.CharField(max_length=20, choices=Stage)
    decline_reason = models.ForeignKey(DeclineReason, on_delete=models.PROTECT, null=True, blank=True)
    disengagement_reason = models.ForeignKey(DisengagementReason, on_delete=models.PROTECT, null=True, blank=True)
    hold_reason = models.ForeignKey(HoldReason, on_delete=models.PROTECT, null=True, blank=True)
    note = models.TextField(blank=True, max_length=MAX_TEXT_LENGTH, validators=[text_length])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["referral", "occurred_on", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "sequence"], name="pipeline_event_sequence_unique"),
            models.CheckConstraint(
                condition=(
                    Q(decline_reason__isnull=True, disengagement_reason__isnull=True)
                    | Q(decline_reason__isnull=True, hold_reason__isnull=True)
                    | Q(disengagement_reason__isnull=True, hold_reason__isnull=True)
                ),
                name="pipeline_event_one_reason_at_most",
            ),
        ]
        indexes = [models.Index(fields=["referral", "occurred_on", "sequence"], name="pipeline_event_as_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%Y-%m-%d} ({self.referral})"

    @property
    def reason(self):
        return self.decline_reason or self.disengagement_reason or self.hold_reason
