"""Teams, and the role a person holds in each team they work with."""

import datetime
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from pairs.bounds import EARLIEST_RECORD_DATE, record_date, within_planning_horizon
from pairs.periods import LATEST_PERIOD_DATE
from pairs.validation import ValidatesWithFewQueries


class DisclosureControl(models.TextChoices):
    """Small-number suppression applied to commissioner-facing outputs (kpis.md)."""

    HES = "hes", "HES: 1 to 7 suppressed, others rounded to the nearest 5"
    MHSDS = "mhsds", "MHSDS: under 5 suppressed, others rounded to the nearest 5"
    NONE = "none", "None: exact figures"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Service manager"
    COMMISSIONER = "commissioner", "Commissioner"


# Roles that may read and write identifiable records of a family.
CLINICAL_ROLES = (Role.PRACTITIONER, Role.MANAGER)


class ReferencePattern(models.TextChoices):
    """What follows the team's prefix in the case reference of a referral created in PaIRS (imports keep theirs)."""

    NUMBER = "number", "A number of six digits, one series: REF-000001, REF-000002"
    YEAR_NUMBER = "year_number", "The year received and a number of four digits, afresh each year: BPL-2024-0001"


class Team(ValidatesWithFewQueries):
    """One parent-infant relationship service."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    commissioning_body = models.CharField(max_length=200, blank=True)
    births_per_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="Local births a year, for reach and the needs model."
    )
    adversity_adjustment = models.SmallIntegerField(
        default=0,
        validators=[MinValueValidator(-90), MaxValueValidator(200)],
        help_text="Local adversity, per cent above (or, negative, below) the UK average, for the needs model.",
    )
    service_started_on = models.DateField(
        null=True,
        blank=True,
        validators=[record_date, within_planning_horizon],
        help_text="Service year 1 is the one that contains this date.",
    )
    year_start_month = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="The month (1 to 12) in which the team's KPI year starts.",
    )
    disclosure_control = models.CharField(max_length=10, choices=DisclosureControl, default=DisclosureControl.HES)
    first_contact_target_days = models.PositiveSmallIntegerField(
        default=14, help_text="Calendar days from referral to first contact agreed with the commissioner."
    )
    t2_due_weeks_after_t1 = models.PositiveSmallIntegerField(
        "T2 due (weeks after T1)",
        null=True,
        blank=True,
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="When a family's T2 questionnaires fall due: this many weeks after its T1. Empty: at discharge.",
    )
    reference_prefix = models.CharField(
        max_length=12,
        default="REF-",
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9/-]*$",
                "Enter capital letters, digits, hyphens or slashes, starting with a letter or digit, like REF-",
            )
        ],
        help_text="The start of every new case reference, such as REF- or BPL-.",
    )
    reference_pattern = models.CharField(max_length=20, choices=ReferencePattern, default=ReferencePattern.NUMBER)
    # How long a family's records are kept (the NHS Records Management Code of Practice for children's records):
    # until the later of these years after the youngest infant's birth and after the referral closed.
    retention_years_after_birth = models.PositiveSmallIntegerField(
        "years kept after the infant's birth",
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Records are kept at least this many years after the youngest infant's birth (or due date).",
    )
    retention_years_after_closure = models.PositiveSmallIntegerField(
        "years kept after the referral closed",
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Records are kept at least this many years after the referral was closed.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("home:index")

    @property
    def reporting_start(self) -> datetime.date | None:
        """The service's start as reports count service years from: none when the stored date is outside the
        bounds (a value saved before they existed), so that it cannot break the period arithmetic."""
        started = self.service_started_on
        if started is None or not EARLIEST_RECORD_DATE <= started <= LATEST_PERIOD_DATE:
            return None
        return started


class ReferenceCounter(ValidatesWithFewQueries):
    """The last number given to a new referral in one series of the team's references: what comes before the
    number, such as REF- or BPL-2024- (a series a year)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="reference_counters")
    series = models.CharField(max_length=20)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "series"], name="one_counter_a_reference_series")]

    def __str__(self) -> str:
        return f"{self.team}, {self.series}: {self.last_number}"


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user, is_active=True).select_related("team")


class Membership(ValidatesWithFewQueries):
    """A person's role in one team. A person may belong to several teams, with one role in each."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role)
    is_active = models.BooleanField(default=True)
    # When the person last chose this team in the header: the team they return to at their next sign-in.
    last_selected_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_role_per_team")]
        ordering = ["team__name"]

    def __str__(self) -> str:
        return f"{self.user}, {self.get_role_display()}, {self.team}"


class TeamScopedQuerySet(models.QuerySet):
    """Reads of team-owned records, always scoped.

    `visible_to(user)` returns the identifiable records a person may see: those of the teams in which they are a
    practitioner or a service manager. Commissioners see none, whatever their team.
    """

    team_field = "team"

    def visible_to(self, user, team: Team | None = None) -> Self:
        if not user.is_authenticated:
            return self.none()
        teams = Membership.objects.for_user(user).filter(role__in=CLINICAL_ROLES).values("team_id")
        scoped = self.filter(**{f"{self.team_field}__in": teams})
        if team is not None:
            scoped = scoped.filter(**{self.team_field: team})
        return scoped

    def in_team(self, team: Team) -> Self:
        return self.filter(**{self.team_field: team})


class Vocabulary(ValidatesWithFewQueries):
    """A coded list that administrators can extend (domain.md, Vocabularies). Codes are lower_snake_case."""

    code = models.SlugField(max_length=50, unique=True, allow_unicode=False)
    label = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True, help_text="Retired entries stay on old records but are not offered.")
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        abstract = True
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class Service(Vocabulary):
    """A professional service: who referred a family, who consulted the team, who attended its training."""

    class Meta(Vocabulary.Meta):
        verbose_name = "professional service"
