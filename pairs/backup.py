"""Backup and restore of the whole database: `manage.py backup PATH` and `manage.py restore PATH`.

PostgreSQL: pg_dump's custom format and pg_restore, with the connection's own settings (the password through
PGPASSWORD, never on the command line). SQLite: SQLite's online backup API, which copies a consistent database
while the app runs. A restore goes into an empty database (no tables) unless forced, and both report every table's
row count, so that what was backed up and what was restored can be compared.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore refused or failed, with what to do about it."""


def table_row_counts(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Every table of the database and its number of rows."""
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name)
            counts[table] = cursor.fetchone()[0]
    return counts


def database_backup(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write a backup of the whole database to `path`, a new file; returns the row counts backed up."""
    if path.exists():
        raise BackupError(f"{path} already exists: give the backup a new name, so that no backup is overwritten.")
    connection = connections[using]
    partial = path.with_name(f"{path.name}.partial")
    if connection.vendor == "sqlite":
        _outside_a_transaction(connection)
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run(_postgres_command("pg_dump", connection.settings_dict, "--format=custom", f"--file={partial}"))
    else:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
    os.replace(partial, path)
    return table_row_counts(using=using)


def database_restore(*, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Restore the backup at `path` into the database, which must have no tables unless `force` (then everything
    in it is replaced). Returns the row counts restored."""
    connection = connections[using]
    header = _header(path)
    existing = connection.introspection.table_names()
    if existing and not force:
        raise BackupError(
            f"The database already has {len(existing)} tables: a restore would replace what they hold. Restore "
            "into a new, empty database, or add --force to replace everything in this one."
        )
    if connection.vendor == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite backup: restore it into the kind of database it came from.")
        _outside_a_transaction(connection)
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            expected = _sqlite_row_counts(source)
            source.backup(connection.connection)
        finally:
            source.close()
        restored = table_row_counts(using=using)
        if restored != expected:
            raise BackupError(f"The restored database differs from {path}: check the disk and restore again.")
        return restored
    if connection.vendor == "postgresql":
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{path} is not a pg_dump backup: restore it into the kind of database it came from.")
        options = ["--clean", "--if-exists"] if force else []
        _run(
            _postgres_command(
                "pg_restore", connection.settings_dict, "--no-owner", "--exit-on-error", *options, str(path)
            )
        )
        # pg_restore writes no planner statistics: until autovacuum comes round, PostgreSQL would plan the KPI
        # engine's queries over tables it believes empty, which takes minutes on a whole service.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return table_row_counts(using=using)
    raise BackupError(f"Restores into a {connection.vendor} database are not supported.")


def _postgres_command(program: str, settings_dict: dict, *arguments: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a PostgreSQL client program for the connection of `settings_dict`."""
    command = [program]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command.append(f"{option}={settings_dict[key]}")
    command += [*arguments, f"--dbname={settings_dict['NAME']}"]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return command, environment


def _run(command_and_environment: tuple[list[str], dict[str, str]]) -> None:
    command, environment = command_and_environment
    try:
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install PostgreSQL's client programs.") from None
    except subprocess.CalledProcessError as failure:
        raise BackupError(f"{command[0]} failed: {failure.stderr.strip()}") from None


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as backup:
            return backup.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None


def _outside_a_transaction(connection) -> None:
    # SQLite's backup waits for ever on a connection that holds a write transaction of its own.
    if connection.in_atomic_block:
        raise BackupError("A backup or restore cannot run inside a transaction.")


def _sqlite_row_counts(database: sqlite3.Connection) -> dict[str, int]:
    """The row counts of an SQLite file, of the tables Django's introspection lists."""
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
    tables = [name for (name,) in database.execute(query)]
    return {name: database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in sorted(tables)}  # noqa: S608
