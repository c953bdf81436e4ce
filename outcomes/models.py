"""Questionnaire administrations, their computed scores, and the alerts some answers raise (domain.md).

A questionnaire is one instrument of the registry completed (or not) by one caregiver of a referral at a time
point. The scores are computed by the system and kept one row per scale in `Score`, so that the cohort statistics
sum them in the database whatever the instrument, and an instrument added to the registry needs no migration.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from outcomes.registry import Instrument, get_instrument, registry
from outcomes.scoring import ScoreSource
from pairs.bounds import MAX_TEXT_LENGTH, record_date, text_length
from pairs.models import TeamScopedQuerySet
from pairs.validation import ValidatesWithFewQueries
from referrals.models import Caregiver, Referral, ReferralChild


class Timepoint(models.TextChoices):
    T1 = "T1", "T1, before intervention"
    MID = "MID", "Mid-point"
    T2 = "T2", "T2, at the end before discharge"


class QuestionnaireStatus(models.TextChoices):
    COMPLETE = "complete", "Complete"
    INCOMPLETE = "incomplete", "Incomplete"
    NOT_COMPLETED = "not_completed", "Not completed"


class NotCompletedReason(models.TextChoices):
    DECLINED = "declined", "The parent declined"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"
    DISENGAGED = "disengaged", "The family disengaged"
    OTHER = "other", "Other reason"


class QuestionnaireQuerySet(TeamScopedQuerySet):
    team_field = "referral__team"


class Questionnaire(ReferralChild):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="questionnaires")
    caregiver = models.ForeignKey(Caregiver, on_delete=models.PROTECT, related_name="questionnaires")
    instrument = models.CharField(max_length=30)
    timepoint = models.CharField(max_length=3, choices=Timepoint)
    completed_on = models.DateField(
        "date completed", validators=[record_date], help_text="For one not completed, the date that was recorded."
    )
    status = models.CharField(max_length=20, choices=QuestionnaireStatus)
    not_completed_reason = models.CharField(max_length=20, choices=NotCompletedReason, blank=True)
    score_source = models.CharField(
        max_length=10,
        choices=[(ScoreSource.ITEMS, "Computed from the items"), (ScoreSource.TOTALS, "Scores kept without items")],
        blank=True,
    )
    # {"1": 2, "2": 0, ...}: the answered items only. Items are never summed in the database; their scores are.
    answers = models.JSONField(default=dict, blank=True)
    # Goals in the parent's own words, for an instrument of goals (GBO): {"1": "Feel closer to my baby"}.
    goal_wording = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["referral", "instrument", "completed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(status=QuestionnaireStatus.NOT_COMPLETED, score_source="") & ~Q(not_completed_reason=""))
                    | (~Q(status=QuestionnaireStatus.NOT_COMPLETED) & Q(not_completed_reason="") & ~Q(score_source=""))
                ),
                name="questionnaire_reason_only_when_not_completed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["referral", "caregiver", "instrument", "timepoint", "completed_on"],
                name="questionnaire_pairing",
            ),
            # The complete T2s a pair is made with, in the order the last is read. Only through the wide rows of
            # the pairing index, PostgreSQL's estimate of a region's pairs (1 row for 4,100) led it, after some
            # samples of its statistics and not others, to hash every T2 of the region against the cohort (a year
            # of all teams' pairs: 145 or 75 ms). From this one it reads each cohort's T2s alone: 69 ms, whatever
            # the sample (bench/README.md).
            models.Index(
                fields=["referral", "caregiver", "instrument", "completed_on", "id"],
                condition=Q(timepoint=Timepoint.T2, status=QuestionnaireStatus.COMPLETE),
                name="questionnaire_complete_t2",
            ),
        ]

    def __str__(self) -> str:
        # No answers or scores: this text is kept in audit entries.
        return f"{self.instrument_name} {self.timepoint} for {self.referral}, caregiver {self.caregiver.position}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:questionnaire_detail", args=[self.pk])

    @property
    def definition(self) -> Instrument | None:
        return registry().get(self.instrument) if self.instrument in registry() else None

    @property
    def instrument_name(self) -> str:
        return self.definition.name if self.definition else self.instrument

    @property
    def is_scored(self) -> bool:
        return self.status == QuestionnaireStatus.COMPLETE

    @property
    def missing_items(self) -> list[int]:
        if self.status != QuestionnaireStatus.INCOMPLETE or not self.definition:
            return []
        answered = {int(number) for number in self.answers}
        return [item.number for item in self.definition.items if not item.optional and item.number not in answered]

    def score_rows(self) -> list[dict]:
        """Each scale of the instrument with this questionnaire's score on it (None when not scored)."""
        if not self.definition:
            return []
        scores = {score.scale: score for score in self.scores.all()}
        return [{"scale": scale, "score": scores.get(scale.code)} for scale in self.definition.scales]

    def answer_rows(self) -> list[dict]:
        """Each item with the answer given, as its label, for showing a questionnaire back."""
        definition = get_instrument(self.instrument)
        rows = []
        for item in definition.items:
            value = self.answers.get(str(item.number))
            rows.append(
                {
                    "item": item,
                    "wording": self.goal_wording.get(str(item.number), ""),
                    "value": value,
                    "label": "" if value is None else item.label_for(value),
                }
            )
        return rows

    def clean(self):
        errors = {}
        if self.instrument not in registry():
            errors["instrument"] = "Choose a questionnaire from the list."
        if self.caregiver_id and self.referral_id and self.caregiver.referral_id != self.referral_id:
            errors["caregiver"] = "Choose a caregiver of this referral."
        if self.completed_on and self.completed_on > timezone.localdate():
            errors["completed_on"] = "The date cannot be in the future."
        elif self.completed_on and self.referral_id and self.completed_on < self.referral.received_on:
            errors["completed_on"] = "The date cannot be before the referral was received."
        if self.status == QuestionnaireStatus.NOT_COMPLETED and not self.not_completed_reason:
            errors["not_completed_reason"] = "Select why it was not completed."
        if errors:
            raise ValidationError(errors)


class Score(ValidatesWithFewQueries):
    """One computed score of a questionnaire: its total or one subscale (`scale` is the definition's scale code)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="scores")
    scale = models.CharField(max_length=30)
    value = models.FloatField()
    band = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["questionnaire", "pk"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "scale"], name="score_one_per_scale")]

    def __str__(self) -> str:
        return f"{self.scale} of {self.questionnaire}"


class SafetyAlertQuerySet(TeamScopedQuerySet):
    team_field = "questionnaire__referral__team"

    def open(self) -> "SafetyAlertQuerySet":
        return self.filter(acted_on_at=None)


class SafetyAlert(ValidatesWithFewQueries):
    """An answer the definition says must be acted on (PHQ-9 item 9 above 0), open until someone records the action."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="alerts")
    item = models.PositiveSmallIntegerField()
    answer = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    raised_at = models.DateTimeField(default=timezone.now, editable=False)
    acted_on_at = models.DateTimeField(null=True, blank=True)
    acted_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_taken = models.TextField(blank=True, max_length=MAX_TEXT_LENGTH, validators=[text_length])

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "item"], name="safety_alert_once_per_item"),
            models.CheckConstraint(
                condition=Q(acted_on_at=None, action_taken="") | (~Q(acted_on_at=None) & ~Q(action_taken="")),
                name="safety_alert_action_recorded_when_acted_on",
            ),
        ]

    def __str__(self) -> str:
        return f"Alert on {self.questionnaire}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:alert_act", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"referral_id": self.questionnaire.referral_id}

    @property
    def is_open(self) -> bool:
        return self.acted_on_at is None

    @property
    def answer_label(self) -> str:
        definition = self.questionnaire.definition
        return definition.item(self.item).label_for(self.answer) if definition else str(self.answer)

    @property
    def guidance(self) -> str:
        definition = self.questionnaire.definition
        rules = [rule for rule in definition.alerts if rule.item == self.item] if definition else []
        return rules[0].guidance if rules else ""
