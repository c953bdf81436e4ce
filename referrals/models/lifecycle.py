"""A family's records over their life (UK GDPR for health records): restriction of processing, the reasons given
for corrections of a caregiver's or infant's details, and the service manager's reviews of records past the team's
retention period.

Each is filed under its referral (`ReferralChild`), so its audit entries show in the referral's history. None of
them is casework: they stay writable while the referral is restricted (`allowed_while_restricted`).
"""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from referrals.models.referral import Referral, ReferralChild, TeamScopedThroughReferral

# A reason is a sentence or a short paragraph; a TextField checks no length of its own.
REASON_LENGTH = 2000
reason_length = MaxLengthValidator(REASON_LENGTH)


class RestrictionQuerySet(TeamScopedThroughReferral):
    def active(self) -> "RestrictionQuerySet":
        return self.filter(lifted_at=None)


class Restriction(ReferralChild):
    """Processing of a referral's records restricted (UK GDPR article 18), from when a service manager placed it
    until one lifts it. While it is active the records are kept and shown, and every write to them is refused."""

    allowed_while_restricted = True

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="restrictions")
    reason = models.TextField("reason for the restriction", validators=[reason_length])
    restricted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    restricted_at = models.DateTimeField(default=timezone.now, editable=False)
    lift_reason = models.TextField("reason for lifting it", blank=True, validators=[reason_length])
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["referral", "-restricted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"], condition=Q(lifted_at=None), name="restriction_one_active_per_referral"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at=None, lifted_by=None, lift_reason="")
                | (~Q(lifted_at=None) & ~Q(lifted_by=None) & ~Q(lift_reason="")),
                name="restriction_lifted_with_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"Restriction of {self.referral}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Correction(ReferralChild):
    """Why a caregiver's or infant's details were corrected (rectification, UK GDPR article 16). Who, when and what
    changed from what to what are the audit entry's (`log_entry`), which django-auditlog writes for every change
    of the record; this keeps the reason beside it."""

    allowed_while_restricted = True

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="corrections")
    log_entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="correction")
    reason = models.TextField("reason for the correction", validators=[reason_length])

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["referral", "-log_entry__timestamp", "-pk"]

    def __str__(self) -> str:
        return f"Correction of {self.referral}"


class RetentionDecision(models.TextChoices):
    KEEP = "keep", "Keep the records until a later date"
    DELETE = "delete", "Mark the records for deletion by an administrator"


class RetentionReview(ReferralChild):
    """A service manager's decision on a referral past its retention date. Nothing is ever deleted automatically:
    marking for deletion asks an administrator to delete the records, deliberately, in the admin."""

    allowed_while_restricted = True

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="retention_reviews")
    decision = models.CharField(max_length=10, choices=RetentionDecision)
    reason = models.TextField(validators=[reason_length])
    keep_until = models.DateField("keep until", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["referral", "-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=RetentionDecision.KEEP, keep_until__isnull=False)
                | Q(decision=RetentionDecision.DELETE, keep_until=None),
                name="retention_review_keep_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention review of {self.referral}"

    def clean(self):
        today = timezone.localdate()
        if self.decision == RetentionDecision.KEEP:
            if self.keep_until is None:
                raise ValidationError({"keep_until": "Enter the date until which the records are kept."})
            if self.keep_until <= today:
                raise ValidationError({"keep_until": "The date to keep the records until must be in the future."})
            if self.keep_until > today + datetime.timedelta(days=366 * 100):
                raise ValidationError({"keep_until": "Enter a date within the next 100 years."})
        elif self.keep_until is not None:
            raise ValidationError({"keep_until": "Records marked for deletion are not kept until a date."})
