"""A team's quarterly report to its commissioner: the service manager's commentary on the quarter while the report
is a draft, then the PDF exactly as it was issued once the report is final.

The model lives with the PDFs it serves and belongs to the reports app (`reports.models` imports it, so that Django
finds it there).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from pairs.models import Team
from pairs.periods import Period, service_quarter_of
from pairs.validation import ValidatesWithFewQueries

COMMENTARY_MAX_LENGTH = 10_000


class QuarterlyReport(ValidatesWithFewQueries):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="quarterly_reports")
    quarter_start = models.DateField(help_text="The first day of the service quarter the report is for.")
    commentary = models.TextField(
        blank=True,
        max_length=COMMENTARY_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENTARY_MAX_LENGTH)],
        help_text="The service manager's commentary on the quarter, printed in the report. Aggregates only: it goes "
        "to the commissioner, so it names no family.",
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The PDF as issued, byte for byte: figures recorded later, a changed rule or a newer layout never change it.
    issued_pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        app_label = "reports"
        constraints = [models.UniqueConstraint(fields=["team", "quarter_start"], name="one_report_per_team_quarter")]
        ordering = ["team", "-quarter_start"]

    def __str__(self) -> str:
        return f"{self.team}: quarterly report, {self.quarter.label}"

    @property
    def quarter(self) -> Period:
        return service_quarter_of(self.quarter_start, self.team.year_start_month)

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    def clean(self):
        if self.quarter_start and self.team_id and self.quarter.start != self.quarter_start:
            raise ValidationError(
                {"quarter_start": "A quarterly report starts on the first day of one of the team's service quarters."}
            )
