"""The dashboard at /reports/, teams compared and the needs model, on small hand-built data: every section for the
service manager, and for commissioners nothing a disclosure-control rule hides."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pairs.models import DisclosureControl, Role
from pairs.selectors import SESSION_TEAM_KEY
from reports.figures import is_small
from tests.factories import MembershipFactory, TeamFactory, TrainingSessionFactory, UserFactory
from tests.reports.pages import ReportPage
from tests.reports.test_kpis_queries import PERIOD, _families

pytestmark = pytest.mark.django_db

QUARTER = f"?start={PERIOD.start}&end={PERIOD.end}"


def page_of(client, name="reports:index", query=QUARTER) -> ReportPage:
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return ReportPage(response.content.decode())


@pytest.fixture
def families(team_a, manager):
    _families(team_a, manager, 3)


def test_the_manager_sees_every_section_in_the_published_order_with_exact_figures(manager_client, families):
    html = manager_client.get(reverse("reports:index") + QUARTER).content.decode()
    headings = [
        "Against the targets",
        "Workforce: training, awareness and the universal offer",
        "Table 1: Delivery of sessions by the team",
        "Consultation",
        "Figure 1: Pathway following consultation",
        "Direct work with families",
        "Ethnicity of the caregivers referred",
        "Figure 2: Safeguarding level at acceptance",
        "Figure 3: Family postcode IMD decile at referral",
        "Figure 4: Number of risks to the caregiving relationship",
        "Table 2: Referral and engagement across individual and group support",
        "Figure 5: Engagement across individual and group work",
        "Figure 6: Reasons for disengagement from the service",
        "Figure 7: Interventions",
        "Waiting at the period&#x27;s end",
        "Appointments in the period",
        "Outcomes",
        "Figure 8: Mean scores before and after intervention",
        "Reliable change",
        "Recovery",
        "The last eight quarters",
    ]
    position = html.index('<h2 id="kpis">')
    for heading in headings:
        position = html.index(heading, position)  # each after the one before (ValueError if not)
    page = ReportPage(html)
    assert (
        page.table("Table 2: Referral and engagement across individual and group support").column("Total (n=3)")[-1]
        == "3"
    )
    assert "small counts are shown as *" not in html
    assert "Quarter 4 of 2023 to 2024 (January to March 2024)" in html
    # Each indicator's trend, with its figures in a table.
    assert html.count('class="pairs-trend__panel"') == 7
    assert page.table("Training sessions by quarter").rows[-1][:2] == ["3", "3"]


def test_a_choice_made_with_the_picker_leads_to_the_period_s_stable_link(manager_client):
    response = manager_client.get(reverse("reports:index") + "?period=2023-q4")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{QUARTER}"
    custom = manager_client.get(
        reverse("reports:index")
        + "?period=custom&start_day=1&start_month=3&start_year=2023&end_day=31&end_month=5&end_year=2024"
    )
    assert custom["Location"] == "/reports/?start=2023-03-01&end=2024-05-31"
    html = manager_client.get(custom["Location"]).content.decode()
    assert "1 March 2023 to 31 May 2024" in html
    assert 'href="/reports/kpis.json?start=2023-03-01&amp;end=2024-05-31"' in html


def test_a_link_with_impossible_dates_says_so_and_shows_this_quarter(manager_client):
    html = manager_client.get(reverse("reports:index") + "?start=2024-03-31&end=2024-01-01").content.decode()
    assert "There is a problem with the link" in html
    assert "This period is still running" in html


def test_a_running_period_is_judged_against_its_target_to_date_and_says_so(manager_client, team_a):
    html = manager_client.get(reverse("reports:index")).content.decode()
    assert "This period is still running" in html
    assert "Target to date" in html
    assert "to date</strong>" in html  # the status says what it is judged against


def test_the_download_follows_the_stable_link(manager_client, families):
    response = manager_client.get(reverse("reports:kpi_download", args=["json"]) + QUARTER)
    assert response.json()["period"] == {"start": "2024-01-01", "end": "2024-03-31", "months": 3.0}


def commissioner_of(*teams):
    user = UserFactory(username="commissioner_of_" + "_".join(team.slug for team in teams))
    for team in teams:
        MembershipFactory(user=user, team=team, role=Role.COMMISSIONER)
    return user


def assert_nothing_small_shown(page: ReportPage, rule: str) -> None:
    small = [count for count in page.counts if is_small(count, rule)]
    assert not small, f"counts the {rule} rule hides are shown: {small}"
    for tile in page.tiles:
        if tile.value == "*":
            assert tile.status == "Not shown: the figure is suppressed", tile


@pytest.mark.parametrize("rule", [DisclosureControl.HES, DisclosureControl.MHSDS])
def test_a_commissioner_sees_no_count_status_or_bar_the_team_s_rule_hides(client, team_a, manager, rule):
    team_a.disclosure_control = rule
    team_a.save()
    _families(team_a, manager, 3)
    client.force_login(commissioner_of(team_a))
    html = client.get(reverse("reports:index") + QUARTER).content.decode()
    page = ReportPage(html)
    assert_nothing_small_shown(page, rule)
    assert page.figures.count("*") > 20  # a data set full of small counts
    assert "A bar is not drawn where its count is suppressed (*)." in html
    assert DisclosureControl(rule).label in html  # the rule, named
    assert not [link for link in page.links if link.startswith(("/referrals/", "/outcomes/"))]


def test_the_rule_none_gives_a_commissioner_exact_figures_and_says_so(client, team_a, manager):
    team_a.disclosure_control = DisclosureControl.NONE
    team_a.save()
    _families(team_a, manager, 3)
    client.force_login(commissioner_of(team_a))
    page = page_of(client)
    assert 3 in page.counts
    assert "exact figures (disclosure rule: none)" in client.get(reverse("reports:index") + QUARTER).content.decode()


def test_teams_compared_each_under_its_own_rule_and_the_total_under_both(client, team_a, team_b, manager):
    team_b.disclosure_control = DisclosureControl.MHSDS
    team_b.save()
    MembershipFactory(user=manager, team=team_b, role=Role.MANAGER)
    _families(team_a, manager, 3)
    _families(team_b, manager, 9, first=3)
    client.force_login(commissioner_of(team_a, team_b))
    page = page_of(client, "reports:compare")
    compared = page.tables[0]
    assert compared.headers == ["Figure", "Team A", "Team B", "All these teams"]
    for header, rule in (("Team A", "hes"), ("Team B", "mhsds"), ("All these teams", "hes+mhsds")):
        shown = [int(cell.split()[0]) for cell in compared.column(header) if cell.split()[0].isdigit()]
        assert not [count for count in shown if is_small(count, rule)], (header, shown)
    received = dict(zip(compared.headers[1:], compared.rows[0], strict=True))
    # 3 and 9 referrals: HES hides 3, MHSDS rounds 9 to 10, and 12 is shown under both as 10.
    assert received == {"Team A": "*", "Team B": "10", "All these teams": "10"}


def test_a_manager_of_one_team_and_commissioner_of_another_compares_exact_beside_suppressed(
    client, team_a, team_b, manager
):
    MembershipFactory(user=manager, team=team_b, role=Role.COMMISSIONER)
    _families(team_a, manager, 3)
    client.force_login(manager)
    compared = page_of(client, "reports:compare").tables[0]
    received = dict(zip(compared.headers[1:], compared.rows[0], strict=True))
    # The total is under the teams' rule: Team A's exact 3 must not be taken from it to uncover Team B's count.
    assert received == {"Team A": "3", "Team B": "0", "All these teams": "*"}
    html = client.get(reverse("reports:index") + QUARTER).content.decode()
    assert reverse("reports:compare") in html


def test_one_team_only_has_nothing_to_compare(commissioner_client):
    html = commissioner_client.get(reverse("reports:compare")).content.decode()
    assert "You report on one team only" in html
    assert reverse("reports:compare") not in commissioner_client.get(reverse("reports:index")).content.decode()


def test_the_needs_model_of_the_team_s_births_beside_its_referrals(manager_client, team_a, families):
    html = manager_client.get(reverse("reports:needs") + QUARTER).content.decode()
    assert "For 1,480 births a year" in html
    assert "Disorganised attachment" in html
    assert "222" in html
    assert "15 to 74 referrals a year" in html  # the 1-5% resourcing band
    page = ReportPage(html)
    assert "12" in page.summary_values  # 3 accepted in a quarter: 12 a year


def test_the_needs_model_asks_for_births_when_the_team_has_none(manager_client, team_a):
    team_a.births_per_year = None
    team_a.save()
    html = manager_client.get(reverse("reports:needs")).content.decode()
    assert "The team has no births figure recorded" in html
    assert "Enter the births a year" in html


def test_the_manager_sets_the_births_and_the_adversity_on_the_targets_page(manager_client, team_a):
    response = manager_client.post(
        reverse("reports:targets"),
        {
            "year_start_month": "4",
            "first_contact_target_days": "14",
            "disclosure_control": "hes",
            "births_per_year": "2000",
            "adversity_adjustment": "5",
        },
    )
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert (team_a.births_per_year, team_a.adversity_adjustment) == (2000, 5)
    html = manager_client.get(reverse("reports:needs")).content.decode()
    assert "with local adversity 5% above the UK average" in html
    assert "15.75%" in html


@pytest.mark.parametrize("name", ["reports:compare", "reports:needs"])
def test_practitioners_have_neither_teams_compared_nor_the_needs_model(practitioner_client, name):
    assert practitioner_client.get(reverse(name)).status_code == 403


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_runs_the_same_queries_on_more_data(client, team_a, manager):
    client.force_login(manager)
    _families(team_a, manager, 3)
    url = reverse("reports:index") + QUARTER
    few = queries_for(client, url)
    _families(team_a, manager, 12, first=3)
    assert queries_for(client, url) == few


def test_the_trends_quarters_are_asked_together(client, team_a, manager):
    """Eight quarters of trend cost the queries of two: the other quarters' KPIs come in one set of queries."""
    client.force_login(manager)
    _families(team_a, manager, 3)
    url = reverse("reports:index") + QUARTER
    team_a.service_started_on = PERIOD.start - datetime.timedelta(days=100)
    team_a.save()
    two_quarters = queries_for(client, url)
    team_a.service_started_on = PERIOD.start - datetime.timedelta(days=1000)
    team_a.save()
    response = client.get(url)
    assert len(response.context["dashboard"].trend[0].table.rows) == 8
    assert queries_for(client, url) == two_quarters


def test_teams_compared_runs_the_same_queries_on_more_data(client, team_a, team_b, manager):
    MembershipFactory(user=manager, team=team_b, role=Role.MANAGER)
    client.force_login(manager)
    session = client.session
    session[SESSION_TEAM_KEY] = team_a.pk
    session.save()
    _families(team_a, manager, 3)
    url = reverse("reports:compare") + QUARTER
    few = queries_for(client, url)
    _families(team_a, manager, 12, first=3)
    _families(team_b, manager, 5, first=20)
    assert queries_for(client, url) == few


def test_teams_compared_runs_the_same_queries_for_more_teams(client, team_a, team_b, manager):
    """Each team's KPIs are asked together: a fourth team compared costs no query of its own (one at a time, it
    cost six)."""
    MembershipFactory(user=manager, team=team_b, role=Role.MANAGER)
    client.force_login(manager)
    url = reverse("reports:compare") + QUARTER
    _families(team_a, manager, 3)
    three = TeamFactory(slug="team-c", name="Team C")
    MembershipFactory(user=manager, team=three, role=Role.COMMISSIONER)
    before = queries_for(client, url)
    four = TeamFactory(slug="team-d", name="Team D")
    MembershipFactory(user=manager, team=four, role=Role.COMMISSIONER)
    html = client.get(url).content.decode()
    assert "Team C" in html
    assert "Team D" in html
    assert queries_for(client, url) == before


def test_a_team_of_its_own_year_names_its_quarters(client):
    team = TeamFactory(slug="calendar", name="Calendar year team", year_start_month=1)
    TrainingSessionFactory(team=team, date=PERIOD.start)
    user = commissioner_of(team)
    client.force_login(user)
    html = client.get(reverse("reports:index") + "?start=2024-01-01&end=2024-03-31").content.decode()
    assert "Quarter 1 of 2024 (January to March 2024)" in html
    assert "Q1 2024" in html
