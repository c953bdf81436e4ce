"""What one import takes: a size, a row count and a workbook's size unpacked, each refused with a clear problem
before anything is written; and the command refuses unknown files as the upload page does."""

from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from openpyxl import Workbook

from monitoring.forms import MonitoringUploadForm
from monitoring.schema import FILES
from monitoring.sources import open_tables
from referrals.models import Referral
from tests.monitoring.test_importer import REFERRALS, rejected, write_files

pytestmark = pytest.mark.django_db
NAMES = [spec.name for spec in FILES]


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, team_a, manager, settings):
    settings.MONITORING_MAX_FILE_BYTES = 200
    problems = rejected(write_files(tmp_path), team_a, manager)
    assert any(
        line.startswith("referrals.csv:1: (file): the file is ")
        and line.endswith("bytes, more than the 200 bytes an import takes: split it")
        for line in problems
    ), problems


def test_a_file_with_more_rows_than_the_limit_is_refused(tmp_path, team_a, manager, settings):
    settings.MONITORING_MAX_ROWS = 2
    problems = rejected(write_files(tmp_path, {"referrals.csv": REFERRALS}), team_a, manager)
    assert "referrals.csv:4: (file): the file has more than 2 rows, more than an import takes: split it" in problems


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_a_cell_is_read(tmp_path, settings):
    workbook = Workbook()
    workbook.active.title = "training"
    workbook.active.append(["date", "title"])
    workbook.save(tmp_path / "monitoring.xlsx")
    settings.MONITORING_MAX_WORKBOOK_UNPACKED_BYTES = 1000
    tables, problems = open_tables(tmp_path / "monitoring.xlsx", NAMES)
    assert tables == {}
    assert [problem.message for problem in problems] == [
        "the workbook unpacks to 16 KB, more than the 1000 bytes an import takes: save it again without empty rows and "
        "columns, or split it"
    ]


def test_a_sheet_that_declares_a_million_rows_is_refused_before_its_rows_are_read(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "training"
    sheet.append(["date", "title"])
    sheet.cell(row=1_048_576, column=1, value="x")  # the rows between are empty, the bomb's trick
    workbook.save(tmp_path / "monitoring.xlsx")
    tables, problems = open_tables(tmp_path / "monitoring.xlsx", NAMES)
    assert tables == {}
    assert [problem.message for problem in problems] == [
        "the sheet declares 1,048,576 rows and 2 columns, more than an import takes (100,000 rows, 100 columns): "
        "delete the empty rows and columns, or split it"
    ]


def test_the_upload_page_refuses_a_file_past_the_size_limit_and_saves_nothing(manager_client, settings):
    settings.MONITORING_MAX_FILE_BYTES = 10
    upload = SimpleUploadedFile("referrals.csv", b"reference,received_on\nA-1,2024-01-10\n", content_type="text/csv")
    response = manager_client.post(reverse("monitoring:import"), {"files": [upload]})
    assert response.status_code == 200
    assert (
        "Referrals.csv: the file is 37 bytes, more than the 10 bytes an import takes: split it"
        in response.content.decode()
    )
    assert not Referral.objects.exists()


def test_the_command_refuses_unknown_files_with_the_upload_page_s_message(tmp_path, team_a, manager):
    write_files(tmp_path)
    (tmp_path / "notes.txt").write_text("not a monitoring file")
    form = MonitoringUploadForm(data={}, files=MultiValueDict({"files": [SimpleUploadedFile("notes.txt", b"x")]}))
    assert not form.is_valid()
    upload_message = form.errors["files"][0]
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import_monitoring", str(tmp_path), "--team", team_a.slug, "--user", manager.username, stderr=stderr
        )
    assert exit_.value.code == 1
    assert f"{tmp_path.name}:1: (file): {upload_message}" in stderr.getvalue()
    assert not Referral.objects.exists()


def test_a_cell_longer_than_its_bound_is_a_problem_that_does_not_quote_it(tmp_path, team_a, manager):
    # Found by the generated import: the whole 4,999 characters came back in the problem's message.
    interventions = [{"reference": "x" * 4_999, "intervention": "vig", "started_on": "2024-02-01"}]
    problems = rejected(write_files(tmp_path, {"interventions.csv": interventions}), team_a, manager)
    assert "interventions.csv:2: reference: is 4,999 characters long: at most 30 are allowed" in problems
    assert all(len(line) < 400 for line in problems), problems


def test_a_long_unknown_code_is_quoted_shortened(tmp_path, team_a, manager):
    interventions = [{"reference": "A-1", "intervention": "v" * 1_000, "started_on": "2024-02-01"}]
    problems = rejected(write_files(tmp_path, {"interventions.csv": interventions}), team_a, manager)
    [line] = [line for line in problems if ": intervention: " in line]
    assert line.endswith("... (shortened)")
    assert len(line) < 400


def test_an_imported_record_outside_the_bounds_is_refused_with_what_is_allowed(tmp_path, team_a, manager):
    training = [{"date": "0001-01-01", "session_type": "bitesize", "title": "Old", "participants": "10"}]
    awareness = [{"date": "2024-04-01", "title": "Huge", "people_engaged": "10000000"}]
    only = {name: None for name in NAMES} | {"training.csv": training, "awareness.csv": awareness}
    files = write_files(tmp_path, **only)
    problems = rejected(files, team_a, manager)
    assert "training.csv:2: date: Enter a date from 1 January 1990 onwards" in problems, problems
    assert "awareness.csv:2: people_engaged: Enter a number no more than 10,000" in problems, problems


def test_the_upload_page_refuses_a_workbook_that_unpacks_past_the_limit_before_counting_its_rows(
    manager_client, settings
):
    workbook = Workbook()
    workbook.active.title = "training"
    workbook.active.append(["date", "title"])
    content = BytesIO()
    workbook.save(content)
    settings.MONITORING_MAX_WORKBOOK_UNPACKED_BYTES = 1000
    upload = SimpleUploadedFile("monitoring.xlsx", content.getvalue())
    response = manager_client.post(reverse("monitoring:import"), {"files": [upload]})
    assert response.status_code == 200
    assert "monitoring.xlsx: the workbook unpacks to 16 KB, more than the 1000 bytes" in response.content.decode()
