"""Workforce activity (domain.md, The records): training sessions, consultations with other professionals,
awareness events, universal offer contacts, and feedback.

Every record belongs to a team and is read through a team-scoped QuerySet; writes go through `training.services`.
The unique constraints are the natural keys the monitoring import uses (data-contract.md section 1).
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from pairs.bounds import MAX_TEXT_LENGTH, people_counted, record_date, text_length
from pairs.models import Service, Team, TeamScopedQuerySet
from pairs.periods import Period
from pairs.validation import ValidatesWithFewQueries
from referrals.models import Intervention
from training.validators import validate_not_in_future


class ActivityQuerySet(TeamScopedQuerySet):
    """Team-scoped reads of dated activity records, with the totals shown under their lists."""

    # Counts summed for the totals row: field names of the model.
    summed_fields: tuple[str, ...] = ()

    def in_period(self, period: Period) -> "ActivityQuerySet":
        return self.filter(date__range=(period.start, period.end))

    def totals(self) -> dict[str, int]:
        """The number of records and the sum of each counted field, in one query (zeros when there are none)."""
        # Aliased apart from the field names, which an aggregate must not shadow.
        totals = self.order_by().aggregate(
            records=Count("pk"), **{f"sum_{name}": Coalesce(Sum(name), 0) for name in self.summed_fields}
        )
        return {"records": totals["records"], **{name: totals[f"sum_{name}"] for name in self.summed_fields}}


class TrainingSessionQuerySet(ActivityQuerySet):
    summed_fields = ("places_offered", "participants", "feedback_returned", "feedback_positive")


class ConsultationQuerySet(ActivityQuerySet):
    summed_fields = ("children",)


class AwarenessEventQuerySet(ActivityQuerySet):
    summed_fields = ("people_engaged",)


class UniversalOfferContactQuerySet(ActivityQuerySet):
    summed_fields = ("dyads",)


class FeedbackQuerySet(ActivityQuerySet):
    def totals(self) -> dict[str, int]:
        return self.order_by().aggregate(
            records=Count("pk"),
            **{kind.value: Count("pk", filter=Q(kind=kind)) for kind in FeedbackKind},
            open_complaints=Count("pk", filter=Q(kind=FeedbackKind.COMPLAINT, resolved_on__isnull=True)),
        )


class SessionType(models.TextChoices):
    BITESIZE = "bitesize", "Bitesize"
    INTRODUCTION = "introduction", "Introduction"
    IMH_PIR = "imh_pir", "IMH/PIR"
    OTHER = "other", "Other"


class TrainingSession(ValidatesWithFewQueries):
    """A training session the team gave to the early-years workforce."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="training_sessions")
    date = models.DateField(validators=[record_date, validate_not_in_future])
    session_type = models.CharField("type", max_length=20, choices=SessionType)
    title = models.CharField(max_length=200)
    trainers = models.CharField(
        "trainers", max_length=200, blank=True, help_text="The names of the people who gave the session."
    )
    places_offered = models.PositiveIntegerField(null=True, blank=True, validators=[people_counted])
    participants = models.PositiveIntegerField(validators=[people_counted])
    feedback_returned = models.PositiveIntegerField(
        "feedback forms returned", null=True, blank=True, validators=[people_counted]
    )
    feedback_positive = models.PositiveIntegerField(
        "feedback forms rated positive", null=True, blank=True, validators=[people_counted]
    )

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date", "session_type", "title"],
                name="training_session_natural_key",
                violation_error_message="A session of this type with this title is already recorded on this date",
            ),
            models.CheckConstraint(
                condition=Q(feedback_positive__isnull=True)
                | Q(feedback_returned__isnull=False, feedback_positive__lte=models.F("feedback_returned")),
                name="training_feedback_positive_within_returned",
                violation_error_message="Forms rated positive cannot be more than the forms returned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if self.feedback_positive is not None:
            if self.feedback_returned is None:
                errors["feedback_returned"] = "Enter how many feedback forms were returned"
            elif self.feedback_positive > self.feedback_returned:
                errors["feedback_positive"] = (
                    f"Forms rated positive ({self.feedback_positive}) cannot be more than the forms returned "
                    f"({self.feedback_returned})"
                )
        if errors:
            raise ValidationError(errors)


class TrainingAttendance(ValidatesWithFewQueries):
    """How many of a session's participants came from one attendee service."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    participants = models.PositiveIntegerField(validators=[MinValueValidator(1), people_counted])

    class Meta:
        ordering = ["service__sort_order", "service__label"]
        constraints = [models.UniqueConstraint(fields=["session", "service"], name="one_attendance_row_per_service")]

    def __str__(self) -> str:
        return f"{self.service}: {self.participants}"


def attendance_error(participants: int | None, attendance: Mapping[Service, int]) -> ValidationError | None:
    """The error when a session's participants by attendee service are given and do not add up to its participants."""
    if not attendance or participants is None:
        return None
    total = sum(attendance.values())
    if total == participants:
        return None
    return ValidationError(
        {
            "participants": (
                f"The participants by service add up to {total}, not {participants}. Make them add up to the "
                "participants, or leave them all blank"
            )
        },
        code="attendance_total",
    )


class ConsultationMode(models.TextChoices):
    TELEPHONE = "telephone", "Telephone"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    EMAIL = "email", "Email or message"


class ConsultationOutcome(models.TextChoices):
    REFERRED = "referred", "Referred to the service"
    ACTION_PLAN = "action_plan", "Action plan agreed with the consultee"
    SIGNPOSTED = "signposted", "Signposted to another service"
    ADVICE_ONLY = "advice_only", "Advice only"


class ChildAge(models.TextChoices):
    UNBORN = "unborn", "Unborn"
    UNDER_1 = "0", "Under 1"
    AGE_1 = "1", "1 year"
    AGE_2 = "2", "2 years"
    AGE_3 = "3", "3 years"
    AGE_4 = "4", "4 years"
    AGE_5 = "5", "5 years"


class Consultation(ValidatesWithFewQueries):
    """A consultation with another professional about one or more families (usually by telephone)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consultations")
    date = models.DateField(validators=[record_date, validate_not_in_future])
    consultee_service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name="consultee's service"
    )
    sequence = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)],
        help_text="1, 2, ... to tell apart consultations on the same day with the same service.",
    )
    mode = models.CharField(max_length=20, choices=ConsultationMode, default=ConsultationMode.TELEPHONE)
    outcome = models.CharField(max_length=20, choices=ConsultationOutcome)
    children = models.PositiveSmallIntegerField(
        "children discussed", null=True, blank=True, validators=[people_counted]
    )
    note = models.TextField(max_length=1000, blank=True, validators=[MaxLengthValidator(1000)])
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        help_text="The family's referral, when the outcome was a referral and the family arrived.",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "consultee_service__label", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date", "consultee_service", "sequence"],
                name="consultation_natural_key",
                violation_error_message="A consultation with this number is already recorded for this service and date",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="consultation_sequence_from_1"),
        ]

    def __str__(self) -> str:
        return f"Consultation with {self.consultee_service} on {self.date:%d/%m/%Y} ({self.sequence})"

    def clean(self):
        if self.referral_id is None:
            return
        if self.outcome != ConsultationOutcome.REFERRED:
            raise ValidationError(
                {"referral": "Link a referral only when the outcome was a referral to the service"}, code="not_referred"
            )
        if self.referral.team_id != self.team_id:
            raise ValidationError({"referral": "Link a referral of this team"}, code="other_team")
        if self.date and self.referral.received_on < self.date:
            raise ValidationError(
                {"referral": "The referral was received before this consultation: check the reference and the date"},
                code="referral_before_consultation",
            )


class ConsultationChild(ValidatesWithFewQueries):
    """How many of the children discussed in a consultation were of one age."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="child_ages")
    age = models.CharField(max_length=10, choices=ChildAge)
    children = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), people_counted])

    class Meta:
        ordering = ["consultation", "age"]
        constraints = [models.UniqueConstraint(fields=["consultation", "age"], name="one_row_per_child_age")]

    def __str__(self) -> str:
        return f"{self.get_age_display()}: {self.children}"


def child_ages_error(children: int | None, ages: Mapping[str, int]) -> ValidationError | None:
    """The error when the children's ages are given for more children than were discussed, or with no count."""
    if not ages:
        return None
    known = sum(ages.values())
    if children is None:
        return ValidationError(
            {"children": "Enter how many children were discussed, as you have given their ages"}, code="ages_no_count"
        )
    if known > children:
        return ValidationError(
            {"children": f"You have given the ages of {known} children, more than the {children} discussed"},
            code="ages_above_count",
        )
    return None


class AwarenessEvent(ValidatesWithFewQueries):
    """An event that raised awareness of parent-infant relationships."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="awareness_events")
    date = models.DateField(validators=[record_date, validate_not_in_future])
    title = models.CharField(max_length=200)
    # Blank only for events imported from monitoring files, which do not record the audience; the form asks for it.
    audience = models.CharField(
        max_length=200, blank=True, help_text="For example, parents at a family hub, or GP practice staff."
    )
    people_engaged = models.PositiveIntegerField(validators=[people_counted])

    objects = AwarenessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date", "title"],
                name="awareness_event_natural_key",
                violation_error_message="An event with this title is already recorded on this date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class UniversalOfferContact(ValidatesWithFewQueries):
    """Dyads reached on one day by a universal offer (for example infant massage in a family hub)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="universal_contacts")
    date = models.DateField(validators=[record_date, validate_not_in_future])
    offer = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="+", help_text="From the universal offers."
    )
    dyads = models.PositiveIntegerField(
        "dyads reached", validators=[MinValueValidator(1, message="Dyads reached must be 1 or more"), people_counted]
    )

    objects = UniversalOfferContactQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "offer__label"]
        verbose_name = "universal offer contact"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date", "offer"],
                name="universal_contact_natural_key",
                violation_error_message="This offer is already recorded on this date: change that record instead",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.date:%d/%m/%Y})"

    def clean(self):
        if self.offer_id is not None and self.offer.level != Intervention.Level.UNIVERSAL:
            raise ValidationError({"offer": f"{self.offer} is not a universal offer: choose one that is"})


class FeedbackKind(models.TextChoices):
    COMPLIMENT = "compliment", "Compliment"
    COMPLAINT = "complaint", "Complaint"
    SERVICE_USER = "service_user", "Service-user feedback"


class FeedbackTheme(models.TextChoices):
    ACCESS = "access", "Access and waiting times"
    COMMUNICATION = "communication", "Communication and information"
    STAFF = "staff", "Staff attitude and care"
    INTERVENTION = "intervention", "The help or intervention received"
    ENVIRONMENT = "environment", "Venue and environment"
    OTHER = "other", "Other"


class Feedback(ValidatesWithFewQueries):
    """A compliment, a complaint or service-user feedback. Its text may identify a family."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="feedback")
    date = models.DateField("date received", validators=[record_date, validate_not_in_future])
    kind = models.CharField("type", max_length=20, choices=FeedbackKind)
    theme = models.CharField(max_length=20, choices=FeedbackTheme)
    text = models.TextField("what they said", max_length=MAX_TEXT_LENGTH, validators=[text_length])
    response = models.TextField(
        "the service's response", max_length=MAX_TEXT_LENGTH, blank=True, validators=[text_length]
    )
    resolved_on = models.DateField(
        "date resolved", null=True, blank=True, validators=[record_date, validate_not_in_future]
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(kind="complaint", resolved_on__gte=models.F("date")),
                name="feedback_resolved_complaint_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if self.kind != FeedbackKind.COMPLAINT:
            if self.response:
                errors["response"] = "Only a complaint has a response: clear it, or change the type to complaint"
            if self.resolved_on:
                errors["resolved_on"] = "Only a complaint is resolved: clear the date, or change the type to complaint"
        else:
            if self.resolved_on and not self.response:
                errors["response"] = "Enter the response before the date the complaint was resolved"
            if self.resolved_on and self.date and self.resolved_on < self.date:
                errors["resolved_on"] = "The date resolved must be the same as or after the date received"
        if errors:
            raise ValidationError(errors)

    @property
    def is_open_complaint(self) -> bool:
        return self.kind == FeedbackKind.COMPLAINT and self.resolved_on is None
