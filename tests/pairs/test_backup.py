"""Backup and restore: what comes back is what went out, table by table, and the KPIs say the same."""

import datetime
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from pairs.backup import _postgres_command, table_row_counts
from referrals.pipeline import Stage, State, Status
from reports.services import kpi_target_set
from tests.factories import (
    AppointmentFactory,
    AwarenessEventFactory,
    ConsultationFactory,
    FeedbackFactory,
    QuestionnaireFactory,
    TrainingSessionFactory,
    UniversalOfferContactFactory,
)
from tests.referrals.builders import PATHS, make_referral

ROOT = Path(__file__).resolve().parents[2]
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup API; pg_dump below")


def _manage(*arguments: str, database: Path) -> subprocess.CompletedProcess:
    """A command run as an operator would, against the SQLite database file `database`."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update({"DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{database}"})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments], env=environment, capture_output=True, text=True
    )


def _kpis(database: Path) -> str:
    window = ("--start", "2023-04-01", "--end", f"{timezone.localdate():%Y-%m-%d}")
    result = _manage("kpi_report", "--team", "team-a", *window, "--format", "json", database=database)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as restored:
        tables = [name for (name,) in restored.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            name: restored.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in tables
            if name != "sqlite_sequence"
        }


@pytest.fixture
def service(vocabularies, team_a, practitioner, manager):
    """A team with a referral in every state of the pipeline, its questionnaires, a diary, workforce records, a
    target and a manager's authenticator app: a row in most tables, and KPIs that are not all zero."""
    team_a.service_started_on = datetime.date(2023, 4, 1)
    team_a.save()
    for state in PATHS:
        referral = make_referral(team=team_a, actor=practitioner, state=state)
        if state.stage == Stage.INTERVENTION and state.status != Status.ON_HOLD:
            QuestionnaireFactory(referral=referral, recorded_by=practitioner)
        if state == State(Status.IN_PROGRESS, Stage.ASSESSMENT):
            AppointmentFactory(referral=referral, practitioner=practitioner)
    for factory in (
        TrainingSessionFactory,
        ConsultationFactory,
        AwarenessEventFactory,
        UniversalOfferContactFactory,
        FeedbackFactory,
    ):
        factory.create_batch(2, team=team_a)
    kpi_target_set(team=team_a, actor=manager, kpi="consultations", from_service_year=1, annual_target=40)
    return team_a


@sqlite_only
def test_a_restore_into_an_empty_database_gives_back_every_row_and_the_same_kpis(service, tmp_path):
    source = Path(connection.settings_dict["NAME"])
    counts = table_row_counts()
    assert sum(counts.values()) > 500
    assert all(counts[table] for table in ("referrals_referral", "outcomes_questionnaire", "reports_kpitarget"))

    backup = tmp_path / "pairs.backup"
    call_command("backup", str(backup), stdout=StringIO())
    empty = tmp_path / "restored.sqlite3"
    result = _manage("restore", str(backup), database=empty)
    assert result.returncode == 0, result.stderr
    assert f"Restored {len(counts)} tables, {sum(counts.values())} rows" in result.stdout

    assert _row_counts(empty) == counts
    assert _kpis(empty) == _kpis(source)


@sqlite_only
def test_a_restore_into_a_database_with_tables_is_refused_unless_forced(service, tmp_path):
    backup = tmp_path / "pairs.backup"
    call_command("backup", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match=r"already has \d+ tables"):
        call_command("restore", str(backup))

    migrated = tmp_path / "migrated.sqlite3"
    assert _manage("migrate", "-v", "0", database=migrated).returncode == 0
    refused = _manage("restore", str(backup), database=migrated)
    assert refused.returncode == 1
    assert "add --force" in refused.stderr
    forced = _manage("restore", "--force", str(backup), database=migrated)
    assert forced.returncode == 0, forced.stderr
    assert _row_counts(migrated) == table_row_counts()


@sqlite_only
def test_a_backup_never_overwrites_a_file_and_a_restore_takes_only_a_backup(service, tmp_path):
    existing = tmp_path / "existing.backup"
    existing.write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "an older backup"
    refused = _manage("restore", str(existing), database=tmp_path / "empty.sqlite3")
    assert "is not an SQLite backup" in refused.stderr


def test_pg_dump_and_pg_restore_get_the_connection_s_settings_and_the_password_out_of_sight():
    settings = {"NAME": "pairs", "USER": "pairs_app", "PASSWORD": "s3cret", "HOST": "db.internal", "PORT": "5432"}
    command, environment = _postgres_command("pg_dump", settings, "--format=custom", "--file=/backups/x")
    assert command == [
        "pg_dump",
        "--host=db.internal",
        "--port=5432",
        "--username=pairs_app",
        "--format=custom",
        "--file=/backups/x",
        "--dbname=pairs",
    ]
    assert environment["PGPASSWORD"] == "s3cret"
    assert all("s3cret" not in part for part in command)
