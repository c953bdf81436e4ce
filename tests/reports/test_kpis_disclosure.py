"""What a commissioner sees (kpis.md, "Small-number suppression" and "Several teams together"): one team's rule,
the combined rule for a set of teams, and no status beside a suppressed figure."""

import datetime
import json
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command

from pairs.models import DisclosureControl
from pairs.periods import Period
from referrals.pipeline import EventKind
from reports.disclosure import DisclosureRule, disclosure_rule
from reports.figures import (
    SUPPRESSED,
    Count,
    KpiStatus,
    Rate,
    Scaled,
    Statistic,
    disclose_count,
    disclose_rate,
    disclose_scaled,
    disclose_statistic,
    export,
)
from reports.kpis import kpi_export, kpi_report
from tests.factories import CaregiverFactory, TrainingSessionFactory, referral_with_history

D = datetime.date
PERIOD = Period(D(2024, 1, 1), D(2024, 3, 31))
BOUNDARIES = [0, 1, 4, 5, 7, 8, 12, 13]
BOTH = DisclosureRule.of([DisclosureControl.HES, DisclosureControl.MHSDS])


@pytest.mark.parametrize(
    ("rules", "name"),
    [
        (["hes"], "hes"),
        (["mhsds", "mhsds"], "mhsds"),
        (["none"], "none"),
        (["hes", "none"], "hes"),
        (["none", "mhsds"], "mhsds"),
        (["mhsds", "hes"], "hes+mhsds"),
        (["hes", "none", "mhsds"], "hes+mhsds"),
    ],
)
def test_a_set_of_teams_is_under_every_rule_that_binds(rules, name):
    rule = DisclosureRule.of(rules)
    assert rule.name == name
    assert DisclosureRule.named(name) == rule


def test_the_combined_rule_is_named_in_words():
    assert DisclosureRule.of(["hes"]).label == DisclosureControl.HES.label
    assert BOTH.label.startswith("HES and MHSDS together")


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, SUPPRESSED), (1, SUPPRESSED), (4, SUPPRESSED), (5, SUPPRESSED), (7, SUPPRESSED), (8, 10), (12, 10), (13, 15)],
)
def test_hes_and_mhsds_together_show_a_count_only_where_both_would(count, shown):
    """HES hides 1 to 7 and MHSDS 0 to 4: together they hide 0 to 7. Neither alone stands in for both."""
    assert disclose_count(count, BOTH) == shown
    assert shown == SUPPRESSED or (disclose_count(count, "hes") == disclose_count(count, "mhsds") == shown)


@pytest.mark.parametrize("base", BOUNDARIES)
def test_hes_and_mhsds_together_suppress_rates_and_means_on_either_rule(base):
    hidden = base <= 7
    assert (disclose_statistic(Statistic(2.5, base), BOTH) == SUPPRESSED) is hidden
    if base:
        assert (disclose_rate(Rate(base, base), BOTH) == SUPPRESSED) is hidden
        assert (disclose_rate(Rate(0, base), BOTH) == SUPPRESSED) is True  # a zero numerator is under 5 for MHSDS


def test_hes_and_mhsds_together_compute_rates_from_the_rounded_counts():
    assert disclose_rate(Rate(13, 21), BOTH) == round(15 / 20, 4)
    assert disclose_rate(Rate(13, 21), "mhsds") == round(13 / 21, 4)


def test_a_scaled_count_discloses_as_much_as_its_count():
    per_year = Scaled(13, Fraction(12, 3), 1)
    assert per_year.value == 52.0
    assert disclose_scaled(per_year, "hes") == 60.0  # from the rounded 15
    assert disclose_scaled(per_year, "mhsds") == 52.0
    assert disclose_scaled(per_year, BOTH) == 60.0
    assert disclose_scaled(per_year, "none") == 52.0
    assert disclose_scaled(Scaled(3, Fraction(4), 1), "hes") == SUPPRESSED
    assert disclose_scaled(Scaled(0, Fraction(4), 1), "mhsds") == SUPPRESSED
    assert disclose_scaled(Scaled(13, None, 4), "hes") is None


def test_a_status_is_suppressed_with_the_figure_it_judges():
    hidden, shown = Count(2), Count(40)
    assert export(KpiStatus("red", (hidden,)), "hes") == SUPPRESSED
    assert export(KpiStatus("red", (hidden,))) == "red"
    assert export(KpiStatus("red", (hidden,)), "none") == "red"
    assert export(KpiStatus("green", (shown, Rate(38, 40))), "hes") == "green"
    assert export(KpiStatus("too_few", (Count(3), Rate(3, 4))), "mhsds") == SUPPRESSED


def test_the_rule_of_a_set_of_teams(team_a, team_b):
    team_b.disclosure_control = DisclosureControl.MHSDS
    assert disclosure_rule([team_a]).name == "hes"
    assert disclosure_rule([team_a, team_b]).name == "hes+mhsds"
    assert disclosure_rule([]).name == "hes"


@pytest.fixture
def small_service(team_a, manager):
    """A quarter full of small counts: 2 training sessions, 6 referrals (1 not accepted), 13 training participants
    in one session and none in the other, caregivers mostly white."""
    TrainingSessionFactory(team=team_a, date=D(2024, 1, 10), participants=13, feedback_returned=6, feedback_positive=6)
    TrainingSessionFactory(team=team_a, date=D(2024, 2, 10), participants=0, feedback_returned=0, feedback_positive=0)
    for day in range(2, 8):
        on = D(2024, 1, 20)
        steps = [(EventKind.NOT_ACCEPTED, on, "other") if day == 2 else (EventKind.ACCEPTED, on)]
        referral = referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, day), steps=steps)
        CaregiverFactory(referral=referral, ethnicity="black" if day == 2 else "white")
    return team_a


@pytest.mark.django_db
def test_no_status_is_shown_beside_a_suppressed_figure(small_service):
    kpis = {entry["id"]: entry for entry in kpi_export(teams=[small_service], period=PERIOD, commissioner=True)["kpis"]}

    assert (kpis["training_sessions"]["actual"], kpis["training_sessions"]["status"]) == (SUPPRESSED, SUPPRESSED)
    assert (kpis["training_positive_feedback"]["rate"], kpis["training_positive_feedback"]["status"]) == (
        SUPPRESSED,
        SUPPRESSED,
    )
    # A figure shown keeps its status (13 participants shown as 15, red against 60), as does the service's own.
    assert (kpis["training_participants"]["actual"], kpis["training_participants"]["status"]) == (15, "red")
    exact = {entry["id"]: entry for entry in kpi_export(teams=[small_service], period=PERIOD)["kpis"]}
    assert exact["training_sessions"]["status"] == "red"


@pytest.mark.django_db
def test_two_teams_under_different_rules_are_shown_under_both(small_service, team_b):
    team_b.disclosure_control = DisclosureControl.MHSDS
    team_b.save()

    report = kpi_export(teams=[small_service, team_b], period=PERIOD, commissioner=True)

    assert report["disclosure_control"] == "hes+mhsds"
    referrals = report["referrals"]
    # 6 received: MHSDS alone would show 5, HES hides it. 0 awaiting a decision: HES would show 0, MHSDS hides it.
    assert referrals["received"] == SUPPRESSED
    assert referrals["engagement"]["total"]["awaiting_decision"] == SUPPRESSED
    assert report["training"]["participants"] == 15
    # Distributions are disclosed count by count.
    assert referrals["profile"]["ethnicity"]["white"] == SUPPRESSED
    assert referrals["profile"]["ethnicity"]["mixed"] == SUPPRESSED
    assert report["reach"]["accepted_per_year"] == SUPPRESSED
    assert report["reach"]["births_per_year"] == 2 * 1480


@pytest.mark.django_db
def test_the_command_names_the_combined_rule(small_service, team_b):
    team_b.disclosure_control = DisclosureControl.MHSDS
    team_b.save()
    out = StringIO()
    call_command(
        "kpi_report",
        *("--team", "team-a", "--team", "team-b", "--start", "2024-01-01", "--end", "2024-03-31"),
        "--commissioner",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["disclosure_control"] == "hes+mhsds"
    assert report["team"] == "team-a,team-b"


def _walk(typed, shown, path=""):
    """(path, typed figure, shown value) for every figure of a report tree and its export."""
    if isinstance(typed, dict):
        for key in typed:
            yield from _walk(typed[key], shown[key], f"{path}.{key}")
    elif isinstance(typed, list):
        for index, (item, item_shown) in enumerate(zip(typed, shown, strict=True)):
            yield from _walk(item, item_shown, f"{path}[{index}]")
    else:
        yield path, typed, shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rules", [["hes"], ["mhsds"], ["hes", "mhsds"], ["mhsds", "none"], ["hes", "hes"]], ids="+".join
)
def test_no_small_count_and_no_status_of_one_is_shown(small_service, team_b, rules):
    """Every count of every block, for each rule and for two teams under different rules: suppressed where any rule
    that binds would hide it, else a multiple of 5; every status beside a suppressed figure suppressed too."""
    teams = [small_service, team_b][: len(rules)]
    for team, rule in zip(teams, rules, strict=True):
        team.disclosure_control = rule
        team.save()
    rule = DisclosureRule.of(rules)
    typed = kpi_report(teams=teams, period=PERIOD)
    shown = kpi_export(teams=teams, period=PERIOD, commissioner=True)

    checked = 0
    for path, figure, value in _walk(typed, {key: shown[key] for key in typed}):
        if isinstance(figure, Count):
            checked += 1
            if rule.is_small(figure.value):
                assert value == SUPPRESSED, path
            else:
                assert value % 5 == 0, path
        elif isinstance(figure, Rate) and figure.denominator:
            assert (value == SUPPRESSED) is (rule.is_small(figure.numerator) or rule.is_small(figure.denominator)), path
        elif isinstance(figure, Statistic) and figure.value is not None:
            assert (value == SUPPRESSED) is rule.is_small(figure.base), path
        elif isinstance(figure, Scaled):
            assert (value == SUPPRESSED) is rule.is_small(figure.count), path
    assert checked > 150
    for entry in shown["kpis"]:
        if SUPPRESSED in (entry["actual"], entry["rate"]):
            assert entry["status"] == SUPPRESSED, entry["id"]
