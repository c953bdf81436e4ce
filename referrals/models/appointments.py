"""Appointments with a family: booked, perhaps moved, changed or cancelled, then attended or not; and the history of
those changes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pairs.bounds import record_datetime, within_planning_horizon
from pairs.models import TeamScopedQuerySet
from pairs.validation import ValidatesWithFewQueries
from referrals.models.referral import Referral, ReferralChild, TeamScopedThroughReferral


class Appointment(ReferralChild):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        INTERVENTION = "intervention", "Intervention"
        REVIEW = "review", "Review"
        OTHER = "other", "Other"

    class Mode(models.TextChoices):
        HOME = "home", "Home visit"
        CLINIC = "clinic", "Clinic"
        FAMILY_HUB = "family_hub", "Family hub"
        TELEPHONE = "telephone", "Telephone"
        VIDEO = "video", "Video call"

    class Outcome(models.TextChoices):
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED_BY_FAMILY = "cancelled_by_family", "Cancelled by the family"
        CANCELLED_BY_SERVICE = "cancelled_by_service", "Cancelled by the service"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="appointments")
    # The referral's team, kept on the appointment by `appointment_book` (a referral never changes team): the KPIs'
    # appointments of a period are a range of one team's diary, read from one index, where a join to the referrals
    # read the region's diary of the period to keep the team's (bench/README.md). That index, led by the team, also
    # serves the foreign key: no index of its own.
    team = models.ForeignKey("pairs.Team", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False)
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField("date and time", validators=[record_datetime, within_planning_horizon])
    kind = models.CharField("type", max_length=20, choices=Kind)
    # Blank where the monitoring files did not record it (data-contract.md: `mode` is optional).
    mode = models.CharField("where", max_length=20, choices=Mode, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome, blank=True, help_text="Blank until it has happened.")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["practitioner", "starts_at"], name="appointment_diary"),
            # The KPIs' appointments of a period: a range of moments of the teams' diaries.
            models.Index(fields=["team", "starts_at"], name="appointment_team_diary"),
            # A referral's appointments in time order: its first attended one (the first-contact clock) is read
            # from the start of its diary, not by sorting the whole of it.
            models.Index(fields=["referral", "starts_at"], name="appointment_referral_diary"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} appointment for {self.referral}"

    @property
    def is_cancelled(self) -> bool:
        return self.outcome in CANCELLED_OUTCOMES

    def clean(self):
        # A family or the service can call off an appointment ahead of it; whether the family came is known after.
        if self.outcome and not self.is_cancelled and self.starts_at and self.starts_at > timezone.now():
            raise ValidationError({"outcome": "You can record an outcome once the appointment has started."})


CANCELLED_OUTCOMES = frozenset({Appointment.Outcome.CANCELLED_BY_FAMILY, Appointment.Outcome.CANCELLED_BY_SERVICE})


class AppointmentChangeQuerySet(TeamScopedQuerySet):
    team_field = "appointment__referral__team"


class AppointmentChange(ValidatesWithFewQueries):
    """One change to a booked appointment: who made it, when, why, and each detail from what to what.

    The details are kept in words as the diary showed them (`changes`: [{"field", "before", "after"}]), so the
    history reads the same however the people and codes it names change later.
    """

    class Kind(models.TextChoices):
        RESCHEDULED = "rescheduled", "Rescheduled"
        EDITED = "edited", "Details changed"
        CANCELLED = "cancelled", "Cancelled"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=list)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppointmentChangeQuerySet.as_manager()

    class Meta:
        ordering = ["appointment", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.appointment}"
