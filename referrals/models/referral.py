"""A referral and its family (caregivers and infants), and the history of its levels."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from pairs.bounds import (
    EARLIEST_BIRTH_DATE,
    MAX_TEXT_LENGTH,
    birth_date,
    caregiver_age_error,
    due_date_error,
    infant_age_error,
    record_date,
    text_length,
)
from pairs.cohorts import AsAt, day_as_at
from pairs.models import Service, Team, TeamScopedQuerySet
from pairs.validation import ValidatesWithFewQueries
from referrals.models.vocabularies import Complexity, ThriveLevel
from referrals.pipeline import CLOSED_STATUSES, EventKind
from referrals.validators import format_nhs_number, validate_nhs_number, validate_postcode


class Pathway(models.TextChoices):
    INDIVIDUAL = "individual", "Individual (1:1)"
    GROUP = "group", "Group"


# The referral's fields that keep the day of its first move of each kind (`Referral.first_decided_on`).
FIRST_MOVE_FIELDS = {
    EventKind.ACCEPTED: ("first_decided_on", "accepted_on"),
    EventKind.NOT_ACCEPTED: ("first_decided_on",),
    EventKind.ASSESSMENT_STARTED: ("first_assessment_on",),
    EventKind.INTERVENTION_STARTED: ("first_intervention_on",),
}
FIRST_MOVE_DATES = list(dict.fromkeys(field for fields in FIRST_MOVE_FIELDS.values() for field in fields))

# The referral's fields that the services derive from its other rows, in the transaction that changes those: not
# audited (the change that moved them is) and never in a form.
DERIVED_FIELDS = ["family_names", *FIRST_MOVE_DATES, "first_attended_on"]


class ReferralQuerySet(TeamScopedQuerySet):
    def with_status_as_at(self, date: AsAt) -> "ReferralQuerySet":
        """Annotate `status_as_at` and `stage_as_at`: those of the latest pipeline event dated on or before `date`
        (for `Cohorts`, the end of each referral's cohort's period).

        The one source of a referral's status, for lists, the record page and the KPIs alike. Both are None for a
        referral not yet received on `date`. Usable in aggregations:
        `qs.with_status_as_at(end).aggregate(n=Count("pk", filter=Q(status_as_at="completed")))`.
        """
        from referrals.models.events import PipelineEvent  # events.py builds on this module

        as_at = day_as_at(date, OuterRef("received_on"), OuterRef("team_id"))
        latest = PipelineEvent.objects.filter(referral=OuterRef("pk"), occurred_on__lte=as_at).order_by(
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


class Referral(ValidatesWithFewQueries):
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
    received_on = models.DateField("date received", validators=[record_date])
    pathway = models.CharField(max_length=20, choices=Pathway)
    referrer_service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name="referrer service"
    )
    reason = models.TextField("reason for referral", blank=True, max_length=MAX_TEXT_LENGTH, validators=[text_length])
    consent_to_share = models.BooleanField("consent to share information", null=True, blank=True)
    is_antenatal = models.BooleanField("antenatal", default=False, help_text="The infant was unborn at referral.")
    first_contact_on = models.DateField("first contact", null=True, blank=True, validators=[record_date])
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
    # What search matches names against (`referrals.selectors.search`): the names of the family's caregivers and
    # infants, without accents and in lower case, one a line. Derived, so neither audited nor versioned; the
    # family's services rewrite it in the transaction that changes a name.
    family_names = models.TextField(blank=True, default="", editable=False)
    # The day of the referral's first decision (accepted or not), assessment start and intervention start: the ends
    # of three clocks (`referrals.selectors.clocks`). Events are only appended in date order, so the first of a kind
    # never moves once recorded and is, as at any day, this date when it is on or before that day. Derived, like the
    # names: `events_append` sets each in the transaction of the move, a rewrite of the history clears them first.
    first_decided_on = models.DateField(null=True, blank=True, editable=False)
    first_assessment_on = models.DateField(null=True, blank=True, editable=False)
    first_intervention_on = models.DateField(null=True, blank=True, editable=False)
    # The day the referral was accepted, kept the same way. A referral is accepted once at most: the pipeline never
    # brings an accepted referral back to a decision (`referrals.pipeline`), so it is accepted as at a day exactly
    # when this is on or before that day, and its complexity at acceptance is read as at this day (kpis.md).
    accepted_on = models.DateField(null=True, blank=True, editable=False)
    # The day (on the service's clock) of the first appointment the family attended: with the recorded first contact,
    # the end of the first-contact clock. Derived too, kept by `appointment_record_outcome`, the one service that
    # gives an appointment its outcome (the others change only appointments still ahead, which have none).
    first_attended_on = models.DateField(null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        # The KPI engine's cohorts (a team's referrals received in a period) and the lists' newest-first order.
        indexes = [models.Index(fields=["team", "received_on"], name="referral_team_received")]
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


class ReferralChild(ValidatesWithFewQueries):
    """A record that belongs to one referral: its audit entries are filed under the referral as well."""

    referral_id: int  # each subclass declares its `referral` foreign key

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
    date_of_birth = models.DateField(null=True, blank=True, validators=[birth_date])
    birth_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_BIRTH_DATE.year, message="Enter a year of birth from 1900 onwards")],
        help_text="Set from the date of birth; imports carry only the year.",
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
        # Search finds a family by each of these exactly.
        indexes = [
            models.Index(fields=["nhs_number"], name="caregiver_nhs_number"),
            models.Index(fields=["postcode"], name="caregiver_postcode"),
            models.Index(fields=["date_of_birth"], name="caregiver_date_of_birth"),
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
        if self.referral_id and (
            error := caregiver_age_error(
                received_on=self.referral.received_on, born=self.date_of_birth, birth_year=self.birth_year
            )
        ):
            raise ValidationError({"date_of_birth" if self.date_of_birth else "birth_year": error})


class Infant(ReferralChild):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="infants")
    name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, validators=[record_date])
    due_date = models.DateField(
        "due date", null=True, blank=True, validators=[record_date], help_text="The expected date of delivery."
    )
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
        indexes = [models.Index(fields=["date_of_birth"], name="infant_date_of_birth")]

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
        if self.referral_id and self.referral.received_on:
            received_on = self.referral.received_on
            errors = {
                "date_of_birth": infant_age_error(received_on=received_on, born=self.date_of_birth),
                "due_date": due_date_error(received_on=received_on, due=self.due_date),
            }
            if errors := {field: message for field, message in errors.items() if message}:
                raise ValidationError(errors)


class LevelsRecord(ReferralChild):
    """Safeguarding level, risk count, Thrive level and IMD decile as recorded on a date: their history.

    The referral keeps the latest values for lists and reports; each change adds one of these.
    """

    # Indexed with its dates below: a plain index of the referral alone would be a copy of that one's start.
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="levels_history", db_index=False)
    recorded_on = models.DateField("date", validators=[record_date])
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
        # A referral's history in the order its level as at a day is read (the record page, complexity at
        # acceptance): the latest on or before a day is the first entry of a backward scan, with no sort.
        indexes = [models.Index(fields=["referral", "recorded_on", "recorded_at", "id"], name="levels_record_as_at")]

    def __str__(self) -> str:
        return f"Levels of {self.referral} on {self.recorded_on:%Y-%m-%d}"


class ImdPostcode(ValidatesWithFewQueries):
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
