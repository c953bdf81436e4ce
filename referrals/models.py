"""Casework records (domain.md, The records): referrals and their families, the dated pipeline events, appointments,
intervention episodes and group programmes, with the coded vocabularies they use.

Every record belongs to a team, directly or through its referral, and is read through a team-scoped QuerySet.
Writes go through `referrals.services`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from pairs.models import Service, Team, TeamScopedQuerySet, Vocabulary
from referrals.pipeline import CLOSED_STATUSES, EventKind, Stage, Status
from referrals.validators import format_nhs_number, validate_nhs_number, validate_postcode

# Vocabularies ---------------------------------------------------------------------------------------------------


class Intervention(Vocabulary):
    """The intervention catalogue (domain.md): what a team offers, 1:1 or in groups, at which level of need."""

    class Format(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    class Level(models.TextChoices):
        UNIVERSAL = "universal", "Universal"
        TARGETED = "targeted", "Targeted"
        SPECIALIST = "specialist", "Specialist"

    format = models.CharField(max_length=20, choices=Format, default=Format.INDIVIDUAL)
    level = models.CharField(max_length=20, choices=Level, default=Level.SPECIALIST)

    class Meta(Vocabulary.Meta):
        verbose_name = "intervention"


class Complexity(Vocabulary):
    """Circumstances that make a family's work more complex (multi-select on a referral)."""

    class Meta(Vocabulary.Meta):
        verbose_name = "complexity"
        verbose_name_plural = "complexities"


class DisengagementReason(Vocabulary):
    """Why a family stopped engaging, at whatever stage they had reached."""

    class Meta(Vocabulary.Meta):
        verbose_name = "disengagement reason"


class HoldReason(Vocabulary):
    """Why work with a family was paused."""

    class Meta(Vocabulary.Meta):
        verbose_name = "hold reason"


class DeclineReason(Vocabulary):
    """Why the service did not accept a referral."""

    class Meta(Vocabulary.Meta):
        verbose_name = "reason for not accepting"
        verbose_name_plural = "reasons for not accepting"


class ThriveLevel(Vocabulary):
    """THRIVE framework levels of need, recorded with their date because they change."""

    class Meta(Vocabulary.Meta):
        verbose_name = "Thrive level"


# Referrals ------------------------------------------------------------------------------------------------------


class Pathway(models.TextChoices):
    INDIVIDUAL = "individual", "Individual (1:1)"
    GROUP = "group", "Group"


class ReferralQuerySet(TeamScopedQuerySet):
    def with_status_as_at(self, date: datetime.date) -> "ReferralQuerySet":
        """Annotate `status_as_at` and `stage_as_at`: those of the latest pipeline event dated on or before `date`.

        The one source of a referral's status, for lists, the record page and the KPIs alike. Both are None for a
        referral not yet received on `date`. Usable in aggregations:
        `qs.with_status_as_at(end).aggregate(n=Count("pk", filter=Q(status_as_at="completed")))`.
        """
        latest = PipelineEvent.objects.filter(referral=OuterRef("pk"), occurred_on__lte=date).order_by(
            "-occurred_on", "-sequence"
        )
        return self.annotate(
            status_as_at=Subquery(latest.values("status")[:1]),
            stage_as_at=Subquery(latest.values("stage")[:1]),
        )

    def with_current_status(self) -> "ReferralQuerySet":
        """The status as at today: events are never dated in the future, so this is the latest event's."""
        return self.with_status_as_at(timezone.localdate())

    def open_as_at(self, date: datetime.date) -> "ReferralQuerySet":
        return self.with_status_as_at(date).exclude(status_as_at__in=CLOSED_STATUSES).exclude(status_as_at=None)


class Referral(models.Model):
    """One family episode with the service: the unit of casework."""

    class SafeguardingLevel(models.IntegerChoices):
        LEVEL_1 = 1, "Level 1"
        LEVEL_2 = 2, "Level 2"
        LEVEL_3 = 3, "Level 3"
        LEVEL_4 = 4, "Level 4"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(
        max_length=30, help_text="The service's own case reference, unique within the team, such as REF-000123."
    )
    received_on = models.DateField("date received")
    pathway = models.CharField(max_length=20, choices=Pathway)
    referrer_service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name="referrer service"
    )
    reason = models.TextField("reason for referral", blank=True)
    consent_to_share = models.BooleanField("consent to share information", null=True, blank=True)
    is_antenatal = models.BooleanField("antenatal", default=False, help_text="The infant was unborn at referral.")
    first_contact_on = models.DateField("first contact", null=True, blank=True)
    safeguarding_level = models.PositiveSmallIntegerField(choices=SafeguardingLevel, null=True, blank=True)
    risk_count = models.PositiveSmallIntegerField(
        "risks",
        null=True,
        blank=True,
        help_text="Risks ticked on the Risks to the Parent-Infant Relationship checklist.",
    )
    complexities = models.ManyToManyField(Complexity, blank=True, related_name="referrals")
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Index of Multiple Deprivation 2019 decile of the family's postcode: 1 is the most deprived.",
    )
    imd_from_postcode = models.BooleanField(
        "IMD decile from the postcode",
        default=False,
        help_text="The decile was looked up from the postcode rather than entered by hand.",
    )
    thrive_level = models.ForeignKey(
        ThriveLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    assigned_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_referrals",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_referrals")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The one-time token of the browser form that created this referral: a resubmission finds it instead of
    # creating a second referral.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Raised by every change; an edit form carries the version it was opened at, so a stale edit is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "reference"], name="referral_reference_unique_in_team"),
            models.CheckConstraint(
                condition=Q(safeguarding_level__isnull=True) | Q(safeguarding_level__range=(1, 4)),
                name="referral_safeguarding_level_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(imd_decile__isnull=True) | Q(imd_decile__range=(1, 10)),
                name="referral_imd_decile_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        # The reference only: this text is kept in audit entries, which must never hold clinical content.
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    def clean(self):
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": "The date received cannot be in the future."})


class TeamScopedThroughReferral(TeamScopedQuerySet):
    team_field = "referral__team"


class ReferralChild(models.Model):
    """A record that belongs to one referral: its audit entries are filed under the referral as well."""

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        return {"referral_id": self.referral_id}


class Caregiver(ReferralChild):
    class Role(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        CO_PARENT = "co_parent", "Co-parent"
        OTHER = "other", "Other (such as foster carer, grandparent, kinship carer)"

    class Ethnicity(models.TextChoices):
        """ONS 2021 high-level groups."""

        WHITE = "white", "White"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        OTHER = "other", "Other ethnic group"
        NOT_STATED = "not_stated", "Not stated"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="caregivers")
    position = models.PositiveSmallIntegerField(
        choices=[(1, "First caregiver"), (2, "Second caregiver")],
        help_text="1 or 2: the `caregiver` column of imported outcome measures.",
    )
    name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Set from the date of birth; imports carry only the year."
    )
    role = models.CharField(max_length=20, choices=Role)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["referral", "position"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "position"], name="caregiver_position_unique_in_referral"),
            models.CheckConstraint(condition=Q(position__in=(1, 2)), name="caregiver_position_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"Caregiver {self.position} of {self.referral}"

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    def clean(self):
        if self.date_of_birth:
            if self.date_of_birth > timezone.localdate():
                raise ValidationError({"date_of_birth": "The date of birth cannot be in the future."})
            self.birth_year = self.date_of_birth.year


class Infant(ReferralChild):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="infants")
    name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    due_date = models.DateField("due date", null=True, blank=True, help_text="The expected date of delivery.")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["referral", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(due_date__isnull=False),
                name="infant_has_birth_or_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Infant of {self.referral}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def clean(self):
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "The date of birth cannot be in the future."})
        if not (self.date_of_birth or self.due_date):
            raise ValidationError("Enter the infant's date of birth or, if not yet born, the due date.")


# Pipeline -------------------------------------------------------------------------------------------------------


class PipelineEvent(ReferralChild):
    """One dated, attributed move of a referral through the pipeline, with the state it left the referral in."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind)
    occurred_on = models.DateField("date")
    # Orders events within a referral, so that two on the same day keep the order they were recorded in.
    sequence = models.PositiveIntegerField()
    status = models.CharField(max_length=40, choices=Status)
    stage = models.CharField(max_length=20, choices=Stage)
    decline_reason = models.ForeignKey(DeclineReason, on_delete=models.PROTECT, null=True, blank=True)
    disengagement_reason = models.ForeignKey(DisengagementReason, on_delete=models.PROTECT, null=True, blank=True)
    hold_reason = models.ForeignKey(HoldReason, on_delete=models.PROTECT, null=True, blank=True)
    note = models.TextField(blank=True)
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


# Levels ---------------------------------------------------------------------------------------------------------


class LevelsRecord(ReferralChild):
    """Safeguarding level, risk count, Thrive level and IMD decile as recorded on a date: their history.

    The referral keeps the latest values for lists and reports; each change adds one of these.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="levels_history")
    recorded_on = models.DateField("date")
    safeguarding_level = models.PositiveSmallIntegerField(choices=Referral.SafeguardingLevel, null=True, blank=True)
    risk_count = models.PositiveSmallIntegerField("risks", null=True, blank=True)
    thrive_level = models.ForeignKey(ThriveLevel, on_delete=models.PROTECT, null=True, blank=True)
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["referral", "-recorded_on", "-recorded_at"]
        verbose_name = "levels record"

    def __str__(self) -> str:
        return f"Levels of {self.referral} on {self.recorded_on:%Y-%m-%d}"


class ImdPostcode(models.Model):
    """Postcode to LSOA to IMD 2019 decile, loaded by `manage.py load_imd_lookup` from the team's own extract."""

    postcode = models.CharField(max_length=8, unique=True, help_text="Upper case, one space: FY1 1AA.")
    lsoa_code = models.CharField("LSOA code", max_length=9)
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile", validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        verbose_name = "IMD postcode lookup entry"
        verbose_name_plural = "IMD postcode lookup"
        ordering = ["postcode"]

    def __str__(self) -> str:
        return f"{self.postcode}: {self.lsoa_code}, decile {self.imd_decile}"


# Appointments and interventions ---------------------------------------------------------------------------------


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
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField("date and time")
    kind = models.CharField("type", max_length=20, choices=Kind)
    # Blank where the monitoring files did not record it (data-contract.md: `mode` is optional).
    mode = models.CharField("where", max_length=20, choices=Mode, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome, blank=True, help_text="Blank until it has happened.")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TeamScopedThroughReferral.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["practitioner", "starts_at"], name="appointment_diary")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} appointment for {self.referral}"

    def clean(self):
        if self.outcome and self.starts_at and self.starts_at > timezone.now():
            raise ValidationError({"outcome": "You can record an outcome once the appointment has started."})


class InterventionEpisode(ReferralChild):
    """An intervention from the catalogue given to a referral. A family can have several."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="interventions")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="episodes")
    started_on = models.DateField("start date")
    ended_on = models.DateField("end date", null=True, blank=True)
    sessions_attended = models.PositiveSmallIntegerField(null=True, blank=True)
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


# Group programmes -----------------------------------------------------------------------------------------------


class GroupProgramme(models.Model):
    """A run of a group intervention, such as a Circle of Security course starting in spring."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="group_programmes")
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"format": Intervention.Format.GROUP},
    )
    title = models.CharField(max_length=200, help_text="How the team tells its runs apart, such as 'Spring, Layton'.")
    starts_on = models.DateField("start date")
    places_offered = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1)])
    sessions_planned = models.PositiveSmallIntegerField("sessions", validators=[MinValueValidator(1)])
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
    waiting_since = models.DateField("on the waiting list from", help_text="When the family joined the waiting list.")
    offered_on = models.DateField("date offered")
    status = models.CharField(max_length=20, choices=Status, default=Status.OFFERED)
    responded_on = models.DateField("date of reply", null=True, blank=True)
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


class GroupSession(models.Model):
    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    held_on = models.DateField("date")
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
