from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from pairs.backup import BackupError, database_restore
from pairs.management.commands.backup import write_counts


class Command(BaseCommand):
    help = (
        "Restore the backup at PATH (made by `backup`) into the database, which must be empty (no tables): a new "
        "database, not migrated. --force replaces everything in a database that is not. Prints the tables and rows "
        "restored (every table's count with -v 2), to compare with what `backup` printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--force", action="store_true", help="replace everything in a database that has tables")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the connection to restore into")

    def handle(self, *args, path, force, database, verbosity, **options):
        try:
            counts = database_restore(path=path, force=force, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        write_counts(self, counts, verbosity)
        self.stdout.write(self.style.SUCCESS(f"Restored {len(counts)} tables, {sum(counts.values())} rows from {path}"))
