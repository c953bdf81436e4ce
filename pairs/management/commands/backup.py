from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from pairs.backup import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH, a new file: pg_dump's custom format on PostgreSQL, an SQLite database "
        "file on SQLite. Prints the tables and rows backed up (every table's count with -v 2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the connection to back up")

    def handle(self, *args, path, database, verbosity, **options):
        try:
            counts = database_backup(path=path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        write_counts(self, counts, verbosity)
        self.stdout.write(self.style.SUCCESS(f"Backed up {len(counts)} tables, {sum(counts.values())} rows to {path}"))


def write_counts(command: BaseCommand, counts: dict[str, int], verbosity: int) -> None:
    if verbosity >= 2:
        for table, rows in counts.items():
            command.stdout.write(f"  {table}: {rows}")
