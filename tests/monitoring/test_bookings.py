"""appointments.csv and group_places.csv (data-contract.md section 1): the same all-or-nothing import, through the
booking, outcome, programme and place services, checked against each referral's own dates."""

import datetime

import pytest
from django.utils import timezone
from openpyxl import Workbook

from monitoring.importer import monitoring_import
from referrals.models import Appointment, GroupPlace, GroupProgramme, Referral
from tests.factories import GroupProgrammeFactory, UserFactory
from tests.monitoring.test_importer import FILES, REFERRALS, TODAY, rejected, run, snapshot, write_files

pytestmark = pytest.mark.django_db

MORE_REFERRALS = [
    {
        "reference": "A-4",
        "received_on": "2024-05-01",
        "pathway": "group",
        "referrer_service": "gp",
        "caregiver_role": "mother",
        "antenatal": "no",
        "decision": "accepted",
        "decision_on": "2024-05-03",
        "status": "in_progress",
    },
    {
        "reference": "A-5",
        "received_on": "2024-04-02",
        "pathway": "individual",
        "referrer_service": "gp",
        "caregiver_role": "mother",
        "antenatal": "no",
        "decision": "accepted",
        "decision_on": "2024-04-05",
        "assessment_started_on": "2024-04-20",
        "status": "in_progress",
    },
]
WAITING = {
    "reference": "A-6",
    "received_on": "2024-05-01",
    "pathway": "individual",
    "referrer_service": "gp",
    "caregiver_role": "mother",
    "antenatal": "no",
    "decision": "accepted",
    "decision_on": "2024-05-02",
    "status": "in_progress",
}
APPOINTMENTS = [
    # A-1 completed on 2024-05-01: its history is kept although the referral is closed today.
    {
        "reference": "A-1",
        "starts_at": "2024-01-20 10:00",
        "kind": "assessment",
        "mode": "home",
        "outcome": "attended",
        "practitioner": "practitioner_a",
    },
    {
        "reference": "A-1",
        "starts_at": "2024-02-08 14:30",
        "kind": "intervention",
        "mode": "clinic",
        "outcome": "attended",
        "practitioner": "practitioner_a",
    },
    {
        "reference": "A-1",
        "starts_at": "2024-03-01 14:30",
        "kind": "Intervention ",
        "mode": "clinic",
        "outcome": "did_not_attend",
        "practitioner": "manager_a",
    },
    {
        "reference": "A-5",
        "starts_at": "2024-04-20 09:30",
        "kind": "assessment",
        "mode": "Family_Hub",
        "outcome": "attended",
        "practitioner": "practitioner_a",
    },
    {
        "reference": "A-5",
        "starts_at": "2024-06-26 11:00",
        "kind": "review",
        "mode": "telephone",
        "outcome": "",
        "practitioner": "practitioner_a",
    },
    # In the future: no outcome yet, and the importing user holds it.
    {"reference": "A-5", "starts_at": "2024-07-03", "kind": "review", "mode": "", "outcome": "", "practitioner": ""},
]
GROUP_PLACES = [
    {
        "reference": "A-2",
        "intervention": "circle_of_security",
        "programme_starts_on": "2024-03-04",
        "programme_title": "Spring, Layton",
        "offered_on": "2024-02-15",
        "status": "declined",
        "responded_on": "2024-02-20",
    },
    {
        "reference": "A-4",
        "intervention": "circle_of_security",
        "programme_starts_on": "2024-07-15",
        "programme_title": "Summer",
        "offered_on": "2024-06-10",
        "status": "offered",
        "responded_on": "",
    },
    {
        "reference": "A-4",
        "intervention": "mellow",
        "programme_starts_on": "2024-05-20",
        "programme_title": "",
        "offered_on": "2024-05-10",
        "status": "taken_up",
        "responded_on": "2024-05-12",
    },
]
BOOKINGS = {
    "referrals.csv": [*REFERRALS, *MORE_REFERRALS],
    "appointments.csv": APPOINTMENTS,
    "group_places.csv": GROUP_PLACES,
}


@pytest.fixture
def cast(practitioner, manager):
    return {"practitioner": practitioner, "manager": manager}


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def files(tmp_path, **replace):
    return write_files(tmp_path, files=BOOKINGS, **replace)


def only(folder, **given):
    """A new folder of only the files given."""
    folder.mkdir()
    return write_files(folder, files={name: None for name in [*FILES, *BOOKINGS]}, **given)


def problems_with(tmp_path, team, user, **replace) -> list[str]:
    return rejected(files(tmp_path, **replace), team, user)


def test_a_clean_import_books_the_appointments_and_offers_the_places(tmp_path, team_a, cast):
    manager = cast["manager"]
    result = run(files(tmp_path), team_a, manager)
    counts = {name: (c.created, c.updated, c.unchanged) for name, c in result.files.items()}
    assert counts["appointments.csv"] == (6, 0, 0)
    assert counts["group_places.csv"] == (3, 0, 0)
    appointments = Appointment.objects.order_by("starts_at")
    assert [
        (a.referral.reference, a.starts_at, a.kind, a.mode, a.outcome, a.practitioner.username, a.booked_by)
        for a in appointments
    ] == [
        ("A-1", at("2024-01-20 10:00"), "assessment", "home", "attended", "practitioner_a", manager),
        ("A-1", at("2024-02-08 14:30"), "intervention", "clinic", "attended", "practitioner_a", manager),
        ("A-1", at("2024-03-01 14:30"), "intervention", "clinic", "did_not_attend", "manager_a", manager),
        ("A-5", at("2024-04-20 09:30"), "assessment", "family_hub", "attended", "practitioner_a", manager),
        ("A-5", at("2024-06-26 11:00"), "review", "telephone", "", "practitioner_a", manager),
        ("A-5", at("2024-07-03 09:00"), "review", "", "", "manager_a", manager),
    ]
    # Attended appointments of referrals whose dates referrals.csv gives move nothing further.
    a1 = Referral.objects.get(reference="A-1")
    assert list(a1.events.values_list("kind", flat=True)) == [
        "received",
        "accepted",
        "assessment_started",
        "intervention_started",
        "completed",
    ]
    runs = GroupProgramme.objects.in_team(team_a).order_by("starts_on")
    assert [(r.intervention.code, r.starts_on, r.title, r.places_offered) for r in runs] == [
        ("circle_of_security", datetime.date(2024, 3, 4), "Spring, Layton", 1),
        ("mellow", datetime.date(2024, 5, 20), "Starting 20 May 2024", 1),
        ("circle_of_security", datetime.date(2024, 7, 15), "Summer", 1),
    ]
    places = GroupPlace.objects.order_by("offered_on")
    assert [(p.referral.reference, p.waiting_since, p.offered_on, p.status, p.responded_on) for p in places] == [
        ("A-2", datetime.date(2024, 2, 11), datetime.date(2024, 2, 15), "declined", datetime.date(2024, 2, 20)),
        ("A-4", datetime.date(2024, 5, 3), datetime.date(2024, 5, 10), "taken_up", datetime.date(2024, 5, 12)),
        ("A-4", datetime.date(2024, 5, 3), datetime.date(2024, 6, 10), "offered", None),
    ]


def test_importing_twice_changes_nothing(tmp_path, team_a, cast):
    files(tmp_path)
    run(tmp_path, team_a, cast["manager"])
    first = snapshot()
    result = run(tmp_path, team_a, cast["manager"])
    assert snapshot() == first
    assert result.files["appointments.csv"].unchanged == 6
    assert result.files["group_places.csv"].unchanged == 3


def test_a_second_importer_leaves_blank_practitioners_as_recorded(tmp_path, team_a, cast):
    run(files(tmp_path), team_a, cast["manager"])
    first = snapshot()
    result = run(tmp_path, team_a, cast["practitioner"])
    assert snapshot() == first
    assert result.files["appointments.csv"].unchanged == 6


def test_a_corrected_file_records_outcomes_and_replies(tmp_path, team_a, cast):
    run(files(tmp_path), team_a, cast["manager"])
    later = [*APPOINTMENTS[:4], dict(APPOINTMENTS[4], outcome="cancelled_by_family"), APPOINTMENTS[5]]
    replied = [*GROUP_PLACES[:1], dict(GROUP_PLACES[1], status="taken_up", responded_on="2024-06-12"), GROUP_PLACES[2]]
    result = run(files(tmp_path, **{"appointments.csv": later, "group_places.csv": replied}), team_a, cast["manager"])
    assert (result.files["appointments.csv"].updated, result.files["appointments.csv"].unchanged) == (1, 5)
    assert (result.files["group_places.csv"].updated, result.files["group_places.csv"].unchanged) == (1, 2)
    assert Appointment.objects.get(starts_at=at("2024-06-26 11:00")).outcome == "cancelled_by_family"
    place = GroupPlace.objects.get(programme__title="Summer")
    assert (place.status, place.responded_on) == ("taken_up", datetime.date(2024, 6, 12))


def test_an_attended_assessment_appointment_starts_the_assessment_as_in_the_browser(tmp_path, team_a, cast):
    run(only(tmp_path / "referrals", **{"referrals.csv": [WAITING]}), team_a, cast["manager"])
    attended = [dict(APPOINTMENTS[0], reference="A-6", starts_at="2024-05-10 10:00")]
    only(tmp_path / "appointments", **{"appointments.csv": attended})
    for _ in range(2):  # the second time changes nothing
        run(tmp_path / "appointments", team_a, cast["manager"])
        a6 = Referral.objects.get(reference="A-6")
        assert list(a6.events.values_list("kind", "occurred_on")) == [
            ("received", datetime.date(2024, 5, 1)),
            ("accepted", datetime.date(2024, 5, 2)),
            ("assessment_started", datetime.date(2024, 5, 10)),
        ]


def test_a_referral_cannot_go_back_to_waiting_after_its_appointment_started_the_assessment(tmp_path, team_a, cast):
    run(only(tmp_path / "referrals", **{"referrals.csv": [WAITING]}), team_a, cast["manager"])
    attended = [dict(APPOINTMENTS[0], reference="A-6", starts_at="2024-05-10 10:00")]
    run(only(tmp_path / "appointments", **{"appointments.csv": attended}), team_a, cast["manager"])
    assert rejected(tmp_path / "referrals", team_a, cast["manager"]) == [
        "referrals.csv:2: assessment_started_on: is blank, but the attended assessment appointment of 2024-05-10 "
        "recorded for A-6 started the assessment"
    ]
    started = [dict(WAITING, assessment_started_on="2024-05-10")]
    result = run(only(tmp_path / "started", **{"referrals.csv": started}), team_a, cast["manager"])
    assert result.files["referrals.csv"].unchanged == 1


def test_referrals_csv_must_not_contradict_an_attended_assessment_appointment(tmp_path, team_a, cast):
    attended = [dict(APPOINTMENTS[0], reference="A-6", starts_at="2024-05-10 10:00")]
    problems = rejected(
        only(tmp_path / "both", **{"referrals.csv": [WAITING], "appointments.csv": attended}), team_a, cast["manager"]
    )
    assert problems == [
        "appointments.csv:2: outcome: an attended assessment appointment starts the assessment, but referrals.csv "
        "gives A-6 no assessment_started_on (on 2024-05-10 at the latest)"
    ]


def test_an_attended_assessment_appointment_before_the_decision(tmp_path, team_a, cast):
    bad = [
        dict(APPOINTMENTS[0], starts_at="2024-01-11 10:00"),
        *APPOINTMENTS[1:],
        dict(APPOINTMENTS[0], reference="A-3", starts_at="2024-06-25 10:00"),
    ]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"appointments.csv": bad}) == [
        "appointments.csv:2: outcome: an attended assessment appointment before the decision (the referral was "
        "awaiting a decision on 2024-01-11)",
        "appointments.csv:8: outcome: an attended assessment appointment before the decision (the referral was "
        "awaiting a decision on 2024-06-25)",
    ]


def test_a_future_appointment_cannot_have_an_outcome(tmp_path, team_a, cast):
    bad = [*APPOINTMENTS[:5], dict(APPOINTMENTS[5], outcome="attended")]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"appointments.csv": bad}) == [
        "appointments.csv:7: outcome: an appointment in the future cannot have an outcome yet"
    ]


def test_the_practitioner_is_a_practitioner_or_manager_of_the_team(
    tmp_path, team_a, cast, commissioner, practitioner_b
):
    bad = [
        dict(APPOINTMENTS[0], practitioner="nobody"),
        dict(APPOINTMENTS[1], practitioner="commissioner_a"),
        dict(APPOINTMENTS[2], practitioner="practitioner_b"),
        dict(APPOINTMENTS[3], practitioner="Practitioner_A"),
        *APPOINTMENTS[4:],
    ]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"appointments.csv": bad}) == [
        "appointments.csv:2: practitioner: 'nobody' is not a practitioner or service manager of this team",
        "appointments.csv:3: practitioner: 'commissioner_a' is not a practitioner or service manager of this team",
        "appointments.csv:4: practitioner: 'practitioner_b' is not a practitioner or service manager of this team",
        "appointments.csv:5: practitioner: 'Practitioner_A' is not a practitioner or service manager of this team",
    ]


def test_a_blank_practitioner_needs_an_importing_user_of_the_team(tmp_path, team_a, cast):
    administrator = UserFactory(username="administrator", is_superuser=True)
    assert rejected(files(tmp_path), team_a, administrator) == [
        "appointments.csv:7: practitioner: is blank, so the appointment would be the importing user's "
        "(administrator), who is not a practitioner or service manager of this team"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"reference": ""}, "reference: is required"),
        ({"reference": "B-9"}, "reference: no referral 'B-9'"),
        ({"starts_at": ""}, "starts_at: is required"),
        (
            {"starts_at": "20/01/2024 10:00"},
            "starts_at: '20/01/2024 10:00' is not a date and time in the form YYYY-MM-DD HH:MM",
        ),
        (
            {"starts_at": "2024-01-20 10:00:00"},
            "starts_at: '2024-01-20 10:00:00' is not a date and time in the form YYYY-MM-DD HH:MM",
        ),
        ({"starts_at": "2024-02-30 10:00"}, "starts_at: '2024-02-30 10:00' is not a real date and time"),
        ({"starts_at": "2024-01-20 24:00"}, "starts_at: '2024-01-20 24:00' is not a real date and time"),
        ({"starts_at": "2024-01-09 10:00"}, "starts_at: is before the referral was received, on 2024-01-10"),
        (
            {"starts_at": "2024-05-02 10:00", "kind": "review"},
            "starts_at: the referral was completed on 2024-05-02: appointments are for open referrals",
        ),
        ({"kind": ""}, "kind: is required"),
        ({"kind": "visit"}, "kind: unknown code 'visit' (expected one of: assessment, intervention, other, review)"),
        ({"mode": "car"}, "mode: unknown code 'car' (expected one of: clinic, family_hub, home, telephone, video)"),
        (
            {"outcome": "came"},
            "outcome: unknown code 'came' (expected one of: attended, cancelled_by_family, cancelled_by_service, "
            "did_not_attend)",
        ),
    ],
)
def test_each_bad_appointment_cell(tmp_path, team_a, cast, change, expected):
    bad = [dict(APPOINTMENTS[0], **change), *APPOINTMENTS[1:]]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"appointments.csv": bad}) == [
        f"appointments.csv:2: {expected}"
    ]


def test_an_appointment_on_the_day_its_referral_closed_is_kept(tmp_path, team_a, cast):
    last = [*APPOINTMENTS, dict(APPOINTMENTS[1], starts_at="2024-05-01 16:00")]
    run(files(tmp_path, **{"appointments.csv": last}), team_a, cast["manager"])
    assert Appointment.objects.filter(starts_at=at("2024-05-01 16:00"), referral__reference="A-1").exists()


def test_the_key_of_an_appointment_is_its_referral_and_start(tmp_path, team_a, cast):
    # A date alone is 09:00, so these two rows name the same appointment.
    bad = [
        *APPOINTMENTS,
        dict(APPOINTMENTS[5], starts_at="2024-07-03 09:00", kind="other"),
        dict(APPOINTMENTS[4], reference="A-1", starts_at="2024-01-20 10:00"),
    ]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"appointments.csv": bad}) == [
        "appointments.csv:8: reference: duplicate key (A-5, 2024-07-03 09:00): also on row 7",
        "appointments.csv:9: reference: duplicate key (A-1, 2024-01-20 10:00): also on row 2",
    ]


def test_what_the_browser_cannot_change_an_import_cannot_either(tmp_path, team_a, cast):
    run(files(tmp_path), team_a, cast["manager"])
    changed = [dict(APPOINTMENTS[0], kind="review", mode="", practitioner=""), *APPOINTMENTS[1:]]
    moved = [*GROUP_PLACES[:2], dict(GROUP_PLACES[2], offered_on="2024-05-11")]
    assert problems_with(
        tmp_path, team_a, cast["manager"], **{"appointments.csv": changed, "group_places.csv": moved}
    ) == [
        "appointments.csv:2: kind: the appointment is recorded with kind assessment: an import does not change it",
        "group_places.csv:4: offered_on: the place is recorded with offered_on 2024-05-10: an import does not "
        "change it",
    ]
    withdrawn = [dict(GROUP_PLACES[0], status="offered", responded_on=""), *GROUP_PLACES[1:]]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"group_places.csv": withdrawn}) == [
        "group_places.csv:2: status: the place is recorded as declined on 2024-02-20: an import does not withdraw "
        "a reply"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"reference": "A-1"}, "reference: A-1 is on the individual pathway, not group"),
        ({"reference": "B-9"}, "reference: no referral 'B-9'"),
        (
            {"intervention": "vig"},
            "intervention: unknown code 'vig' (expected one of: baby_steps, circle_of_security, infant_massage, "
            "mellow, together_time)",
        ),
        ({"programme_starts_on": ""}, "programme_starts_on: is required"),
        (
            {"programme_starts_on": "4 March 2024"},
            "programme_starts_on: '4 March 2024' is not a date in the form YYYY-MM-DD",
        ),
        ({"offered_on": ""}, "offered_on: is required"),
        (
            {"offered_on": "2024-07-01", "status": "offered", "responded_on": ""},
            "offered_on: 2024-07-01 is in the future",
        ),
        (
            {"offered_on": "2024-02-10"},
            "offered_on: the referral was awaiting decision on 2024-02-10: places are offered to accepted referrals "
            "that are still open",
        ),
        (
            {"offered_on": "2024-03-02", "responded_on": "2024-03-03"},
            "offered_on: the referral was disengaged at referral on 2024-03-02: places are offered to accepted "
            "referrals that are still open",
        ),
        ({"status": ""}, "status: is required"),
        ({"status": "waiting"}, "status: unknown code 'waiting' (expected one of: declined, offered, taken_up)"),
        ({"responded_on": ""}, "responded_on: is required"),
        ({"status": "offered"}, "responded_on: must be empty while the place is offered"),
        ({"responded_on": "2024-02-14"}, "responded_on: is before offered_on"),
        ({"responded_on": "2024-07-01"}, "responded_on: 2024-07-01 is in the future"),
    ],
)
def test_each_bad_group_place_cell(tmp_path, team_a, cast, change, expected):
    bad = [dict(GROUP_PLACES[0], **change), *GROUP_PLACES[1:]]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"group_places.csv": bad}) == [
        f"group_places.csv:2: {expected}"
    ]


def test_a_future_run_and_an_offer_awaiting_a_reply_are_allowed(tmp_path, team_a, cast):
    run(files(tmp_path, **{"group_places.csv": GROUP_PLACES[1:2]}), team_a, cast["manager"])
    place = GroupPlace.objects.get()
    assert (place.programme.starts_on, place.status, place.responded_on) == (
        datetime.date(2024, 7, 15),
        "offered",
        None,
    )


def test_the_key_of_a_place_is_its_referral_and_run_and_a_run_has_one_title(tmp_path, team_a, cast):
    bad = [
        *GROUP_PLACES,
        dict(GROUP_PLACES[1], offered_on="2024-06-11"),
        dict(
            GROUP_PLACES[0],
            reference="A-4",
            offered_on="2024-05-03",
            responded_on="2024-05-04",
            programme_title="Spring, Central",
        ),
    ]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"group_places.csv": bad}) == [
        "group_places.csv:5: reference: duplicate key (A-4, circle_of_security, 2024-07-15): also on row 3",
        "group_places.csv:6: programme_title: the same run is titled 'Spring, Layton' on row 2",
    ]


def test_a_place_joins_the_run_already_recorded(tmp_path, team_a, cast):
    spring = GroupProgrammeFactory(team=team_a, title="Spring, Layton", starts_on=datetime.date(2024, 3, 4))
    GroupProgrammeFactory(team=team_a, title="Spring, Central", starts_on=datetime.date(2024, 3, 4))
    run(files(tmp_path), team_a, cast["manager"])
    assert GroupPlace.objects.get(referral__reference="A-2").programme == spring
    untitled = [dict(GROUP_PLACES[0], programme_title=""), *GROUP_PLACES[1:]]
    assert problems_with(tmp_path, team_a, cast["manager"], **{"group_places.csv": untitled}) == [
        "group_places.csv:2: programme_title: 2 runs start that day ('Spring, Central', 'Spring, Layton'): give the "
        "title of one of them"
    ]


def test_a_workbook_gives_times_as_real_cells(tmp_path, team_a, cast):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "appointments"
    sheet.append(["reference", "starts_at", "kind", "outcome", "practitioner"])
    sheet.append(["A-5", datetime.datetime(2024, 4, 20, 9, 29, 59, 999000), "assessment", "attended", "practitioner_a"])
    sheet.append(["A-5", datetime.date(2024, 7, 3), "review", None, "practitioner_a"])
    workbook.save(tmp_path / "appointments.xlsx")
    run(only(tmp_path / "referrals", **{"referrals.csv": MORE_REFERRALS}), team_a, cast["manager"])
    monitoring_import(path=tmp_path / "appointments.xlsx", team=team_a, actor=cast["manager"], today=TODAY)
    assert sorted(Appointment.objects.values_list("starts_at", flat=True)) == [
        at("2024-04-20 09:30"),
        at("2024-07-03 09:00"),
    ]
