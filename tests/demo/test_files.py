"""The demo monitoring files: every published figure of kpis.md re-derived from the CSV files, and every row checked
against the rules of data-contract.md section 1. Independent of the importer: the files are read with the csv module.
"""

import csv
import datetime
import re
from collections import Counter
from fractions import Fraction
from statistics import mean

import pytest
from scipy.stats import ttest_rel

from demo.files import write_demo_files

TODAY = datetime.date(2026, 11, 22)
# A month after the window: most families in progress at the window end are still in progress, so the window's
# figures must come from the dates alone, not from how the story ends.
EARLY_TODAY = datetime.date(2024, 7, 3)
WINDOW_START, WINDOW_END = datetime.date(2023, 3, 1), datetime.date(2024, 5, 31)
FILES = (
    "referrals.csv",
    "interventions.csv",
    "outcomes.csv",
    "training.csv",
    "consultations.csv",
    "awareness.csv",
    "universal.csv",
)

# Vocabularies as domain.md and data-contract.md spell them.
SERVICES = {
    "health_visiting",
    "midwifery",
    "gp",
    "social_care",
    "perinatal_mental_health",
    "adult_mental_health",
    "camhs",
    "family_hub",
    "neonatal_unit",
    "paediatrics",
    "early_years_setting",
    "speech_and_language",
    "infant_feeding",
    "voluntary_sector",
    "self",
    "other",
}
COMPLEXITIES = {
    "parental_mental_health",
    "domestic_abuse",
    "perinatal_loss_or_trauma",
    "substance_misuse",
    "childrens_services_involvement",
    "care_experienced_parent",
    "parental_trauma",
    "bereavement",
    "physical_health",
    "learning_disability",
    "housing_or_poverty",
    "refugee_or_asylum",
    "neonatal_unit_stay",
    "language_barrier",
}
INDIVIDUAL_INTERVENTIONS = {
    "cft_pir",
    "psychoeducation",
    "vig",
    "vipp_sd",
    "parent_infant_psychotherapy",
    "nbo_brazelton",
    "watch_wait_wonder",
    "behavioural_activation",
    "emdr",
    "baby_states_cues",
    "engagement_period",
    "other",
}
GROUP_INTERVENTIONS = {"circle_of_security", "mellow", "baby_steps", "together_time"}
ETHNICITIES = {"white", "mixed", "asian", "black", "other", "not_stated"}
ROLES = {"mother", "father", "co_parent", "other"}
REASONS = {"childcare", "waiting_time", "moved_away", "not_ready", "unable_to_contact", "needs_met_elsewhere", "other"}
STATUSES = {
    "not_accepted",
    "disengaged_at_referral",
    "disengaged_at_assessment",
    "disengaged_during_intervention",
    "on_hold",
    "completed",
    "in_progress",
}
TABLE_ORDER = ("awaiting_decision", *sorted(STATUSES))
ITEMS = {"phq9": (range(1, 10), 3), "gad7": (range(1, 8), 3), "mors_sf": (range(1, 15), 5)}
WARMTH, INVASION = (1, 3, 4, 6, 8, 11, 13), (2, 5, 7, 9, 10, 12, 14)
POSTCODE = re.compile(r"^FY[1-4] [0-9][ABD-HJLNP-UW-Z]{2}$")
MONTH = 365.25 / 12


def parse(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def in_window(day: datetime.date | None) -> bool:
    return day is not None and WINDOW_START <= day <= WINDOW_END


def status_as_at(referral: dict, end: datetime.date) -> str:
    """kpis.md: awaiting a decision before decision_on; in progress from an acceptance; from status_on, the status."""
    decision_on = parse(referral["decision_on"])
    if referral["decision"] == "pending" or decision_on > end:
        return "awaiting_decision"
    status_on = parse(referral["status_on"])
    return referral["status"] if status_on is not None and status_on <= end else "in_progress"


class Demo:
    def __init__(self, directory, today):
        self.today = today
        self.rows_written = write_demo_files(directory, today=today)
        self.directory = directory
        self.tables = {}
        for name in FILES:
            with (directory / name).open(encoding="utf-8", newline="") as file:
                self.tables[name.removesuffix(".csv")] = list(csv.DictReader(file))
        self.referrals = {row["reference"]: row for row in self.tables["referrals"]}
        self.window = [row for row in self.tables["referrals"] if in_window(parse(row["received_on"]))]
        self.status_at_end = {row["reference"]: status_as_at(row, WINDOW_END) for row in self.window}

    def dated_in_window(self, table: str, column: str = "date") -> list[dict]:
        return [row for row in self.tables[table] if in_window(parse(row[column]))]

    def window_with_status(self, *statuses: str) -> set[str]:
        return {reference for reference, status in self.status_at_end.items() if status in statuses}


@pytest.fixture(scope="module", params=[TODAY, EARLY_TODAY], ids=["today-2026-11-22", "today-2024-07-03"])
def demo(request, tmp_path_factory) -> Demo:
    return Demo(tmp_path_factory.mktemp("demo"), request.param)


@pytest.fixture(scope="module")
def demo_today(tmp_path_factory) -> Demo:
    return Demo(tmp_path_factory.mktemp("demo"), TODAY)


# The published figures ----------------------------------------------------------------------------------------------


def test_training_reproduces_table_1(demo):
    sessions, participants = Counter(), Counter()
    for row in demo.dated_in_window("training"):
        sessions[row["session_type"]] += 1
        participants[row["session_type"]] += int(row["participants"])
    assert dict(sessions) == {"bitesize": 1, "introduction": 70, "imh_pir": 9}
    assert dict(participants) == {"bitesize": 40, "introduction": 589, "imh_pir": 62}
    assert (sessions.total(), participants.total()) == (80, 691)


def test_awareness_and_the_universal_offer(demo):
    assert sum(int(row["people_engaged"]) for row in demo.dated_in_window("awareness")) == 666
    universal = demo.dated_in_window("universal")
    assert {row["offer"] for row in universal} == {"infant_massage"}
    assert sum(int(row["dyads"]) for row in universal) == 60


def test_consultations_by_outcome_children_and_service(demo):
    consultations = demo.dated_in_window("consultations")
    assert len(consultations) == 94
    assert Counter(row["outcome"] for row in consultations) == {"referred": 45, "action_plan": 25, "signposted": 24}
    recorded = [int(row["children"]) for row in consultations if row["children"]]
    assert (len(recorded), sum(recorded)) == (55, 64)
    by_service = Counter(row["consultee_service"] for row in consultations)
    assert (by_service.pop("health_visiting"), by_service.pop("social_care")) == (49, 20)
    assert sum(by_service.values()) == 25
    assert len(by_service) == 14
    assert set(by_service) == SERVICES - {"health_visiting", "social_care"}


def test_referrals_reproduce_table_2_as_at_the_window_end(demo):
    assert len(demo.window) == 99
    table = {pathway: dict.fromkeys(TABLE_ORDER, 0) for pathway in ("individual", "group")}
    for row in demo.window:
        table[row["pathway"]][demo.status_at_end[row["reference"]]] += 1
    assert table["individual"] == {
        "awaiting_decision": 0,
        "not_accepted": 9,
        "disengaged_at_referral": 3,
        "disengaged_at_assessment": 14,
        "disengaged_during_intervention": 2,
        "on_hold": 0,
        "completed": 17,
        "in_progress": 19,
    }
    assert table["group"] == {
        "awaiting_decision": 0,
        "not_accepted": 5,
        "disengaged_at_referral": 16,
        "disengaged_at_assessment": 0,
        "disengaged_during_intervention": 2,
        "on_hold": 4,
        "completed": 4,
        "in_progress": 4,
    }


def test_accepted_families_supported_antenatal_and_ethnicity(demo):
    accepted = [row for row in demo.window if demo.status_at_end[row["reference"]] not in ("not_accepted",)]
    assert len(accepted) == 85
    assert Counter(row["pathway"] for row in accepted) == {"individual": 55, "group": 30}
    assert len(demo.window_with_status("in_progress", "completed", "disengaged_during_intervention")) == 48
    assert sum(row["antenatal"] == "yes" for row in demo.window) == 10
    white = sum(row["ethnicity"] == "white" for row in demo.window)
    assert white == 96
    assert round(100 * white / len(demo.window)) == 97


def test_mean_infant_age_at_referral(demo):
    ages = {"individual": [], "group": []}
    for row in demo.window:
        if row["antenatal"] == "no":
            days = (parse(row["received_on"]) - parse(row["infant_date_of_birth"])).days
            ages[row["pathway"]].append(days / MONTH)
    assert (len(ages["individual"]), len(ages["group"])) == (54, 35)
    assert round(mean(ages["individual"]), 1) == 9.4
    assert round(mean(ages["group"]), 1) == 40.0
    assert min(ages["individual"]) >= 0
    assert max(ages["individual"]) <= 24
    assert max(ages["group"]) < 60


def test_interventions_of_the_families_who_finished(demo):
    finished = demo.window_with_status("completed", "disengaged_during_intervention")
    assert len(finished) == 25
    episodes = [
        row
        for row in demo.tables["interventions"]
        if row["reference"] in finished and parse(row["started_on"]) <= WINDOW_END
    ]
    assert len(episodes) == 55
    assert {row["reference"] for row in episodes} == finished
    by_code = Counter(row["intervention"] for row in episodes)
    assert (by_code.pop("cft_pir"), by_code.pop("psychoeducation"), by_code.pop("vig")) == (17, 11, 9)
    assert sum(by_code.values()) == 18
    assert len(by_code) >= 8
    for row in episodes:
        codes = (
            GROUP_INTERVENTIONS if demo.referrals[row["reference"]]["pathway"] == "group" else INDIVIDUAL_INTERVENTIONS
        )
        assert row["intervention"] in codes
    in_progress = demo.window_with_status("in_progress")
    active = [
        row
        for row in demo.tables["interventions"]
        if row["reference"] in in_progress and parse(row["started_on"]) <= WINDOW_END
    ]
    assert active, "families in intervention at the window end have active episodes"


# Outcomes -----------------------------------------------------------------------------------------------------------


def score(row: dict) -> float | tuple[int, int]:
    if row["instrument"] == "gbo":
        return mean(int(row[f"goal_{n}"]) for n in range(1, 4) if row[f"goal_{n}"])
    if row["instrument"] == "mors_sf":
        return tuple(sum(int(row[f"item_{n}"]) for n in items) for items in (WARMTH, INVASION))
    if row["total"]:
        return int(row["total"])
    return sum(int(row[f"item_{n}"]) for n in ITEMS[row["instrument"]][0])


def window_pairs(demo: Demo, instrument: str) -> dict[tuple[str, str], tuple]:
    """kpis.md: per referral in the window and caregiver, the first T1 against the last T2, both by the window end."""
    administrations = {}
    for row in demo.tables["outcomes"]:
        if row["instrument"] != instrument or row["reference"] not in demo.status_at_end:
            continue
        if row["timepoint"] == "MID" or parse(row["completed_on"]) > WINDOW_END:
            continue
        administrations.setdefault((row["reference"], row["caregiver"]), []).append(row)
    pairs = {}
    for key, rows in administrations.items():
        t1 = sorted((row for row in rows if row["timepoint"] == "T1"), key=lambda row: row["completed_on"])
        t2 = sorted((row for row in rows if row["timepoint"] == "T2"), key=lambda row: row["completed_on"])
        if t1 and t2:
            pairs[key] = (score(t1[0]), score(t2[-1]))
    return pairs


def test_sixteen_of_the_twenty_one_completed_families_have_paired_measures(demo):
    completed = demo.window_with_status("completed")
    assert len(completed) == 21
    paired = {
        reference
        for instrument in ("phq9", "gad7", "mors_sf", "gbo")
        for reference, _caregiver in window_pairs(demo, instrument)
        if reference in completed
    }
    assert len(paired) == 16


def test_goal_based_outcomes_as_published(demo):
    pairs = list(window_pairs(demo, "gbo").values())
    assert len(pairs) == 15
    t1 = sum((Fraction(first).limit_denominator(6) for first, _ in pairs), Fraction(0)) / len(pairs)
    t2 = sum((Fraction(last).limit_denominator(6) for _, last in pairs), Fraction(0)) / len(pairs)
    assert (t1, t2) == (Fraction(3), Fraction(97, 10))
    assert (round(float(t1), 1), round(float(t2), 1)) == (3.0, 9.7)
    assert all(last - first >= 3 for first, last in pairs), "all 15 improved by 3 or more"


@pytest.mark.parametrize(("instrument", "threshold"), [("phq9", 6), ("gad7", 4)])
def test_depression_and_anxiety_fall_significantly(demo, instrument, threshold):
    pairs = list(window_pairs(demo, instrument).values())
    assert len(pairs) >= 10
    t1, t2 = zip(*pairs, strict=True)
    assert mean(t2) < mean(t1)
    assert ttest_rel(t1, t2).pvalue < 0.05
    changes = [last - first for first, last in pairs]
    assert sum(change <= -threshold for change in changes) >= 3, "some reliable improvement"
    assert sum(change >= threshold for change in changes) <= 1


def test_mors_warmth_rises_and_invasion_falls_significantly(demo):
    pairs = list(window_pairs(demo, "mors_sf").values())
    assert len(pairs) >= 10
    for subscale, direction in ((0, 1), (1, -1)):
        t1 = [first[subscale] for first, _ in pairs]
        t2 = [last[subscale] for _, last in pairs]
        assert direction * (mean(t2) - mean(t1)) > 0
        assert ttest_rel(t1, t2).pvalue < 0.05


def test_second_caregivers_complete_depression_and_anxiety_measures_only(demo):
    second = [row for row in demo.tables["outcomes"] if row["caregiver"] == "2"]
    assert second
    assert {row["instrument"] for row in second} == {"phq9", "gad7"}
    assert any(caregiver == "2" for _reference, caregiver in window_pairs(demo, "phq9"))


def test_some_phq9_are_totals_only_and_some_reviews_are_mid_point(demo):
    assert any(row["instrument"] == "phq9" and row["total"] for row in demo.tables["outcomes"])
    assert any(row["timepoint"] == "MID" for row in demo.tables["outcomes"])


# Rows obey the contract ---------------------------------------------------------------------------------------------


def all_dates(demo: Demo) -> list[tuple[str, str, datetime.date]]:
    columns = {
        "referrals": (
            "received_on",
            "decision_on",
            "assessment_started_on",
            "intervention_started_on",
            "first_contact_on",
            "status_on",
        ),
        "interventions": ("started_on", "ended_on"),
        "outcomes": ("completed_on",),
        "training": ("date",),
        "consultations": ("date",),
        "awareness": ("date",),
        "universal": ("date",),
    }
    return [
        (table, column, parse(row[column]))
        for table, names in columns.items()
        for row in demo.tables[table]
        for column in names
        if row[column]
    ]


def test_every_date_is_a_working_day_from_the_service_start_to_today(demo):
    """Weekdays, except the days the team is closed at Christmas and New Year (infants are born any day)."""
    for table, column, day in all_dates(demo):
        assert WINDOW_START <= day <= demo.today, (table, column, day)
        assert day.weekday() < 5, (table, column, day)
        assert (day.month, day.day) not in ((12, 25), (12, 26), (1, 1)), (table, column, day)


def test_referral_rows_obey_the_contract(demo):
    references = [row["reference"] for row in demo.tables["referrals"]]
    assert len(references) == len(set(references))
    for row in demo.tables["referrals"]:
        received_on = parse(row["received_on"])
        assert re.fullmatch(rf"BPL-{received_on.year}-\d{{4}}", row["reference"])
        assert row["pathway"] in ("individual", "group")
        assert row["referrer_service"] in SERVICES
        assert row["caregiver_role"] in ROLES
        assert 17 <= received_on.year - int(row["caregiver_birth_year"]) <= 45
        assert row["ethnicity"] in ETHNICITIES
        assert bool(row["postcode"]) == bool(row["imd_decile"])
        assert not row["postcode"] or POSTCODE.match(row["postcode"])
        assert not row["imd_decile"] or 1 <= int(row["imd_decile"]) <= 10
        assert row["antenatal"] in ("yes", "no")
        born = parse(row["infant_date_of_birth"])
        if row["antenatal"] == "yes":
            assert born is None or received_on < born <= received_on + datetime.timedelta(days=304)
        else:
            limit = 24 if row["pathway"] == "individual" else 60
            assert born <= received_on
            assert (received_on - born).days / MONTH <= limit
        complexities = row["complexities"].split(";") if row["complexities"] else []
        assert set(complexities) <= COMPLEXITIES
        assert len(complexities) == len(set(complexities))

        decision, decision_on = row["decision"], parse(row["decision_on"])
        status, status_on, reason = row["status"], parse(row["status_on"]), row["status_reason"]
        assessment_on, intervention_on = parse(row["assessment_started_on"]), parse(row["intervention_started_on"])
        first_contact_on = parse(row["first_contact_on"])
        assert decision in ("accepted", "not_accepted", "pending")
        assert status in STATUSES
        assert (decision_on is None) == (decision == "pending")
        assert (status_on is None) == (status == "in_progress")
        assert (status == "not_accepted") == (decision == "not_accepted")
        if decision == "pending":
            assert status == "in_progress"
            assert not assessment_on
            assert not intervention_on
            assert not first_contact_on
            assert not (row["safeguarding_level"])
        else:
            assert decision_on >= received_on
        if status == "not_accepted":
            assert status_on == decision_on
            assert not assessment_on
            assert not intervention_on
            assert not first_contact_on
            assert not (row["safeguarding_level"])
        if decision == "accepted":
            assert 1 <= int(row["safeguarding_level"]) <= 4
        assert not row["risk_count"] or (row["pathway"] == "individual" and 0 <= int(row["risk_count"]) <= 20)
        if status.startswith("disengaged") or status == "on_hold":
            assert reason in REASONS
        else:
            assert reason == ""
        if status == "disengaged_at_referral":
            assert assessment_on is None
            assert intervention_on is None
        if status == "disengaged_at_assessment":
            assert assessment_on is not None
            assert intervention_on is None
        if status in ("disengaged_during_intervention", "completed"):
            assert assessment_on is not None
            assert intervention_on is not None
        if intervention_on:
            assert assessment_on is not None
        ordered = [day for day in (received_on, decision_on, assessment_on, intervention_on, status_on) if day]
        assert ordered == sorted(ordered)
        if first_contact_on:
            assert decision_on <= first_contact_on <= (assessment_on or first_contact_on)


def test_intervention_rows_obey_the_contract(demo):
    keys = Counter((row["reference"], row["intervention"], row["started_on"]) for row in demo.tables["interventions"])
    assert max(keys.values()) == 1
    for row in demo.tables["interventions"]:
        referral = demo.referrals[row["reference"]]
        started_on, ended_on = parse(row["started_on"]), parse(row["ended_on"])
        assert row["intervention"] in INDIVIDUAL_INTERVENTIONS | GROUP_INTERVENTIONS
        assert started_on >= parse(referral["intervention_started_on"])
        assert ended_on is None or ended_on >= started_on
        if referral["status_on"]:
            assert ended_on is not None
            assert ended_on <= parse(referral["status_on"])
        assert 0 <= int(row["sessions_attended"]) <= 16


def test_outcome_rows_obey_the_contract(demo):
    keys = Counter(
        (row["reference"], row["instrument"], row["timepoint"], row["caregiver"]) for row in demo.tables["outcomes"]
    )
    assert max(keys.values()) == 1
    for row in demo.tables["outcomes"]:
        referral = demo.referrals[row["reference"]]
        assert row["caregiver"] in ("1", "2")
        assert row["instrument"] in ("phq9", "gad7", "mors_sf", "gbo")
        assert row["timepoint"] in ("T1", "MID", "T2")
        assert parse(referral["received_on"]) <= parse(row["completed_on"]) <= demo.today
        assert referral["decision"] == "accepted"
        answered = {n for n in range(1, 15) if row[f"item_{n}"]}
        goals = [int(row[f"goal_{n}"]) for n in range(1, 4) if row[f"goal_{n}"]]
        assert not (row["warmth"])
        assert not (row["invasion"])
        if row["instrument"] == "gbo":
            assert not answered
            assert not row["total"]
            assert len(goals) >= 1
            assert all(row[f"goal_{n}"] for n in range(1, len(goals) + 1))
            assert all(0 <= rating <= 10 for rating in goals)
            continue
        assert not goals
        items, high = ITEMS[row["instrument"]]
        if row["total"]:
            assert row["instrument"] == "phq9"
            assert not answered
            assert 0 <= int(row["total"]) <= 27
        else:
            assert answered == set(items)
            assert all(0 <= int(row[f"item_{n}"]) <= high for n in items)


def test_t2_follows_t1(demo):
    dates = {
        (row["reference"], row["caregiver"], row["instrument"], row["timepoint"]): row["completed_on"]
        for row in demo.tables["outcomes"]
    }
    for (reference, caregiver, instrument, timepoint), completed_on in dates.items():
        if timepoint != "T1":
            assert dates[(reference, caregiver, instrument, "T1")] < completed_on


def test_t2_is_completed_at_discharge(demo):
    """T2 is given at the end, before discharge: completed families in their last weeks, or a family whose last
    session was in the last fortnight and whose discharge is not recorded yet."""
    for row in demo.tables["outcomes"]:
        if row["timepoint"] == "T2":
            referral = demo.referrals[row["reference"]]
            assert referral["status"] in ("completed", "in_progress")
            discharged_on = parse(referral["status_on"]) or demo.today
            assert discharged_on - datetime.timedelta(days=21) <= parse(row["completed_on"]) <= discharged_on


def test_workforce_rows_obey_the_contract(demo):
    training = demo.tables["training"]
    assert Counter((row["date"], row["session_type"], row["title"]) for row in training).most_common(1)[0][1] == 1
    for row in training:
        assert row["session_type"] in ("bitesize", "introduction", "imh_pir", "other")
        assert row["title"]
        assert 0 < int(row["participants"]) <= int(row["places_offered"])
        assert bool(row["feedback_returned"]) == bool(row["feedback_positive"])
        if row["feedback_returned"]:
            assert 0 <= int(row["feedback_positive"]) <= int(row["feedback_returned"]) <= int(row["participants"])
    assert sum(bool(row["feedback_returned"]) for row in training) > len(training) / 2

    consultations = Counter()
    for row in demo.tables["consultations"]:
        assert row["consultee_service"] in SERVICES
        assert row["outcome"] in ("referred", "action_plan", "signposted", "advice_only")
        assert not row["children"] or int(row["children"]) >= 1
        consultations[(row["date"], row["consultee_service"])] += 1
        assert int(row["sequence"]) == consultations[(row["date"], row["consultee_service"])]

    assert Counter((row["date"], row["title"]) for row in demo.tables["awareness"]).most_common(1)[0][1] == 1
    assert all(int(row["people_engaged"]) > 0 for row in demo.tables["awareness"])
    assert Counter((row["date"], row["offer"]) for row in demo.tables["universal"]).most_common(1)[0][1] == 1
    assert all(int(row["dyads"]) > 0 for row in demo.tables["universal"])


def test_rows_written_are_reported(demo):
    assert demo.rows_written == {name: len(demo.tables[name.removesuffix(".csv")]) for name in FILES}


# Realism ------------------------------------------------------------------------------------------------------------


def test_blackpool_families(demo):
    referrals = demo.tables["referrals"]
    deciles = [int(row["imd_decile"]) for row in referrals if row["imd_decile"]]
    assert sum(decile <= 3 for decile in deciles) / len(deciles) > 0.6
    services = Counter(row["referrer_service"] for row in referrals)
    assert services.most_common(1)[0][0] == "health_visiting"
    assert len(services) >= 8
    roles = Counter(row["caregiver_role"] for row in referrals)
    assert roles.most_common(1)[0][0] == "mother"
    assert len(roles) >= 3
    accepted = [row for row in demo.window if row["decision"] == "accepted"]
    contacted = [row for row in accepted if row["first_contact_on"]]
    assert len(contacted) / len(accepted) > 0.8
    assert all(3 <= (parse(row["first_contact_on"]) - parse(row["received_on"])).days <= 42 for row in contacted)


def test_families_in_progress_at_the_window_end_close_after_it(demo_today):
    in_progress = demo_today.window_with_status("in_progress")
    closed_later = [reference for reference in in_progress if demo_today.referrals[reference]["status_on"]]
    assert len(closed_later) >= 15
    assert all(parse(demo_today.referrals[reference]["status_on"]) > WINDOW_END for reference in closed_later)


def test_after_the_window_referrals_keep_coming(demo_today):
    later = [row for row in demo_today.tables["referrals"] if parse(row["received_on"]) > WINDOW_END]
    months = Counter(row["received_on"][:7] for row in later)
    full_months = [count for month, count in months.items() if month != f"{TODAY:%Y-%m}"]
    assert len(months) == 30  # June 2024 to November 2026
    assert min(full_months) >= 6
    assert max(full_months) <= 8
    statuses = Counter(row["status"] for row in later)
    assert {"completed", "not_accepted", "in_progress", "disengaged_at_referral"} <= set(statuses)
    assert any(row["decision"] == "pending" for row in later), "recent referrals await a decision"


def test_the_current_quarter_has_referrals_and_training(demo):
    # The later of the calendar quarter and the quarter of Blackpool's service year, which starts in March.
    calendar_quarter = datetime.date(demo.today.year, 3 * ((demo.today.month - 1) // 3) + 1, 1)
    months_into_service_quarter = (demo.today.month - 3) % 3
    service_quarter = (demo.today.replace(day=1) - datetime.timedelta(days=28 * months_into_service_quarter)).replace(
        day=1
    )
    start = max(calendar_quarter, service_quarter)
    assert any(start <= parse(row["received_on"]) <= demo.today for row in demo.tables["referrals"])
    assert any(start <= parse(row["date"]) <= demo.today for row in demo.tables["training"])
    assert any(start <= parse(row["date"]) <= demo.today for row in demo.tables["consultations"])


# Determinism --------------------------------------------------------------------------------------------------------


def test_the_same_day_gives_byte_identical_files(tmp_path):
    write_demo_files(tmp_path / "first", today=TODAY)
    write_demo_files(tmp_path / "second", today=TODAY)
    for name in FILES:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name


def test_a_later_day_only_adds_to_the_window(tmp_path):
    early, late = Demo(tmp_path / "early", EARLY_TODAY), Demo(tmp_path / "late", TODAY)
    for table in ("training", "consultations", "awareness", "universal"):
        assert early.dated_in_window(table) == late.dated_in_window(table), table
    assert [row["reference"] for row in early.window] == [row["reference"] for row in late.window]
    assert early.status_at_end == late.status_at_end


def test_today_must_be_after_the_window(tmp_path):
    with pytest.raises(ValueError, match="after 2024-05-31"):
        write_demo_files(tmp_path, today=WINDOW_END)


@pytest.mark.django_db
def test_codes_are_in_the_seeded_vocabularies(demo_today):
    from pairs.models import Service
    from referrals.models import Intervention

    services = set(Service.objects.values_list("code", flat=True))
    interventions = set(Intervention.objects.values_list("code", flat=True))
    assert {row["referrer_service"] for row in demo_today.tables["referrals"]} <= services
    assert {row["consultee_service"] for row in demo_today.tables["consultations"]} <= services
    assert {row["intervention"] for row in demo_today.tables["interventions"]} <= interventions
    assert {row["offer"] for row in demo_today.tables["universal"]} <= interventions
