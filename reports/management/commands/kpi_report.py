import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from pairs.models import Team
from pairs.periods import Period
from reports.exports import flatten
from reports.kpis import kpi_export


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Print every KPI of the period for a team, or several teams summed (data-contract.md section 2). "
        "Exact figures, unless --commissioner asks for the team's disclosure-control rule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--team", action="append", required=True, metavar="SLUG", help="repeat to sum teams")
        parser.add_argument("--start", type=iso_date, required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--end", type=iso_date, required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--commissioner", action="store_true", help="apply the small-number suppression rule")

    def handle(self, *args, team, start, end, format, commissioner, **options):
        teams = list(Team.objects.filter(slug__in=team).order_by("slug"))
        missing = sorted(set(team) - {t.slug for t in teams})
        if missing:
            raise CommandError(f"No team with the slug {', '.join(missing)}")
        if end < start:
            raise CommandError("--end cannot be before --start")
        report = kpi_export(teams=teams, period=Period(start, end), commissioner=commissioner)
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2))
        else:
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["figure", "value"])
            writer.writerows(flatten(report))
