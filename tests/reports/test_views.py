import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.models import Referral
from tests.factories import TrainingSessionFactory
from tests.reports.test_monitoring_import import REFERRALS, columns_of

pytestmark = pytest.mark.django_db


def csv_upload(name: str, rows: list[dict]) -> SimpleUploadedFile:
    columns = columns_of(rows)
    lines = [",".join(columns)] + [",".join(row.get(column, "") for column in columns) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


@pytest.fixture
def sessions(team_a):
    TrainingSessionFactory(team=team_a, participants=3)


def test_the_manager_sees_exact_kpis(manager_client, sessions):
    html = manager_client.get(reverse("reports:index")).content.decode()
    assert "<h1>Key performance indicators</h1>" in html
    assert "Training participants" in html
    assert "87.5%<br>" in html and "7 of 8</span>" in html  # the factory's session: 7 of 8 forms positive
    assert "small counts are shown as *" not in html


def test_the_commissioner_sees_suppressed_kpis(commissioner_client, sessions):
    html = commissioner_client.get(reverse("reports:index")).content.decode()
    assert "small counts are shown as *" in html
    data = json.loads(commissioner_client.get(reverse("reports:kpi_download", args=["json"])).content)
    assert data["disclosure_control"] == "hes"
    assert data["training"]["participants"] == "*"


def test_the_manager_downloads_exact_figures(manager_client, sessions):
    response = manager_client.get(reverse("reports:kpi_download", args=["json"]))
    assert response["Content-Disposition"].startswith('attachment; filename="pairs-kpis-team-a-')
    assert json.loads(response.content)["training"]["participants"] == 3
    csv_response = manager_client.get(reverse("reports:kpi_download", args=["csv"]))
    assert "training.participants,3" in csv_response.content.decode()


@pytest.mark.parametrize("name", ["reports:index", "reports:import"])
def test_practitioners_have_no_reports(practitioner_client, name):
    assert practitioner_client.get(reverse(name)).status_code == 403


def test_commissioners_cannot_import(commissioner_client):
    assert commissioner_client.get(reverse("reports:import")).status_code == 403


def test_the_manager_checks_then_imports_a_file(manager_client, team_a):
    upload = {"files": [csv_upload("referrals.csv", REFERRALS)], "dry_run": "on"}
    html = manager_client.post(reverse("reports:import"), upload).content.decode()
    assert "Checked: nothing was written" in html
    assert not Referral.objects.exists()

    html = manager_client.post(
        reverse("reports:import"), {"files": [csv_upload("referrals.csv", REFERRALS)]}
    ).content.decode()
    assert '<h2 class="nhsuk-card__heading nhsuk-card__heading--feature">Imported</h2>' in html
    assert Referral.objects.in_team(team_a).count() == 3


def test_an_upload_with_problems_lists_them_and_writes_nothing(manager_client):
    bad = [dict(REFERRALS[0], pathway="one-to-one")]
    response = manager_client.post(reverse("reports:import"), {"files": [csv_upload("referrals.csv", bad)]})
    html = response.content.decode()
    assert "Nothing was imported: 1 problem" in html
    assert "referrals.csv:2: pathway: unknown code &#x27;one-to-one&#x27;" in html
    assert html.count("<title>Error: ") == 1
    assert not Referral.objects.exists()


def test_an_upload_of_an_unknown_file_is_refused(manager_client):
    response = manager_client.post(reverse("reports:import"), {"files": [csv_upload("people.csv", REFERRALS)]})
    assert "people.csv is not a monitoring file" in response.content.decode()
