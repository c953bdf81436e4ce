import csv
import zipfile
from io import BytesIO, StringIO

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from openpyxl import load_workbook

from monitoring.schema import FILES
from pairs.models import Role
from referrals.models import Referral
from tests.factories import MembershipFactory, UserFactory
from tests.jobs.follow import job_file_response
from tests.monitoring.test_importer import REFERRALS, columns_of

pytestmark = pytest.mark.django_db


def csv_upload(name: str, rows: list[dict]) -> SimpleUploadedFile:
    columns = columns_of(rows)
    lines = [",".join(columns)] + [",".join(row.get(column, "") for column in columns) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def test_commissioners_cannot_import(commissioner_client):
    assert commissioner_client.get(reverse("monitoring:import")).status_code == 403


def test_the_manager_checks_then_imports_a_file(manager_client, team_a):
    upload = {"files": [csv_upload("referrals.csv", REFERRALS)], "dry_run": "on"}
    html = manager_client.post(reverse("monitoring:import"), upload).content.decode()
    assert "Checked: nothing was written" in html
    assert not Referral.objects.exists()

    html = manager_client.post(
        reverse("monitoring:import"), {"files": [csv_upload("referrals.csv", REFERRALS)]}
    ).content.decode()
    assert '<h2 class="nhsuk-card__heading nhsuk-card__heading--feature">Imported</h2>' in html
    assert Referral.objects.in_team(team_a).count() == 3


def test_an_upload_with_problems_lists_them_and_writes_nothing(manager_client):
    bad = [dict(REFERRALS[0], pathway="one-to-one")]
    response = manager_client.post(reverse("monitoring:import"), {"files": [csv_upload("referrals.csv", bad)]})
    html = response.content.decode()
    assert "Nothing was imported: 1 problem" in html
    assert "referrals.csv:2: pathway: unknown code &#x27;one-to-one&#x27;" in html
    assert html.count("<title>Error: ") == 1
    assert not Referral.objects.exists()


def test_an_upload_of_an_unknown_file_is_refused(manager_client):
    response = manager_client.post(reverse("monitoring:import"), {"files": [csv_upload("people.csv", REFERRALS)]})
    assert "people.csv is not a monitoring file" in response.content.decode()


def test_the_manager_downloads_every_file_of_the_import_format_as_a_zip(manager_client, team_a):
    manager_client.post(reverse("monitoring:import"), {"files": [csv_upload("referrals.csv", REFERRALS)]})
    assert manager_client.get(reverse("monitoring:export")).status_code == 200

    response = job_file_response(
        manager_client, manager_client.post(reverse("monitoring:export"), {"file_format": "csv"})
    )
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="pairs-monitoring-team-a.zip"'
    with zipfile.ZipFile(BytesIO(response.content)) as zipped:
        assert sorted(zipped.namelist()) == sorted(spec.name for spec in FILES)
        referrals = list(csv.DictReader(StringIO(zipped.read("referrals.csv").decode())))
    assert [row["reference"] for row in referrals] == [row["reference"] for row in REFERRALS]
    audited = LogEntry.objects.filter(additional_data__has_key="monitoring_export").get()
    assert audited.additional_data["monitoring_export"]["format"] == "csv"


def test_the_manager_downloads_one_workbook_of_a_period(manager_client, team_a):
    manager_client.post(reverse("monitoring:import"), {"files": [csv_upload("referrals.csv", REFERRALS)]})
    dates = {
        "start_day": "1",
        "start_month": "1",
        "start_year": "2024",
        "end_day": "31",
        "end_month": "3",
        "end_year": "2024",
    }
    response = job_file_response(
        manager_client, manager_client.post(reverse("monitoring:export"), {"file_format": "xlsx", **dates})
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="pairs-monitoring-team-a-2024-01-01-to-2024-03-31.xlsx"'
    )
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [spec.name.removesuffix(".csv") for spec in FILES]
    references = [row[0] for row in workbook["referrals"].iter_rows(min_row=2, values_only=True)]
    assert references == [row["reference"] for row in REFERRALS if row["received_on"] < "2024-04-01"]


def test_the_export_is_the_requester_s_alone_and_each_download_is_audited(
    client, manager_client, manager, commissioner, team_a
):
    started = manager_client.post(reverse("monitoring:export"), {"file_format": "csv"})
    job_file_response(manager_client, started)
    job_file_response(manager_client, started)
    downloads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__has_key="download")
    assert [(entry.actor, entry.object_pk) for entry in downloads] == [(manager, str(team_a.pk))] * 2
    assert downloads.first().additional_data == {
        "download": "Monitoring data, zip of CSV files",
        "start": None,
        "end": None,
    }

    file_url = reverse("jobs:file", args=[resolve(started["Location"]).kwargs["job_id"]])
    other_manager = MembershipFactory(team=team_a, role=Role.MANAGER).user
    client.force_login(other_manager)
    page = client.get(started["Location"]).content.decode()
    assert "pairs-monitoring-team-a.zip is for" in page  # they see the job, not its file
    assert client.get(file_url).status_code == 404
    client.force_login(commissioner)
    assert client.get(started["Location"]).status_code == 404
    assert client.get(file_url).status_code == 404
    manager.memberships.update(is_active=False)
    assert manager_client.get(file_url).status_code == 404  # out of the team, out of its records
    assert downloads.count() == 2


def test_an_export_of_half_a_period_is_refused_on_the_form(manager_client):
    response = manager_client.post(
        reverse("monitoring:export"), {"file_format": "csv", "start_day": "1", "start_month": "1", "start_year": "2024"}
    )
    assert "Enter both dates, or leave both blank" in response.content.decode()
    assert not LogEntry.objects.filter(additional_data__has_key="monitoring_export").exists()


@pytest.mark.parametrize("client_name", ["commissioner_client", "practitioner_client"])
def test_only_the_manager_exports(request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("monitoring:export")).status_code == 403
    assert client.post(reverse("monitoring:export"), {"file_format": "csv"}).status_code == 403


def test_another_team_s_manager_gets_only_their_own_team_s_records(client, manager_client, team_a, team_b):
    manager_client.post(reverse("monitoring:import"), {"files": [csv_upload("referrals.csv", REFERRALS)]})
    manager_b = UserFactory(username="manager_b")
    MembershipFactory(user=manager_b, team=team_b, role=Role.MANAGER)
    client.force_login(manager_b)
    response = job_file_response(client, client.post(reverse("monitoring:export"), {"file_format": "csv"}))
    assert response["Content-Disposition"] == 'attachment; filename="pairs-monitoring-team-b.zip"'
    with zipfile.ZipFile(BytesIO(response.content)) as zipped:
        assert zipped.read("referrals.csv").decode().count("\n") == 1  # the header alone


def test_the_dashboard_offers_the_export_to_the_manager_only(manager_client, commissioner):
    export = reverse("monitoring:export")
    assert f'href="{export}"' in manager_client.get(reverse("reports:index")).content.decode()
    manager_client.force_login(commissioner)
    html = manager_client.get(reverse("reports:index")).content.decode()
    assert "KPI figures as an Excel workbook" in html
    assert f'href="{export}"' not in html
