"""The KPI downloads as files: the CSV and the workbook hold the same figures as the JSON, under the same rule, and
no text in them runs as a spreadsheet formula."""

import csv
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import flatten, kpi_workbook
from tests.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db

ABOUT_ROWS = 6


@pytest.fixture
def sessions(team_a):
    TrainingSessionFactory(team=team_a, participants=3)


def download(client, file_format: str):
    response = client.get(reverse("reports:kpi_download", args=[file_format]), {"start": "2020-01-01"})
    assert response.status_code == 200
    return response


def csv_figures(client) -> dict[str, str]:
    rows = list(csv.reader(StringIO(download(client, "csv").content.decode())))
    assert rows[0] == ["figure", "value"]
    return dict(rows[1:])


def workbook_of(client):
    response = download(client, "xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="pairs-kpis-team-a-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(BytesIO(response.content))


def sheet_figures(sheet) -> dict[str, object]:
    return dict(sheet.iter_rows(min_row=ABOUT_ROWS + 1, values_only=True))


def as_in_csv(csv_text: str, cell) -> object:
    """The CSV's text as the workbook's cell holds it: a number as a number (a whole float reads back as an int),
    an empty cell as None."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(csv_text)
    return csv_text or None


def test_the_workbook_has_a_sheet_per_block_each_saying_team_period_and_rule(manager_client, sessions):
    json_figures = download(manager_client, "json").json()
    workbook = workbook_of(manager_client)
    blocks = [key for key in json_figures if key not in ("team", "period")]
    assert workbook.sheetnames == blocks
    assert {"referrals", "consultations", "training", "outcomes", "kpis"} <= set(blocks)
    period = json_figures["period"]
    for sheet in workbook.worksheets:
        about = list(sheet.iter_rows(max_row=ABOUT_ROWS, values_only=True))
        assert about[0][:2] == ("Team", "team-a")
        assert about[1][:2] == ("Period", f"{period['start']} to {period['end']}")
        assert about[2][:2] == ("Months", period["months"])
        assert about[3][0] == "Disclosure rule"
        assert "exact figures" in about[3][1]
        assert about[5][:2] == ("figure", "value")


def test_the_workbook_holds_the_csv_s_values(manager_client, sessions):
    in_csv = csv_figures(manager_client)
    in_workbook = {}
    for sheet in workbook_of(manager_client).worksheets:
        in_workbook |= sheet_figures(sheet)
    assert in_workbook["training.participants"] == 3
    about = {figure for figure in in_csv if figure == "team" or figure.startswith("period.")}
    assert in_workbook.keys() == in_csv.keys() - about
    assert all(as_in_csv(in_csv[figure], value) == value for figure, value in in_workbook.items())


def test_a_commissioner_s_workbook_is_under_the_rule_and_has_no_suppressed_value(commissioner_client, sessions):
    in_csv = csv_figures(commissioner_client)
    assert in_csv["training.participants"] == "*"
    workbook = workbook_of(commissioner_client)
    for sheet in workbook.worksheets:
        about = list(sheet.iter_rows(max_row=ABOUT_ROWS, values_only=True))
        assert about[3][1].startswith("HES: 1 to 7 suppressed")
        assert all(as_in_csv(in_csv[figure], value) == value for figure, value in sheet_figures(sheet).items())
    assert "disclosure_control" not in workbook.sheetnames
    assert sheet_figures(workbook["training"])["training.participants"] == "*"


FORMULA = '=HYPERLINK("http://example.com","Click")'


def test_formula_like_text_is_neutralised_in_every_kpi_file(manager_client, team_a):
    figures = {"team": "-1-1", "period": {"start": "2024-01-01", "end": "2024-03-31", "months": 3}, "x": {"y": FORMULA}}
    assert dict(flatten(figures))["x.y"] == "'" + FORMULA
    sheet = load_workbook(BytesIO(kpi_workbook(figures)))["x"]
    assert sheet["B1"].value == "'-1-1"
    assert sheet["B7"].value == "'" + FORMULA
    assert sheet["B7"].data_type == "s"

    team_a.slug = "-1-1"
    team_a.save()
    assert csv_figures(manager_client)["team"] == "'-1-1"
