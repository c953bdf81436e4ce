"""The monitoring import of data-contract.md section 1: all or nothing, idempotent, attributed, no silent coercion."""

import csv
import datetime
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from openpyxl import Workbook

from monitoring.importer import ImportRejected, monitoring_import
from outcomes.models import Questionnaire
from referrals.models import InterventionEpisode, PipelineEvent, Referral
from training.models import AwarenessEvent, Consultation, TrainingSession, UniversalOfferContact

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 6, 30)

REFERRALS = [
    {
        "reference": "A-1",
        "received_on": "2024-01-10",
        "pathway": "individual",
        "referrer_service": "health_visiting",
        "caregiver_role": "mother",
        "caregiver_birth_year": "1994",
        "ethnicity": "white",
        "postcode": "FY1 1AA",
        "imd_decile": "1",
        "antenatal": "no",
        "infant_date_of_birth": "2023-09-01",
        "safeguarding_level": "2",
        "risk_count": "3",
        "complexities": "domestic_abuse;parental_mental_health",
        "decision": "accepted",
        "decision_on": "2024-01-12",
        "assessment_started_on": "2024-01-20",
        "intervention_started_on": "2024-02-01",
        "first_contact_on": "2024-01-15",
        "status": "completed",
        "status_on": "2024-05-01",
        "status_reason": "",
    },
    {
        "reference": "A-2",
        "received_on": "2024-02-10",
        "pathway": "group",
        "referrer_service": "Midwifery ",
        "caregiver_role": "father",
        "antenatal": "yes",
        "infant_date_of_birth": "2024-05-20",
        "decision": "accepted",
        "decision_on": "2024-02-11",
        "status": "disengaged_at_referral",
        "status_on": "2024-03-01",
        "status_reason": "moved_away",
    },
    {
        "reference": "A-3",
        "received_on": "2024-06-20",
        "pathway": "individual",
        "referrer_service": "gp",
        "caregiver_role": "mother",
        "antenatal": "no",
        "decision": "pending",
        "status": "in_progress",
    },
]
INTERVENTIONS = [
    {
        "reference": "A-1",
        "intervention": "vig",
        "started_on": "2024-02-01",
        "ended_on": "2024-05-01",
        "sessions_attended": "8",
    },
    {
        "reference": "A-1",
        "intervention": "cft_pir",
        "started_on": "2024-02-15",
        "ended_on": "",
        "sessions_attended": "",
    },
]
OUTCOMES = [
    {
        "reference": "A-1",
        "caregiver": "1",
        "instrument": "phq9",
        "timepoint": "T1",
        "completed_on": "2024-02-01",
        **{f"item_{n}": "2" for n in range(1, 10)},
        "total": "18",
    },
    {
        "reference": "A-1",
        "caregiver": "1",
        "instrument": "phq9",
        "timepoint": "T2",
        "completed_on": "2024-05-01",
        "total": "7",
    },
    {
        "reference": "A-1",
        "caregiver": "",
        "instrument": "gbo",
        "timepoint": "t1",
        "completed_on": "2024-02-01",
        "goal_1": "2",
        "goal_2": "4",
    },
    {
        "reference": "A-1",
        "caregiver": "2",
        "instrument": "gad7",
        "timepoint": "T1",
        "completed_on": "2024-02-01",
        "total": "11",
    },
]
TRAINING = [
    {
        "date": "2024-03-05",
        "session_type": "introduction",
        "title": "Introduction to PaIRS",
        "participants": "12",
        "places_offered": "15",
        "feedback_returned": "10",
        "feedback_positive": "9",
    },
]
CONSULTATIONS = [
    {
        "date": "2024-03-05",
        "consultee_service": "health_visiting",
        "sequence": "1",
        "outcome": "referred",
        "children": "2",
    },
    {
        "date": "2024-03-05",
        "consultee_service": "health_visiting",
        "sequence": "2",
        "outcome": "advice_only",
        "children": "",
    },
]
AWARENESS = [{"date": "2024-04-01", "title": "Baby week stall", "people_engaged": "40"}]
UNIVERSAL = [{"date": "2024-04-02", "offer": "infant_massage", "dyads": "6"}]

FILES = {
    "referrals.csv": REFERRALS,
    "interventions.csv": INTERVENTIONS,
    "outcomes.csv": OUTCOMES,
    "training.csv": TRAINING,
    "consultations.csv": CONSULTATIONS,
    "awareness.csv": AWARENESS,
    "universal.csv": UNIVERSAL,
}
IMPORTED_MODELS = [
    "referrals.Referral",
    "referrals.Caregiver",
    "referrals.Infant",
    "referrals.PipelineEvent",
    "referrals.LevelsRecord",
    "referrals.InterventionEpisode",
    "outcomes.Questionnaire",
    "outcomes.Score",
    "training.TrainingSession",
    "training.Consultation",
    "training.AwarenessEvent",
    "training.UniversalOfferContact",
    "referrals.Appointment",
    "referrals.GroupProgramme",
    "referrals.GroupPlace",
]


def columns_of(rows: list[dict]) -> list[str]:
    names = []
    for row in rows:
        names += [name for name in row if name not in names]
    return names


def write_files(folder, files=None, **replace):
    files = {**FILES, **(files or {})}
    for name, rows in files.items():
        if name in replace:
            rows = replace[name]
        if rows is None:
            continue
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns_of(rows) or ["reference"])
            writer.writeheader()
            writer.writerows(rows)
    return folder


def snapshot() -> dict:
    """Every imported table, as comparable rows (without timestamps of the writes)."""
    tables = {}
    for label in IMPORTED_MODELS:
        model = apps.get_model(label)
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("recorded_at", "updated_at")]
        tables[label] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


def run(folder, team, user, **options):
    return monitoring_import(path=folder, team=team, actor=user, today=TODAY, **options)


def rejected(folder, team, user) -> list[str]:
    before = snapshot()
    with pytest.raises(ImportRejected) as raised:
        run(folder, team, user)
    assert snapshot() == before, "a rejected import must write nothing"
    return [str(problem) for problem in raised.value.problems]


def test_a_clean_import_creates_every_record(tmp_path, team_a, manager):
    result = run(write_files(tmp_path), team_a, manager)
    assert {name: (c.created, c.updated, c.unchanged) for name, c in result.files.items()} == {
        "referrals.csv": (3, 0, 0),
        "interventions.csv": (2, 0, 0),
        "outcomes.csv": (4, 0, 0),
        "training.csv": (1, 0, 0),
        "consultations.csv": (2, 0, 0),
        "awareness.csv": (1, 0, 0),
        "universal.csv": (1, 0, 0),
    }
    a1 = Referral.objects.get(reference="A-1")
    assert [e.kind for e in PipelineEvent.objects.filter(referral=a1).order_by("sequence")] == [
        "received",
        "accepted",
        "assessment_started",
        "intervention_started",
        "completed",
    ]
    statuses = Referral.objects.with_status_as_at(datetime.date(2024, 4, 30)).in_team(team_a)
    assert dict(statuses.values_list("reference", "status_as_at")) == {
        "A-1": "in_progress",
        "A-2": "disengaged_at_referral",
        "A-3": None,
    }
    assert Referral.objects.get(reference="A-2").is_antenatal
    assert Referral.objects.get(reference="A-2").events.last().disengagement_reason.code == "moved_away"
    assert (a1.safeguarding_level, a1.risk_count, a1.imd_decile) == (2, 3, 1)
    assert sorted(a1.complexities.values_list("code", flat=True)) == ["domestic_abuse", "parental_mental_health"]
    t1 = Questionnaire.objects.get(referral=a1, instrument="phq9", timepoint="T1")
    assert (t1.status, t1.score_source, t1.scores.get().value) == ("complete", "items", 18.0)
    t2 = Questionnaire.objects.get(referral=a1, instrument="phq9", timepoint="T2")
    assert (t2.score_source, t2.scores.get().value) == ("totals", 7.0)
    assert Questionnaire.objects.get(instrument="gad7").caregiver.position == 2
    assert Consultation.objects.get(sequence=2).children is None
    assert InterventionEpisode.objects.get(intervention__code="vig").sessions_attended == 8


def test_imports_are_attributed_and_marked_in_the_audit_trail(tmp_path, team_a, manager):
    run(write_files(tmp_path, files={name: None for name in FILES if name != "training.csv"}), team_a, manager)
    entry = LogEntry.objects.get_for_object(TrainingSession.objects.get()).get()
    assert entry.actor == manager
    assert entry.cid.startswith("import-")


def test_importing_twice_changes_nothing(tmp_path, team_a, manager):
    write_files(tmp_path)
    run(tmp_path, team_a, manager)
    first = snapshot()
    result = run(tmp_path, team_a, manager)
    assert snapshot() == first
    assert all(c.created == c.updated == 0 for c in result.files.values())
    assert result.files["referrals.csv"].unchanged == 3


def test_a_corrected_row_updates_exactly_one_record(tmp_path, team_a, manager):
    run(write_files(tmp_path), team_a, manager)
    corrected = [dict(REFERRALS[0], status="in_progress", status_on="", risk_count="5"), *REFERRALS[1:]]
    result = run(write_files(tmp_path, **{"referrals.csv": corrected}), team_a, manager)
    counts = result.files["referrals.csv"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 2)
    a1 = Referral.objects.with_current_status().get(reference="A-1")
    assert (a1.status_as_at, a1.risk_count) == ("in_progress", 5)
    assert all(c.updated == 0 for name, c in result.files.items() if name != "referrals.csv")


def test_a_later_status_extends_the_history(tmp_path, team_a, manager):
    run(write_files(tmp_path), team_a, manager)
    decided = [*REFERRALS[:2], dict(REFERRALS[2], decision="accepted", decision_on="2024-06-25")]
    run(write_files(tmp_path, **{"referrals.csv": decided}), team_a, manager)
    a3 = Referral.objects.get(reference="A-3")
    assert list(a3.events.order_by("sequence").values_list("kind", flat=True)) == ["received", "accepted"]


def test_a_dry_run_counts_and_writes_nothing(tmp_path, team_a, manager):
    before = snapshot()
    result = run(write_files(tmp_path), team_a, manager, dry_run=True)
    assert result.files["referrals.csv"].created == 3
    assert snapshot() == before


def test_a_workbook_gives_the_same_result_as_csv_files(tmp_path, team_a, team_b, manager, practitioner_b):
    run(write_files(tmp_path), team_a, manager)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in FILES.items():
        sheet = workbook.create_sheet(name.removesuffix(".csv"))
        columns = columns_of(rows)
        sheet.append(columns)
        for row in rows:
            values = [row.get(column, "") or None for column in columns]
            # A workbook may hold real dates: use them for every date column.
            sheet.append(
                [
                    datetime.date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 and v[4] == "-" else v
                    for v in values
                ]
            )
    workbook.save(tmp_path / "monitoring.xlsx")
    monitoring_import(path=tmp_path / "monitoring.xlsx", team=team_b, actor=practitioner_b, today=TODAY)

    def team_rows(team):
        return {
            "referrals": sorted(Referral.objects.in_team(team).values_list("reference", "received_on", "pathway")),
            "events": sorted(
                PipelineEvent.objects.filter(referral__team=team).values_list(
                    "referral__reference", "kind", "occurred_on", "status"
                )
            ),
            "scores": sorted(
                Questionnaire.objects.filter(referral__team=team).values_list(
                    "referral__reference", "instrument", "timepoint", "scores__value"
                )
            ),
            "training": list(TrainingSession.objects.in_team(team).values_list("date", "title", "participants")),
            "consultations": sorted(Consultation.objects.in_team(team).values_list("date", "sequence", "outcome")),
            "awareness": list(AwarenessEvent.objects.in_team(team).values_list("date", "people_engaged")),
            "universal": list(UniversalOfferContact.objects.in_team(team).values_list("date", "dyads")),
        }

    assert team_rows(team_b) == team_rows(team_a)


# Each bad input: its own error line, and nothing written -----------------------------------------------------------


def test_an_unknown_code(tmp_path, team_a, manager):
    bad = [dict(REFERRALS[0], referrer_service="health_visitor"), *REFERRALS[1:]]
    problems = rejected(write_files(tmp_path, **{"referrals.csv": bad}), team_a, manager)
    assert len(problems) == 1
    assert problems[0].startswith("referrals.csv:2: referrer_service: unknown code 'health_visitor' (expected one of:")


def test_an_impossible_date(tmp_path, team_a, manager):
    bad = [dict(TRAINING[0], date="2024-02-30")]
    problems = rejected(write_files(tmp_path, **{"training.csv": bad}), team_a, manager)
    assert problems == ["training.csv:2: date: '2024-02-30' is not a real date"]


def test_a_date_in_the_future(tmp_path, team_a, manager):
    bad = [*AWARENESS, dict(AWARENESS[0], date="2024-07-01", title="Next week")]
    problems = rejected(write_files(tmp_path, **{"awareness.csv": bad}), team_a, manager)
    assert problems == ["awareness.csv:3: date: 2024-07-01 is in the future"]


def test_a_decision_before_the_referral(tmp_path, team_a, manager):
    bad = [dict(REFERRALS[0], decision_on="2024-01-09"), *REFERRALS[1:]]
    problems = rejected(write_files(tmp_path, **{"referrals.csv": bad}), team_a, manager)
    assert problems == ["referrals.csv:2: decision_on: is before received_on"]


def test_an_infant_born_more_than_ten_months_after_the_referral(tmp_path, team_a, manager):
    bad = [REFERRALS[0], dict(REFERRALS[1], infant_date_of_birth="2024-12-20"), REFERRALS[2]]
    problems = rejected(write_files(tmp_path, **{"referrals.csv": bad}), team_a, manager)
    assert problems == ["referrals.csv:3: infant_date_of_birth: 2024-12-20 is in the future"]
    bad = [REFERRALS[0], dict(REFERRALS[1], received_on="2023-01-10", decision_on="2023-01-11"), REFERRALS[2]]
    problems = rejected(write_files(tmp_path, **{"referrals.csv": bad}), team_a, manager)
    assert problems == [
        "referrals.csv:3: infant_date_of_birth: the infant was born more than 10 months after the referral"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"decision": "accepted", "status": "not_accepted"},
            "referrals.csv:2: status: not_accepted contradicts the decision accepted",
        ),
        (
            {"decision": "pending", "decision_on": "", "assessment_started_on": "", "intervention_started_on": ""},
            "referrals.csv:2: status: completed contradicts the decision pending",
        ),
        ({"intervention_started_on": ""}, "referrals.csv:2: status: completed needs an intervention_started_on"),
    ],
)
def test_a_status_that_contradicts_the_decision(tmp_path, team_a, manager, change, expected):
    bad = [dict(REFERRALS[0], **change), *REFERRALS[1:]]
    problems = rejected(write_files(tmp_path, **{"referrals.csv": bad}), team_a, manager)
    assert problems == [expected]


def test_an_out_of_range_score(tmp_path, team_a, manager):
    bad = [*OUTCOMES[:1], dict(OUTCOMES[1], total="28"), *OUTCOMES[2:]]
    problems = rejected(write_files(tmp_path, **{"outcomes.csv": bad}), team_a, manager)
    assert problems == ["outcomes.csv:3: total: The PHQ-9 total score must be a whole number from 0 to 27."]


def test_an_out_of_range_answer(tmp_path, team_a, manager):
    bad = [dict(OUTCOMES[0], item_4="4"), *OUTCOMES[1:]]
    problems = rejected(write_files(tmp_path, **{"outcomes.csv": bad}), team_a, manager)
    assert problems == ["outcomes.csv:2: item_4: PHQ-9 item 4 must be a whole number from 0 to 3."]


def test_items_that_disagree_with_the_total(tmp_path, team_a, manager):
    bad = [dict(OUTCOMES[0], total="17"), *OUTCOMES[1:]]
    problems = rejected(write_files(tmp_path, **{"outcomes.csv": bad}), team_a, manager)
    assert problems == ["outcomes.csv:2: total: The PHQ-9 total score 17 does not match the items, which give 18."]


def test_a_duplicate_key_within_the_file(tmp_path, team_a, manager):
    bad = [*CONSULTATIONS, dict(CONSULTATIONS[0], outcome="signposted")]
    problems = rejected(write_files(tmp_path, **{"consultations.csv": bad}), team_a, manager)
    assert problems == ["consultations.csv:4: date: duplicate key (2024-03-05, health_visiting, 1): also on row 2"]


def test_a_missing_required_column(tmp_path, team_a, manager):
    bad = [{k: v for k, v in row.items() if k != "status"} for row in REFERRALS]
    problems = rejected(write_files(tmp_path, **{"referrals.csv": bad}), team_a, manager)
    assert problems == ["referrals.csv:1: status: required column is missing"]


def test_a_reference_to_no_referral(tmp_path, team_a, manager):
    bad = [*INTERVENTIONS, dict(INTERVENTIONS[0], reference="B-9")]
    problems = rejected(write_files(tmp_path, **{"interventions.csv": bad}), team_a, manager)
    assert problems == ["interventions.csv:4: reference: no referral 'B-9'"]


def test_a_file_that_is_not_utf8(tmp_path, team_a, manager):
    write_files(tmp_path)
    (tmp_path / "awareness.csv").write_bytes("date,title,people_engaged\n2024-04-01,Caf\u00e9,4\n".encode("latin-1"))
    assert rejected(tmp_path, team_a, manager) == ["awareness.csv:2: (file): the file is not UTF-8 text"]


def test_a_file_that_is_not_csv(tmp_path, team_a, manager):
    write_files(tmp_path)
    (tmp_path / "universal.csv").write_bytes(b"\x00\x01\x02\x03 binary \x00\x00")
    assert rejected(tmp_path, team_a, manager) == [
        "universal.csv:1: (file): the file holds binary data: it is not a CSV file"
    ]


def test_an_empty_file(tmp_path, team_a, manager):
    write_files(tmp_path)
    (tmp_path / "training.csv").write_text("")
    assert rejected(tmp_path, team_a, manager) == ["training.csv:1: (file): the file is empty"]


def test_a_rule_only_the_services_know_rolls_everything_back(tmp_path, team_a, manager):
    # The episode starts before the referral's intervention stage began: the pipeline refuses it while writing.
    bad = [*INTERVENTIONS, {"reference": "A-1", "intervention": "emdr", "started_on": "2024-01-11"}]
    problems = rejected(write_files(tmp_path, **{"interventions.csv": bad}), team_a, manager)
    assert len(problems) == 1
    assert problems[0].startswith("interventions.csv:4: ")


def test_the_command_prints_the_problems_and_exits_1(tmp_path, team_a, manager):
    bad = [dict(TRAINING[0], participants="-1")]
    write_files(tmp_path, **{"training.csv": bad})
    err = StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_monitoring", str(tmp_path), "--team", "team-a", "--user", manager.username, stderr=err)
    assert exit_status.value.code == 1
    assert "training.csv:2: participants: -1 is below 0" in err.getvalue()
    assert not Referral.objects.exists()


def test_the_command_reports_a_dry_run(tmp_path, team_a, manager):
    write_files(
        tmp_path,
        files={name: None for name in FILES},
        **{"referrals.csv": [dict(REFERRALS[2], received_on="2024-01-01")]},
    )
    out = StringIO()
    call_command(
        "import_monitoring", str(tmp_path), "--team", "team-a", "--user", manager.username, "--dry-run", stdout=out
    )
    assert "referrals.csv: 1 rows: 1 would be created, 0 would be updated, 0 unchanged" in out.getvalue()
    assert not Referral.objects.exists()
