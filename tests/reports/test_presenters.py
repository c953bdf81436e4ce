"""The dashboard's presenters, on figures written out by hand in the shape of the KPI export."""

import datetime

import pytest
from django.http import QueryDict

from reports.presenters.activity import reach_words
from reports.presenters.kpi_tiles import kpi_tiles, status_of
from reports.presenters.period import eight_quarters_to, named_period, requested_period
from reports.presenters.referrals import figure_5, table_2
from reports.presenters.tables import distribution_block
from reports.presenters.trend import trend_periods
from reports.presenters.values import (
    count_cell,
    count_with_share_cell,
    days_cell,
    number_cell,
    p_value_cell,
    rate_cell,
    share,
    total_of,
)
from tests.factories import TeamFactory, TrainingSessionFactory

D = datetime.date
STATUSES = (
    "awaiting_decision",
    "not_accepted",
    "disengaged_at_referral",
    "disengaged_at_assessment",
    "disengaged_during_intervention",
    "on_hold",
    "completed",
    "in_progress",
)


def test_figures_read_as_the_export_gives_them():
    assert count_cell(1480).text == "1,480"
    assert count_cell("*").text == "*"
    assert count_cell("*").suppressed
    assert count_cell(None).text == "No data"
    assert rate_cell(0.8586).text == "85.9%"
    assert rate_cell(0.97).text == "97%"
    assert number_cell(9.7, 2, fixed=True).text == "9.70"
    assert number_cell(2.5, 1).text == "2.5"
    assert p_value_cell(0.00004).text == "< 0.0001"
    assert p_value_cell(0.01).text == "0.0100"
    assert days_cell(1).text == "1 day"
    assert days_cell(43.5).text == "43.5 days"
    assert count_cell("*").hidden_note == "suppressed: a small number"


def test_a_share_of_counts_as_shown_is_suppressed_with_either_and_none_on_a_zero_base():
    assert share(3, 55) == 3 / 55
    assert share("*", 55) == "*"
    assert share(3, "*") == "*"
    assert share(0, 0) is None
    assert count_with_share_cell(3, 55).text == "3 (5.5%)"
    assert count_with_share_cell("*", 55).text == "*"
    assert count_with_share_cell(10, "*").text == "10"
    assert total_of([5, 10, 0]) == 15
    assert total_of([5, "*", 10]) == "*"


def kpi(**entry):
    return {
        "id": "training_sessions",
        "label": "Training sessions",
        "is_rate": False,
        "base": None,
        "target": 15.0,
        "target_to_date": None,
        "actual": 20,
        "rate": None,
        "status": "green",
        **entry,
    }


def test_a_tile_gives_its_status_in_words_and_a_running_period_its_target_to_date():
    done, running = kpi_tiles([kpi(), kpi(target_to_date=6.5, actual=5, status="red")])
    assert (done.value.text, done.target, done.status.words, done.status.tag_class) == (
        "20",
        "15",
        "On target",
        "nhsuk-tag--green",
    )
    assert not done.judged_to_date
    assert (running.target_to_date, running.target, running.status.words) == ("6.5", "15", "Below target to date")
    assert status_of("too_few", to_date=True).words == "Too few to rate"


def test_a_rate_tile_shows_its_count_and_base_and_a_suppressed_one_neither_nor_its_status():
    shown, hidden = kpi_tiles(
        [
            kpi(id="outcome_pairing_rate", is_rate=True, actual=16, base=21, rate=0.7619, target=0.75),
            kpi(id="outcome_pairing_rate", is_rate=True, actual="*", base="*", rate="*", target=0.75, status="*"),
        ]
    )
    assert (shown.value.text, shown.of_base, shown.target) == ("76.2%", "16 of 21", "75%")
    assert (hidden.value.text, hidden.of_base, hidden.status.words) == (
        "*",
        "",
        "Not shown: the figure is suppressed",
    )


@pytest.fixture
def team(db):
    return TeamFactory(year_start_month=3, service_started_on=D(2023, 3, 1))


def test_a_stable_link_s_dates_are_named_when_they_are_a_quarter_a_year_or_the_year_to_date(team):
    today = D(2024, 7, 15)
    assert named_period(D(2024, 3, 1), D(2024, 5, 31), year_start_month=3, today=today).label == (
        "Quarter 1 of 2024 to 2025 (March to May 2024)"
    )
    assert named_period(D(2023, 3, 1), D(2024, 2, 29), year_start_month=3, today=today).key == "2023"
    assert named_period(D(2024, 3, 1), today, year_start_month=3, today=today).key == "ytd"
    window = named_period(D(2023, 3, 1), D(2024, 5, 31), year_start_month=3, today=today)
    assert (window.key, window.label) == ("custom", "1 March 2023 to 31 May 2024")


def test_the_picker_leads_to_the_stable_link_and_a_bad_link_says_so(team):
    today = D(2024, 7, 15)
    chosen = requested_period(QueryDict("period=2024-q1"), team=team, today=today)
    assert chosen.redirect_query == "start=2024-03-01&end=2024-05-31"
    custom = requested_period(
        QueryDict("period=custom&start_day=1&start_month=3&start_year=2023&end_day=31&end_month=5&end_year=2024"),
        team=team,
        today=today,
    )
    assert custom.redirect_query == "start=2023-03-01&end=2024-05-31"
    linked = requested_period(QueryDict("start=2023-03-01&end=2024-05-31"), team=team, today=today)
    assert (linked.period.start, linked.period.end, linked.redirect_query) == (D(2023, 3, 1), D(2024, 5, 31), None)
    assert linked.form.initial == {"start": D(2023, 3, 1), "end": D(2024, 5, 31)}
    assert not linked.is_running
    assert not linked.running_note
    for bad in ("start=2024-05-31&end=2024-03-01", "start=yesterday&end=2024-03-01", "end=2024-03-01"):
        problem = requested_period(QueryDict(bad), team=team, today=today)
        assert problem.problem.startswith("The link's dates are not a period")
        assert problem.period.key == "2024-q2"  # this quarter instead


def test_a_running_period_says_so_and_the_picker_offers_this_and_last_quarter_and_year(team):
    today = D(2024, 7, 15)
    choice = requested_period(QueryDict(""), team=team, today=today)
    assert choice.is_running
    assert "target to date" in choice.running_note
    assert "15 July 2024" in choice.running_note
    links = {link.label: (link.href, link.current) for link in choice.shortcuts}
    assert links["This quarter"] == ("?start=2024-06-01&end=2024-08-31", True)
    assert links["Last quarter"] == ("?start=2024-03-01&end=2024-05-31", False)
    assert links["Last service year"] == ("?start=2023-03-01&end=2024-02-29", False)
    # The next quarter has not begun: only the previous one is offered beside this one.
    assert [link.label for link in choice.neighbours] == [
        "Previous quarter: Quarter 1 of 2024 to 2025 (March to May 2024)"
    ]


def test_the_trend_takes_the_eight_quarters_to_the_period_s_end_from_the_service_s_start(team):
    window = named_period(D(2023, 3, 1), D(2024, 5, 31), year_start_month=3, today=D(2024, 7, 15))
    assert [quarter.key for quarter in eight_quarters_to(window, year_start_month=3, since=D(2023, 3, 1))] == [
        "2023-q1",
        "2023-q2",
        "2023-q3",
        "2023-q4",
        "2024-q1",
    ]
    later = named_period(D(2025, 6, 1), D(2025, 8, 31), year_start_month=3, today=D(2025, 9, 1))
    quarters = eight_quarters_to(later, year_start_month=3, since=D(2023, 3, 1))
    assert (len(quarters), quarters[0].key, quarters[-1].key) == (8, "2023-q3", "2025-q2")


def column(**counts):
    return {status: counts.get(status, 0) for status in STATUSES}


# Table 2 of the evaluation report.
REFERRALS = {
    "received": 99,
    "accepted": 85,
    "by_pathway": {"individual": {"received": 64, "accepted": 55}, "group": {"received": 35, "accepted": 30}},
    "engagement": {
        "individual": column(
            not_accepted=9,
            disengaged_at_referral=3,
            disengaged_at_assessment=14,
            disengaged_during_intervention=2,
            completed=17,
            in_progress=19,
        ),
        "group": column(
            not_accepted=5,
            disengaged_at_referral=16,
            disengaged_during_intervention=2,
            on_hold=4,
            completed=4,
            in_progress=4,
        ),
        "total": column(
            not_accepted=14,
            disengaged_at_referral=19,
            disengaged_at_assessment=14,
            disengaged_during_intervention=4,
            on_hold=4,
            completed=21,
            in_progress=23,
        ),
    },
}


def rows_of(table) -> dict:
    return {row.header: [cell.text for cell in row.cells] for row in table.rows}


def test_table_2_as_published_with_percentages_on_the_accepted_base():
    table = table_2(REFERRALS)
    assert [column.label for column in table.columns] == [
        "Engagement",
        "Individual (n=64)",
        "Group (n=35)",
        "Total (n=99)",
    ]
    rows = rows_of(table)
    assert list(rows) == [
        "Referral not accepted",
        "Disengaged at referral",
        "Disengaged at assessment",
        "Disengaged during intervention",
        "On hold",
        "Completed",
        "In progress",
        "Accepted",
        "Received",
    ]
    assert rows["Referral not accepted"] == ["9", "5", "14"]
    # "just over 5% (n=3)", "over 50% (n=16)", "25% (n=14)": only on the accepted base.
    assert rows["Disengaged at referral"] == ["3 (5.5%)", "16 (53.3%)", "19 (22.4%)"]
    assert rows["Disengaged at assessment"][0] == "14 (25.5%)"
    assert rows["Accepted"] == ["55 (64.7%)", "30 (35.3%)", "85"]
    assert rows["Received"] == ["64", "35", "99"]


def test_table_2_shows_awaiting_a_decision_only_while_a_decision_is_to_come_and_hides_what_is_suppressed():
    referrals = {
        **REFERRALS,
        "engagement": {
            **REFERRALS["engagement"],
            "group": {**REFERRALS["engagement"]["group"], "awaiting_decision": "*", "on_hold": "*"},
        },
    }
    rows = rows_of(table_2(referrals))
    assert rows["Awaiting a decision"] == ["0", "*", "0"]
    assert rows["On hold"][1] == "*"


def test_figure_5_draws_each_pathway_and_no_bar_for_a_suppressed_count():
    referrals = {
        **REFERRALS,
        "engagement": {
            **REFERRALS["engagement"],
            "individual": {**REFERRALS["engagement"]["individual"], "disengaged_at_referral": "*"},
        },
    }
    block = figure_5(referrals)
    assert block.heading == "Figure 5: Engagement across individual and group work"
    assert block.notes == ("A bar is not drawn where its count is suppressed (*).",)
    assert "suppressed, not drawn" in block.chart.svg
    assert rows_of(block.table)["Disengaged at referral"] == ["*", "16 (53.3%)"]


def test_a_distribution_s_shares_are_of_its_recorded_base_and_vanish_with_a_suppressed_code():
    ethnicity = {"white": 96, "mixed": 1, "asian": 1, "black": 0, "other": 0, "not_stated": 1, "not_recorded": 2}
    block = distribution_block(
        id="ethnicity",
        title="Ethnicity",
        counts=ethnicity,
        label=str,
        heading="Ethnicity",
        base=total_of([count for code, count in ethnicity.items() if code != "not_recorded"]),
        base_words="the caregivers whose ethnicity is recorded",
    )
    assert rows_of(block.table)["white"] == ["96 (97%)"]
    assert rows_of(block.table)["not_recorded"] == ["2"]  # not a share of those recorded
    assert block.table.notes == ("Percentages are of the caregivers whose ethnicity is recorded.",)
    hidden = distribution_block(
        id="ethnicity",
        title="Ethnicity",
        counts={"white": 95, "mixed": "*"},
        label=str,
        heading="Ethnicity",
        base=total_of([95, "*"]),
        base_words="the caregivers whose ethnicity is recorded",
    )
    assert rows_of(hidden.table) == {"white": ["95"], "mixed": ["*"]}


def test_reach_is_placed_against_the_band_teams_are_resourced_for():
    assert reach_words(0.0459) == "within the 1-5% of births teams are resourced for"
    assert reach_words(0.005) == "below the 1-5% of births teams are resourced for"
    assert reach_words(0.06) == "above the 1-5% of births teams are resourced for"
    assert reach_words("*") == ""


def test_a_team_without_a_start_date_has_its_trend_from_its_first_record(db):
    team = TeamFactory(year_start_month=4)
    window = named_period(D(2024, 1, 1), D(2024, 3, 31), year_start_month=4, today=D(2024, 7, 15))
    assert trend_periods(window, team=team) == []  # nothing recorded: no quarter would show anything
    TrainingSessionFactory(team=team, date=D(2023, 8, 14))
    assert [quarter.key for quarter in trend_periods(window, team=team)] == ["2023-q2", "2023-q3", "2023-q4"]
