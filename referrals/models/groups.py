"""Group programmes: runs of a group intervention, the places offered on them and their sessions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from pairs.bounds import group_size, record_date, within_planning_horizon
from pairs.models import Team, TeamScopedQuerySet
from pairs.validation import ValidatesWithFewQueries
from referrals.models.referral import Referral, ReferralChild, TeamScopedThroughReferral
from referrals.models.vocabularies import Intervention


class GroupProgramme(ValidatesWithFewQueries):
    """A run of a group intervention, such as a Circle of Security course starting in spring."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="group_programmes")
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"format": Intervention.Format.GROUP},
    )
    title = models.CharField(max_length=200, help_text="How the team tells its runs apart, such as 'Spring, Layton'.")
    starts_on = models.DateField("start date", validators=[record_date, within_planning_horizon])
    places_offered = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1), group_size])
    sessions_planned = models.PositiveSmallIntegerField("sessions", validators=[MinValueValidator(1), group_size])
    venue = models.CharField(max_length=200, blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="group_programmes")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = "group programme"

    def __str__(self) -> str:
        return f"{self.intervention}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:group_detail", args=[self.pk])

    def clean(self):
        if self.intervention_id and self.intervention.format != Intervention.Format.GROUP:
            raise ValidationError({"intervention": "Choose a group intervention."})


class GroupPlace(ReferralChild):
    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        TAKEN_UP = "taken_up", "Taken up"
        DECLINED = "declined", "Declined"

    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="places")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="group_places")
    waiting_since = models.DateField(
        "on the waiting list from", validators=[record_date], help_text="When the family joined the waiting list."
    )
    offered_on = models.DateField("date offered", validators=[record_date])
    status = models.CharField(max_length=20, choices=Status, default=Status.OFFERED)
    responded_on = models.DateField("date of reply", null=True, blank=True, validators=[record_date])
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["programme", "offered_on", "pk"]
        verbose_name = "group place"
        constraints = [
            models.UniqueConstraint(fields=["programme", "referral"], name="group_place_once_per_referral"),
        ]

    def __str__(self) -> str:
        return f"Place on {self.programme} for {self.referral}"

    def clean(self):
        errors = {}
        if self.programme_id and self.referral_id and self.programme.team_id != self.referral.team_id:
            errors["referral"] = "The referral belongs to another team."
        if self.waiting_since and self.offered_on and self.offered_on < self.waiting_since:
            errors["offered_on"] = "The offer cannot be before the family joined the waiting list."
        if self.offered_on and self.offered_on > timezone.localdate():
            errors["offered_on"] = "The date offered cannot be in the future."
        if self.responded_on and self.offered_on and self.responded_on < self.offered_on:
            errors["responded_on"] = "The reply cannot be before the offer."
        if self.responded_on and self.responded_on > timezone.localdate():
            errors["responded_on"] = "The date of the reply cannot be in the future."
        if errors:
            raise ValidationError(errors)


class TeamScopedThroughProgramme(TeamScopedQuerySet):
    team_field = "programme__team"


class GroupSession(ValidatesWithFewQueries):
    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), group_size])
    held_on = models.DateField("date", validators=[record_date])
    attendees = models.ManyToManyField(GroupPlace, blank=True, related_name="sessions_attended")

    objects = TeamScopedThroughProgramme.as_manager()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = "group session"
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="group_session_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Session {self.number} of {self.programme}"

    def clean(self):
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": "Record attendance on or after the day of the session."})
