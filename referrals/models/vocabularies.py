"""The coded vocabularies of casework (domain.md, The records): the intervention catalogue and the lists a
referral's complexities, levels and pipeline reasons are chosen from."""

from django.db import models

from pairs.models import Vocabulary
from referrals.pipeline import ReasonVocabulary


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


# The model each pipeline reason is chosen from, by the `PipelineEvent` field that holds it.
REASON_MODELS = {
    ReasonVocabulary.DECLINE: DeclineReason,
    ReasonVocabulary.DISENGAGEMENT: DisengagementReason,
    ReasonVocabulary.HOLD: HoldReason,
}
