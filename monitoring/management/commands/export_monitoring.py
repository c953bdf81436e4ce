from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitoring.export import monitoring_export
from monitoring.management.attribution import command_actor, command_team
from pairs.periods import Period
from reports.management.commands.kpi_report import iso_date


class Command(BaseCommand):
    help = (
        "Write a team's records in the import's format (data-contract.md section 1, Export in the same format): a "
        "folder of CSV files, or one .xlsx workbook when the output ends in .xlsx. With --start and --end, the "
        "referrals received and the workforce records dated in that period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, metavar="TEAM_SLUG")
        parser.add_argument("--output", required=True, type=Path, metavar="PATH")
        parser.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD")
        parser.add_argument("--end", type=iso_date, metavar="YYYY-MM-DD")
        parser.add_argument("--user", metavar="USERNAME", help="the person the export is attributed to")

    def handle(self, *args, team, output, start, end, user, **options):
        if (start is None) != (end is None):
            raise CommandError("Give both --start and --end, or neither")
        if start is not None and end < start:
            raise CommandError("--end cannot be before --start")
        team, actor = command_team(team), command_actor(user)
        try:
            counts = monitoring_export(
                team=team, actor=actor, path=output, period=Period(start, end) if start is not None else None
            )
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        for name, rows in counts.items():
            self.stdout.write(f"{name}: {rows} rows")
        self.stdout.write(f"Written to {output}")
