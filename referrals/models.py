from django.db import models

from pairs.models import Vocabulary


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
