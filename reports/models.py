from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from pairs.models import Team
from pairs.validation import ValidatesWithFewQueries
from reports.pdf.models import QuarterlyReport  # noqa: F401 (the reports app's model, kept beside its PDFs)
from reports.targets import KPI_DEFINITIONS, KPIS_BY_ID


class KpiTargetQuerySet(models.QuerySet):
    def by_team_and_kpi(self) -> dict[tuple[int, str], list["KpiTarget"]]:
        """The entries grouped by team and KPI, earliest service year first: one query."""
        grouped = {}
        for target in self.order_by("from_service_year"):
            grouped.setdefault((target.team_id, target.kpi), []).append(target)
        return grouped


class KpiTarget(ValidatesWithFewQueries):
    """A team's own annual target for a KPI, from a service year onwards (it replaces the default schedule)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="kpi_targets")
    kpi = models.CharField(max_length=40, choices=[(kpi.id, kpi.label) for kpi in KPI_DEFINITIONS])
    from_service_year = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="Applies from this service year until a later entry."
    )
    annual_target = models.DecimalField(
        max_digits=8,
        decimal_places=3,
        validators=[MinValueValidator(0)],
        help_text="A count a year, or for a rate a fraction between 0 and 1 (0.75 for 75%).",
    )

    objects = KpiTargetQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "kpi", "from_service_year"], name="one_target_per_kpi_and_year")
        ]
        ordering = ["team", "kpi", "from_service_year"]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_kpi_display()} from year {self.from_service_year}"

    def clean(self):
        if KPIS_BY_ID[self.kpi].is_rate and self.annual_target is not None and self.annual_target > 1:
            raise ValidationError({"annual_target": "A rate target is a fraction between 0 and 1, such as 0.75."})
