"""The export in the import's format (data-contract.md section 1, "Export in the same format"): every file, as CSV or
a workbook; importing it into an empty team gives the same KPIs; nothing in it runs as a spreadsheet formula."""

import csv
import datetime
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from demo.accounts import DEMO_TEAM
from monitoring.export import monitoring_export
from monitoring.importer import monitoring_import
from monitoring.schema import FILES
from pairs.models import Membership, Role, Team
from pairs.periods import Period, add_months
from reports.kpis import kpi_export
from tests.demo_snapshot import demo_load
from tests.factories import MembershipFactory
from tests.monitoring.test_bookings import BOOKINGS
from tests.monitoring.test_importer import TODAY, run, write_files
from training.models import AwarenessEvent, TrainingSession

pytestmark = pytest.mark.django_db

FORMULAS = ('=HYPERLINK("http://example.com","Click")', "+1+1", "-2+3", "@SUM(A1:A2)")


def kpis(team: Team, period: Period) -> dict:
    return {key: value for key, value in kpi_export(teams=[team], period=period).items() if key != "team"}


def imported(tmp_path, team, user) -> None:
    """The import tests' files, appointments and group places included, loaded into `team`."""
    (tmp_path / "files").mkdir()
    run(write_files(tmp_path / "files", files=BOOKINGS), team, user)


def fresh(user):
    """The user read again: permissions are read once per user object, and the user has joined another team."""
    return get_user_model().objects.get(pk=user.pk)


def read_csv(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_demo_exported_and_imported_into_an_empty_team_gives_the_same_figures(tmp_path):
    demo_load()
    demo = Team.objects.get(slug="blackpool")
    manager = get_user_model().objects.get(username="demo.manager")
    counts = monitoring_export(team=demo, actor=manager, path=tmp_path / "export")
    assert counts["appointments.csv"] > 0
    assert counts["group_places.csv"] > 0
    assert sorted(path.name for path in (tmp_path / "export").iterdir()) == sorted(spec.name for spec in FILES)

    # A regional network moving the team: the same settings and the same people, then the files.
    copy = Team.objects.create(**{**DEMO_TEAM, "slug": "blackpool-copy", "name": "Blackpool PaIRS (copy)"})
    for membership in Membership.objects.filter(team=demo, role__in=[Role.PRACTITIONER, Role.MANAGER]):
        Membership.objects.create(team=copy, user=membership.user, role=membership.role)
    manager = fresh(manager)
    result = monitoring_import(path=tmp_path / "export", team=copy, actor=manager)
    assert {name: c.created for name, c in result.files.items()} == counts

    today = timezone.localdate()
    quarter_start = add_months(today.replace(day=1), -((today.month - DEMO_TEAM["year_start_month"]) % 3))
    periods = [
        Period(datetime.date(2023, 3, 1), datetime.date(2024, 5, 31)),  # the published window
        Period(datetime.date(2024, 3, 1), datetime.date(2025, 2, 28)),  # the second service year
        Period(quarter_start, today),  # this quarter of the service year: the appointments and group places
    ]
    for period in periods:
        assert kpis(copy, period) == kpis(demo, period), period

    # Exported again, the copy gives the same files.
    monitoring_export(team=copy, actor=manager, path=tmp_path / "again")
    for spec in FILES:
        assert (tmp_path / "again" / spec.name).read_bytes() == (tmp_path / "export" / spec.name).read_bytes()


def test_a_workbook_export_imports_as_the_csv_export_does(tmp_path, team_a, team_b, practitioner, manager):
    imported(tmp_path, team_a, manager)
    monitoring_export(team=team_a, actor=manager, path=tmp_path / "team-a.xlsx")
    monitoring_export(team=team_a, actor=manager, path=tmp_path / "team-a")
    workbook = load_workbook(tmp_path / "team-a.xlsx", read_only=True)
    assert workbook.sheetnames == [spec.name.removesuffix(".csv") for spec in FILES]

    for user in (practitioner, manager):
        MembershipFactory(team=team_b, user=user, role=Role.MANAGER if user == manager else Role.PRACTITIONER)
    manager = fresh(manager)
    result = monitoring_import(path=tmp_path / "team-a.xlsx", team=team_b, actor=manager, today=TODAY)
    assert result.files["appointments.csv"].created == len(BOOKINGS["appointments.csv"])
    monitoring_export(team=team_b, actor=manager, path=tmp_path / "team-b")
    for spec in FILES:
        assert read_csv(tmp_path / "team-b" / spec.name) == read_csv(tmp_path / "team-a" / spec.name), spec.name


def test_nothing_exported_runs_as_a_formula(tmp_path, team_a, team_b, manager):
    for number, text in enumerate(FORMULAS, start=1):
        TrainingSession.objects.create(
            team=team_a, date=datetime.date(2024, 3, number), session_type="other", title=text, participants=5
        )
        AwarenessEvent.objects.create(team=team_a, date=datetime.date(2024, 3, number), title=text, people_engaged=9)
    monitoring_export(team=team_a, actor=manager, path=tmp_path / "export")
    monitoring_export(team=team_a, actor=manager, path=tmp_path / "export.xlsx")

    titles = [row["title"] for row in read_csv(tmp_path / "export" / "training.csv")]
    assert titles == [f"'{text}" for text in FORMULAS]
    workbook = load_workbook(tmp_path / "export.xlsx")
    for sheet in (workbook["training"], workbook["awareness"]):
        cells = [row[2 if sheet.title == "training" else 1] for row in sheet.iter_rows(min_row=2)]
        assert [(cell.value, cell.data_type) for cell in cells] == [(f"'{text}", "s") for text in FORMULAS]

    # Imported again, the titles are as they were.
    MembershipFactory(team=team_b, user=manager, role=Role.MANAGER)
    manager = fresh(manager)
    for source in ("export", "export.xlsx"):
        monitoring_import(path=tmp_path / source, team=team_b, actor=manager, today=TODAY)
        assert sorted(TrainingSession.objects.in_team(team_b).values_list("title", flat=True)) == sorted(FORMULAS)
        assert sorted(AwarenessEvent.objects.in_team(team_b).values_list("title", flat=True)) == sorted(FORMULAS)


def test_the_command_exports_a_period_and_is_audited(tmp_path, team_a, practitioner, manager):
    imported(tmp_path, team_a, manager)
    out = StringIO()
    call_command(
        "export_monitoring",
        "--team=team-a",
        f"--output={tmp_path / 'spring'}",
        "--start=2024-03-01",
        "--end=2024-05-31",
        f"--user={manager.username}",
        stdout=out,
    )
    assert "referrals.csv: 2 rows" in out.getvalue()
    referrals = read_csv(tmp_path / "spring" / "referrals.csv")
    assert [row["reference"] for row in referrals] == ["A-5", "A-4"]  # received in the period, in order of receipt
    assert {row["reference"] for row in read_csv(tmp_path / "spring" / "appointments.csv")} == {"A-5"}
    assert [row["date"] for row in read_csv(tmp_path / "spring" / "training.csv")] == ["2024-03-05"]
    assert read_csv(tmp_path / "spring" / "universal.csv")[0]["date"] == "2024-04-02"
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(team_a.pk))
    assert entry.actor == manager
    assert entry.cid.startswith("export-")
    assert entry.additional_data["monitoring_export"] == {
        "format": "csv",
        "start": "2024-03-01",
        "end": "2024-05-31",
        "rows": {
            "referrals.csv": 2,
            "interventions.csv": 0,
            "outcomes.csv": 0,
            "training.csv": 1,
            "consultations.csv": 2,
            "awareness.csv": 1,
            "universal.csv": 1,
            "appointments.csv": 3,
            "group_places.csv": 2,
        },
    }

    with pytest.raises(CommandError, match="Only a service manager"):
        call_command("export_monitoring", "--team=team-a", f"--output={tmp_path / 'x'}", f"--user={practitioner}")
    with pytest.raises(CommandError, match="both --start and --end"):
        call_command("export_monitoring", "--team=team-a", f"--output={tmp_path / 'x'}", "--start=2024-03-01")
