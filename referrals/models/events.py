"""The dated pipeline events a referral moves by (the state machine is `referrals.pipeline`)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pairs.bounds import MAX_TEXT_LENGTH, record_date, text_length
from referrals.models.referral import Referral, ReferralChild, TeamScopedThroughReferral
from referrals.models.vocabularies import DeclineReason, DisengagementReason, HoldReason
from referrals.pipeline import OPEN_STATUSES, EventKind, Stage, Status


class PipelineEventQuerySet(TeamScopedThroughReferral):
    def state_as_at(self, date: datetime.date) -> "PipelineEventQuerySet":
        """The event that gives each referral its status and stage as at `date`: its latest dated on or before it
        (by date, then sequence), which the next event had not yet superseded. One event a referral received by
        then, none for the others."""
        return self.filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=date), occurred_on__lte=date)


class PipelineEvent(ReferralChild):
    """One dated, attributed move of a referral through the pipeline, with the state it left the referral in."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    # The referral's team, kept on the event by `events_append` (a referral never changes team): the waiting list of
    # a team at a day reads the team's open events from one index, not every event of every referral of the team.
    # A plain index of the team alone would tempt the planner from that one (bench/README.md): none.
    team = models.ForeignKey("pairs.Team", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False)
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
    # The date of the referral's next event, None while this is its latest: the event gives the referral its state
    # as at a day from its own date until the day before this, so "the latest as at" is a range condition on an
    # index instead of a search of each referral's history (bench/README.md). Kept by `events_append`, the one
    # writer of events, in the same transaction; events are only ever appended in date order.
    superseded_on = models.DateField(null=True, blank=True, editable=False)

    objects = PipelineEventQuerySet.as_manager()

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
        indexes = [
            models.Index(fields=["referral", "occurred_on", "sequence"], name="pipeline_event_as_at"),
            # The teams' open states as at a day: the waiting list at a period's end.
            models.Index(
                fields=["team", "superseded_on", "occurred_on"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="pipeline_event_team_open_until",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%Y-%m-%d} ({self.referral})"

    @property
    def reason(self):
        return self.decline_reason or self.disengagement_reason or self.hold_reason
