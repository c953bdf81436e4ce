from pathlib import Path

from django.core.management.base import BaseCommand

from monitoring.importer import ImportRejected, monitoring_import
from monitoring.management.attribution import command_actor, command_team


class Command(BaseCommand):
    help = (
        "Import monitoring data (a folder of CSV files or an .xlsx workbook, data-contract.md section 1) into a "
        "team, all or nothing. Prints one line per problem as FILE:ROW: COLUMN: message and exits 1 if any."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--team", required=True, metavar="TEAM_SLUG")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--user", metavar="USERNAME", help="the person the import is attributed to")

    def handle(self, *args, path, team, dry_run, user, **options):
        team, actor = command_team(team), command_actor(user)
        try:
            result = monitoring_import(path=path, team=team, actor=actor, dry_run=dry_run)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            self.stderr.write(f"Nothing was imported: {len(rejected.problems)} problems.")
            raise SystemExit(1) from None
        for line in result.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
