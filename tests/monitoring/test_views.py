import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.models import Referral
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
