"""The further figures on the demo service, for the published window: they come out as the evaluation published
them (kpis.md, "The published figures the demo data must reproduce"), with the true values where it rounded."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.demo_snapshot import demo_load

pytestmark = pytest.mark.django_db


def kpi_report_json(*args: str) -> dict:
    out = StringIO()
    call_command("kpi_report", "--team", "blackpool", "--start", "2023-03-01", "--end", "2024-05-31", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_gives_the_published_further_figures():
    demo_load()
    report = kpi_report_json()
    referrals = report["referrals"]

    # "85 (85%) accepted" is 85 of 99; "over half" referred is 45 of 94, "almost a third" with an action plan 25.
    assert referrals["accepted_rate"] == 0.8586
    shares = report["consultations"]["by_outcome_share"]
    assert (shares["referred"], shares["action_plan"], shares["signposted"]) == (0.4787, 0.266, 0.2553)
    # 16 of the 21 completed have paired measures: 76.2%, where the report printed 71%.
    assert report["outcomes"]["pairing_rate"] == 0.7619
    kpis = {entry["id"]: entry for entry in report["kpis"]}
    assert (kpis["outcome_pairing_rate"]["rate"], kpis["outcome_pairing_rate"]["status"]) == (0.7619, "green")
    assert all(entry["target_to_date"] is None for entry in report["kpis"])  # the window is long past

    # 97% white: 96 of the 99 caregivers whose ethnicity is recorded; the two second caregivers known only from
    # the outcome measures have none.
    ethnicity = referrals["profile"]["ethnicity"]
    recorded = sum(n for code, n in ethnicity.items() if code != "not_recorded")
    assert (ethnicity["white"], recorded, ethnicity["not_recorded"]) == (96, 99, 2)
    assert round(100 * ethnicity["white"] / recorded) == 97
    assert sum(referrals["profile"]["caregiver_role"].values()) == 99
    assert referrals["profile"]["caregiver_role"]["not_recorded"] == 0
    ages = referrals["profile"]["infant_age_at_referral"]
    assert ages["antenatal"] == referrals["antenatal"] == 10
    assert sum(ages.values()) == 99
    assert sum(referrals["profile"]["imd_decile"].values()) == 99

    # The GBO means and the interventions as published.
    gbo = report["outcomes"]["instruments"]["gbo"]
    assert (gbo["n"], gbo["mean_t1"], gbo["mean_t2"], gbo["reliably_improved"]) == (15, 3.0, 9.7, 15)
    interventions = report["interventions"]
    assert (interventions["episodes"], interventions["families"]) == (55, 25)
    by_intervention = interventions["by_intervention"]
    assert (by_intervention["cft_pir"], by_intervention["psychoeducation"], by_intervention["vig"]) == (17, 11, 9)
    assert sum(by_intervention.values()) - 17 - 11 - 9 == 18
    assert list(by_intervention.values()) == sorted(by_intervention.values(), reverse=True)  # the most first

    # The further figures agree with Table 2.
    engagement = referrals["engagement"]["total"]
    at_acceptance = referrals["at_acceptance"]
    assert sum(at_acceptance["safeguarding_level"].values()) == referrals["accepted"] == 85
    assert sum(at_acceptance["risk_count"].values()) == 85
    for status, reasons in referrals["disengagement_reasons"].items():
        assert sum(reasons.values()) == engagement[status], status
    waiting = referrals["waiting_at_end"]
    assert waiting["on_hold"]["n"] == engagement["on_hold"] == 4
    in_progress = ("waiting_for_assessment", "in_assessment", "in_intervention")
    assert sum(waiting[stage]["n"] for stage in in_progress) == engagement["in_progress"] == 23
    assert referrals["clocks"]["to_decision"]["n"] == 99  # every referral of the window was decided within it
    clock = referrals["clocks"]["to_first_contact"]
    timeliness = referrals["timeliness"]
    assert (clock["n"], clock["median_days"], clock["p90_days"]) == (
        timeliness["with_first_contact"],
        timeliness["median_days_to_first_contact"],
        timeliness["p90_days_to_first_contact"],
    )

    # Outcomes of the families, and reach: 85 accepted in 15 months is 68 a year, 4.6% of Blackpool's 1,480 births.
    families = report["outcomes"]["families"]
    assert families["n"] == families["improved"] + families["no_reliable_change"] + families["deteriorated"] == 16
    recovery = report["outcomes"]["recovery"]
    assert recovery["caregivers_paired"] == report["outcomes"]["instruments"]["phq9"]["n"] == 16
    assert report["reach"] == {"births_per_year": 1480, "accepted_per_year": 68.0, "share_of_births": 0.0459}
    # The demo's diary starts after the window, and its group runs are this year's.
    assert report["appointments"]["offered"] == 0
    assert report["group_places"]["offered"] == 0

    # The commissioner's version: rates from the rounded counts (85 of 100), small counts and their statuses hidden.
    commissioner = kpi_report_json("--commissioner")
    assert commissioner["disclosure_control"] == "hes"
    assert commissioner["referrals"]["accepted_rate"] == 0.85
    assert commissioner["referrals"]["profile"]["ethnicity"]["white"] == 95
    assert commissioner["referrals"]["profile"]["ethnicity"]["not_recorded"] == "*"
    assert commissioner["reach"]["accepted_per_year"] == 68.0
