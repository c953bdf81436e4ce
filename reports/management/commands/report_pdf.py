from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pairs.models import Team
from reports.management.commands.kpi_report import iso_date
from reports.pdf.documents.common import ReportKind
from reports.pdf.files import report_file
from reports.presenters.period import named_period


class Command(BaseCommand):
    help = (
        "Write a report of the period as a PDF, the same file the report pages offer: the quarterly performance "
        "report (a service quarter; once final, the file as issued), the annual impact statement or the evaluation "
        "report, for a team or several teams summed. The quarterly report and the annual statement are always "
        "under the teams' disclosure-control rule; the evaluation report is exact unless --commissioner."
    )

    def add_arguments(self, parser):
        parser.add_argument("--team", action="append", required=True, metavar="SLUG", help="repeat to sum teams")
        parser.add_argument("--kind", choices=[kind.value for kind in ReportKind], required=True)
        parser.add_argument("--start", type=iso_date, required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--end", type=iso_date, required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--commissioner", action="store_true", help="the evaluation report under the rule")
        parser.add_argument("--output", type=Path, required=True, metavar="FILE.pdf")

    def handle(self, *args, team, kind, start, end, commissioner, output, **options):
        teams = list(Team.objects.filter(slug__in=team).order_by("slug"))
        missing = sorted(set(team) - {t.slug for t in teams})
        if missing:
            raise CommandError(f"No team with the slug {', '.join(missing)}")
        if end < start:
            raise CommandError("--end cannot be before --start")
        today = timezone.localdate()
        period = named_period(start, end, year_start_month=teams[0].year_start_month, today=today)
        try:
            file = report_file(
                kind=ReportKind(kind), teams=teams, period=period, commissioner=commissioner, today=today
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        output.write_bytes(file.content)
        issued = " (the report as issued)" if file.issued else ""
        self.stdout.write(f"Wrote {output}{issued}: {len(file.content):,} bytes")
