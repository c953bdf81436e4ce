"""The dashboard on the demo service for the published window shows the published evaluation's figures, keeps the
commissioner's view under the team's rule, and runs the same queries on three times the demo.

The demo takes a while to load, so this module loads it once, inside a transaction that is rolled back when the
module is done; each test runs inside it in a savepoint of its own, as every database test does.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.figures import is_small
from tests.demo.test_loader import _multiply
from tests.reports.pages import ReportPage

pytestmark = pytest.mark.django_db

WINDOW = reverse("reports:index") + "?start=2023-03-01&end=2024-05-31"


def signed_in(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_manager_finds_the_published_figures_on_the_page(demo_team, client):
    html = signed_in(client, "demo.manager").get(WINDOW).content.decode()
    page = ReportPage(html)

    table_1 = page.table("Table 1: Delivery of sessions by the team")
    assert table_1.headers == ["Session type", "Number of sessions", "Number of participants"]
    assert table_1.rows == [["1", "40"], ["70", "589"], ["9", "62"], ["80", "691"]]

    table_2 = page.table("Table 2: Referral and engagement across individual and group support")
    assert table_2.headers == ["Engagement", "Individual (n=64)", "Group (n=35)", "Total (n=99)"]
    counts = [[cell.split()[0] for cell in row] for row in table_2.rows]
    assert counts == [
        ["9", "5", "14"],
        ["3", "16", "19"],
        ["14", "0", "14"],
        ["2", "2", "4"],
        ["0", "4", "4"],
        ["17", "4", "21"],
        ["19", "4", "23"],
        ["55", "30", "85"],
        ["64", "35", "99"],
    ]
    assert table_2.rows[7][:2] == ["55 (64.7%)", "30 (35.3%)"]  # the published 65% / 35% split

    # The true percentages, where the report rounded or worded them loosely.
    assert "85.9% of the referrals received were accepted." in html
    figure_1 = page.table("Consultations by what followed")
    assert figure_1.rows[:3] == [["45", "47.9%"], ["25", "26.6%"], ["24", "25.5%"]]
    pairing = next(tile for tile in page.tiles if tile.value == "76.2%")
    assert pairing.status == "On target"
    ethnicity = page.table("Ethnicity of the caregivers referred")
    assert ethnicity.rows[0] == ["96 (97%)"]  # of the 99 caregivers whose ethnicity is recorded
    assert "White" in html

    statistics = page.table("Outcome measures: first T1 against last T2")
    gbo = dict(zip(statistics.headers[1:], statistics.rows[-1], strict=True))
    assert (gbo["Pairs (n)"], gbo["Mean T1"], gbo["Mean T2"]) == ("15", "3.00", "9.70")
    assert page.table("Reliable change by measure").rows[-1] == ["15", "0", "0"]  # every GBO pair improved

    interventions = page.table("Interventions").by_row
    assert interventions["Compassion-focused therapy for the parent-infant relationship"] == ["17"]
    assert interventions["Psychoeducation on infant development"] == ["11"]
    assert interventions["Video Interaction Guidance (VIG)"] == ["9"]
    assert sum(int(cells[0]) for cells in interventions.values()) == 55
    assert {"55", "25"} <= set(page.summary_values)  # the episodes, and the families who finished intervention


def test_the_commissioner_sees_the_demo_under_the_hes_rule(demo_team, client):
    page = ReportPage(signed_in(client, "demo.commissioner").get(WINDOW).content.decode())
    assert not [count for count in page.counts if is_small(count, "hes")]
    assert "100" in page.table("Table 2: Referral and engagement across individual and group support").rows[-1]
    for tile in page.tiles:
        if tile.value == "*":
            assert tile.status == "Not shown: the figure is suppressed"


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_runs_the_same_queries_on_three_times_the_demo(demo_team, client):
    signed_in(client, "demo.manager")
    queries_for(client, WINDOW)  # caches warmed: sessions, content types, the instrument registry
    on_the_demo = queries_for(client, WINDOW)
    _multiply(demo_team, 3)
    assert queries_for(client, WINDOW) == on_the_demo
    assert "297" in ReportPage(client.get(WINDOW).content.decode()).summary_values  # three times the 99 referrals
