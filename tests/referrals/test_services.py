import datetime
import uuid

import pytest
from auditlog.context import set_extra_data
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.models import Service
from referrals import services
from referrals.audit import audit_history, audit_rows
from referrals.models import (
    Appointment,
    Complexity,
    DeclineReason,
    DisengagementReason,
    GroupPlace,
    HoldReason,
    Intervention,
    PipelineEvent,
    Referral,
    ThriveLevel,
)
from referrals.pipeline import EventKind, Stage, State, Status
from tests.factories import AppointmentFactory, GroupProgrammeFactory
from tests.referrals.builders import TODAY

pytestmark = pytest.mark.django_db

YESTERDAY = TODAY - datetime.timedelta(days=1)


def reason_of(code: str, vocabulary: str = "disengagement"):
    models: dict[str, type[DisengagementReason] | type[DeclineReason]] = {
        "disengagement": DisengagementReason,
        "decline": DeclineReason,
    }
    return models[vocabulary].objects.get(code=code)


def new_referral(team, actor, **overrides):
    arguments = {
        "team": team,
        "actor": actor,
        "received_on": YESTERDAY,
        "pathway": "individual",
        "referrer_service": Service.objects.get(code="midwifery"),
        "reason": "Anxious about bonding with her baby after a traumatic birth.",
        "consent_to_share": True,
        "caregivers": [
            {
                "name": "Amy Bell",
                "role": "mother",
                "date_of_birth": datetime.date(1996, 2, 29),
                "ethnicity": "white",
                "postcode": "fy1 1ad",
                "nhs_number": "943 476 5919",
            }
        ],
        "infants": [{"name": "", "due_date": TODAY + datetime.timedelta(days=60)}],
        **overrides,
    }
    return services.referral_create(**arguments)


# Creating a referral --------------------------------------------------------------------------------------------


def test_a_new_referral_gets_the_next_reference_of_its_team_and_its_received_event(team_a, team_b, practitioner):
    first = new_referral(team_a, practitioner, complexities=Complexity.objects.filter(code="domestic_abuse"))
    second = new_referral(team_a, practitioner)
    assert (first.reference, second.reference) == ("REF-000001", "REF-000002")
    assert first.created_by == practitioner
    assert list(first.complexities.values_list("code", flat=True)) == ["domestic_abuse"]
    event = first.events.get()
    assert (event.kind, event.occurred_on, event.status, event.recorded_by) == (
        EventKind.RECEIVED,
        YESTERDAY,
        Status.AWAITING_DECISION,
        practitioner,
    )
    caregiver = first.caregivers.get()
    assert (caregiver.position, caregiver.nhs_number, caregiver.postcode, caregiver.birth_year) == (
        1,
        "9434765919",
        "FY1 1AD",
        1996,
    )
    assert first.is_antenatal is True
    assert Referral.objects.in_team(team_b).count() == 0


def test_imports_give_their_own_reference_antenatal_flag_and_history(team_a, manager):
    referral = new_referral(
        team_a,
        manager,
        reference="BPL-2023-017",
        received_on=datetime.date(2023, 4, 3),
        is_antenatal=True,
        infants=[],
        caregivers=[{"role": "mother", "birth_year": 1990, "ethnicity": "white"}],
        first_contact_on=datetime.date(2023, 4, 11),
    )
    assert (referral.reference, referral.is_antenatal, referral.first_contact_on) == (
        "BPL-2023-017",
        True,
        datetime.date(2023, 4, 11),
    )
    with pytest.raises(ValidationError):
        new_referral(team_a, manager, reference="BPL-2023-017")


def test_a_resubmitted_form_creates_nothing_and_names_the_referral_already_created(team_a, practitioner):
    token = uuid.uuid4()
    created = new_referral(team_a, practitioner, submission_token=token)
    with pytest.raises(services.DuplicateSubmission) as duplicate:
        new_referral(team_a, practitioner, submission_token=token)
    assert duplicate.value.referral == created
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_on": TODAY + datetime.timedelta(days=1)}, "received_on"),
        ({"first_contact_on": YESTERDAY - datetime.timedelta(days=3)}, "first_contact_on"),
        ({"caregivers": [{"role": "mother", "nhs_number": "9434765918"}]}, "nhs_number"),
        ({"infants": [{"name": "No dates"}]}, "__all__"),
    ],
)
def test_a_referral_with_impossible_details_is_refused_whole(team_a, practitioner, overrides, field):
    with pytest.raises(ValidationError) as refused:
        new_referral(team_a, practitioner, **overrides)
    assert field in refused.value.message_dict
    assert not Referral.objects.exists()
    assert not PipelineEvent.objects.exists()


def test_only_clinicians_of_the_team_create_or_hold_referrals(team_a, practitioner, practitioner_b, commissioner):
    with pytest.raises(ValidationError, match="permission"):
        new_referral(team_a, commissioner)
    with pytest.raises(ValidationError, match="permission"):
        new_referral(team_a, practitioner_b)
    with pytest.raises(ValidationError) as refused:
        new_referral(team_a, practitioner, assigned_practitioner=practitioner_b)
    assert "assigned_practitioner" in refused.value.message_dict


def test_creation_is_audited_with_the_actor_and_filed_under_the_referral(team_a, practitioner):
    referral = new_referral(team_a, practitioner)
    entries = list(audit_history(referral))
    assert {entry.content_type.model for entry in entries} >= {"referral", "caregiver", "infant", "pipelineevent"}
    assert {entry.actor for entry in entries} == {practitioner}
    rows = audit_rows(entries)
    caregiver_row = next(row for row in rows if row.record == "Caregiver")
    assert ("NHS number", "", "9434765919") in [(c.field, c.before, c.after) for c in caregiver_row.changes]


def test_a_service_called_in_a_request_keeps_the_request_attribution(team_a, practitioner):
    with set_extra_data({"actor": practitioner, "remote_addr": "10.0.0.8", "remote_port": None}):
        referral = new_referral(team_a, practitioner)
        services.referral_accept(referral=referral, actor=practitioner, occurred_on=TODAY)
        # A write after the services, in the same request, is still attributed.
        referral.first_contact_on = TODAY
        referral.save()
    latest = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Referral)).first()
    assert (latest.actor, latest.remote_addr) == (practitioner, "10.0.0.8")
    assert "first_contact_on" in latest.changes_dict


# Stale edits ----------------------------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_changes_nothing(team_a, practitioner, manager):
    referral = new_referral(team_a, practitioner)
    opened_at = referral.version
    details = {
        "pathway": "group",
        "referrer_service": referral.referrer_service,
        "reason": referral.reason,
        "consent_to_share": True,
        "complexities": [],
        "assigned_practitioner": practitioner,
        "first_contact_on": None,
    }
    services.referral_update(referral=referral, actor=manager, expected_version=opened_at, **details)
    with pytest.raises(ValidationError, match="Someone else changed this referral") as refused:
        services.referral_update(
            referral=referral, actor=practitioner, expected_version=opened_at, **{**details, "pathway": "individual"}
        )
    assert refused.value.code == "stale"
    referral.refresh_from_db()
    assert (referral.pathway, referral.version) == ("group", opened_at + 1)


def test_levels_keep_their_history_and_refuse_stale_edits(team_a, practitioner):
    referral = new_referral(team_a, practitioner, received_on=TODAY - datetime.timedelta(days=20))
    getting_help = ThriveLevel.objects.get(code="getting_help")
    services.referral_levels_record(
        referral=referral,
        actor=practitioner,
        recorded_on=TODAY - datetime.timedelta(days=10),
        safeguarding_level=2,
        risk_count=3,
        thrive_level=getting_help,
        imd_decile=1,
        expected_version=referral.version,
    )
    stale = referral.version - 1
    with pytest.raises(ValidationError, match="Someone else"):
        services.referral_levels_record(
            referral=referral,
            actor=practitioner,
            recorded_on=TODAY,
            safeguarding_level=3,
            risk_count=4,
            thrive_level=getting_help,
            imd_decile=1,
            expected_version=stale,
        )
    services.referral_levels_record(
        referral=referral,
        actor=practitioner,
        recorded_on=TODAY,
        safeguarding_level=3,
        risk_count=4,
        thrive_level=ThriveLevel.objects.get(code="getting_more_help"),
        imd_decile=1,
        expected_version=referral.version,
    )
    referral.refresh_from_db()
    assert (referral.safeguarding_level, referral.risk_count, referral.thrive_level.code) == (
        3,
        4,
        "getting_more_help",
    )
    assert list(referral.levels_history.values_list("safeguarding_level", "thrive_level__code")) == [
        (3, "getting_more_help"),
        (2, "getting_help"),
    ]


def test_a_caregiver_edit_checks_the_nhs_number_and_the_version(team_a, practitioner):
    caregiver = new_referral(team_a, practitioner).caregivers.get()
    fields = {
        "name": "Amy Bell-Stone",
        "role": "mother",
        "date_of_birth": caregiver.date_of_birth,
        "ethnicity": "white",
        "postcode": "FY2 0AA",
        "nhs_number": "9434765918",
    }
    with pytest.raises(ValidationError) as refused:
        services.caregiver_update(caregiver=caregiver, actor=practitioner, expected_version=1, **fields)
    assert "nhs_number" in refused.value.message_dict
    updated, _ = services.caregiver_update(
        caregiver=caregiver, actor=practitioner, expected_version=1, **{**fields, "nhs_number": "4010232137"}
    )
    assert (updated.name, updated.nhs_number_display, updated.version) == ("Amy Bell-Stone", "401 023 2137", 2)
    with pytest.raises(ValidationError, match="Someone else changed this caregiver"):
        services.caregiver_update(caregiver=caregiver, actor=practitioner, expected_version=1, **fields)


# Appointments and interventions ---------------------------------------------------------------------------------


def test_the_first_attended_assessment_appointment_starts_the_assessment(referral_in, practitioner):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL))
    when = timezone.now() - datetime.timedelta(days=2)
    appointment = AppointmentFactory(referral=referral, practitioner=practitioner, starts_at=when)
    services.appointment_record_outcome(
        appointment=appointment, actor=practitioner, outcome=Appointment.Outcome.ATTENDED, expected_version=1
    )
    event = referral.events.order_by("-sequence").first()
    assert (event.kind, event.occurred_on) == (EventKind.ASSESSMENT_STARTED, timezone.localtime(when).date())
    # A later attended assessment appointment moves nothing.
    next_day = when + datetime.timedelta(days=1)
    later = AppointmentFactory(referral=referral, practitioner=practitioner, starts_at=next_day)
    services.appointment_record_outcome(appointment=later, actor=practitioner, outcome=Appointment.Outcome.ATTENDED)
    assert referral.events.count() == event.sequence


def test_an_outcome_waits_for_the_appointment_and_for_a_fresh_form(referral_in, practitioner):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.ASSESSMENT))
    future = AppointmentFactory(referral=referral, practitioner=practitioner)
    with pytest.raises(ValidationError, match="once the appointment has started"):
        services.appointment_record_outcome(appointment=future, actor=practitioner, outcome="attended")
    past = AppointmentFactory(
        referral=referral, practitioner=practitioner, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    services.appointment_record_outcome(appointment=past, actor=practitioner, outcome="did_not_attend")
    with pytest.raises(ValidationError, match="Someone else changed this appointment"):
        services.appointment_record_outcome(
            appointment=past, actor=practitioner, outcome="attended", expected_version=1
        )
    past.refresh_from_db()
    assert past.outcome == "did_not_attend"


def test_appointments_are_booked_with_the_team_on_open_referrals(referral_in, practitioner, practitioner_b):
    open_referral = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL))
    starts_at = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        services.appointment_book(
            referral=open_referral,
            actor=practitioner,
            practitioner=practitioner_b,
            starts_at=starts_at,
            kind="assessment",
            mode="home",
        )
    assert "practitioner" in refused.value.message_dict
    closed = referral_in(State(Status.NOT_ACCEPTED, Stage.REFERRAL))
    with pytest.raises(ValidationError, match=r"not accepted\. Reopen it first"):
        services.appointment_book(
            referral=closed,
            actor=practitioner,
            practitioner=practitioner,
            starts_at=starts_at,
            kind="assessment",
            mode="home",
        )
    booked = services.appointment_book(
        referral=open_referral,
        actor=practitioner,
        practitioner=practitioner,
        starts_at=starts_at,
        kind="assessment",
        mode="clinic",
    )
    assert (booked.booked_by, booked.outcome) == (practitioner, "")


def test_interventions_open_with_the_stage_and_close_at_discharge(referral_in, practitioner):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.ASSESSMENT))
    vig = Intervention.objects.get(code="vig")
    with pytest.raises(ValidationError, match="Start the intervention stage"):
        services.intervention_episode_create(referral=referral, actor=practitioner, intervention=vig, started_on=TODAY)
    started = TODAY - datetime.timedelta(days=5)
    services.intervention_start(
        referral=referral,
        actor=practitioner,
        occurred_on=started,
        intervention=Intervention.objects.get(code="cft_pir"),
    )
    services.intervention_episode_create(referral=referral, actor=practitioner, intervention=vig, started_on=TODAY)
    services.referral_complete(referral=referral, actor=practitioner, occurred_on=TODAY)
    assert list(referral.interventions.values_list("intervention__code", "started_on", "ended_on")) == [
        ("cft_pir", started, TODAY),
        ("vig", TODAY, TODAY),
    ]


# Group programmes -----------------------------------------------------------------------------------------------


def test_a_group_programme_offers_places_records_replies_and_attendance(team_a, practitioner, referral_in):
    with pytest.raises(ValidationError) as refused:
        services.group_programme_create(
            team=team_a,
            actor=practitioner,
            intervention=Intervention.objects.get(code="vig"),
            title="Spring",
            starts_on=TODAY,
            places_offered=2,
            sessions_planned=8,
        )
    assert "intervention" in refused.value.message_dict
    programme = services.group_programme_create(
        team=team_a,
        actor=practitioner,
        intervention=Intervention.objects.get(code="circle_of_security"),
        title="Spring",
        starts_on=TODAY - datetime.timedelta(days=7),
        places_offered=2,
        sessions_planned=8,
        facilitators=[practitioner],
    )
    waiting = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL), pathway="group")
    undecided = referral_in(pathway="group")
    with pytest.raises(ValidationError, match="accepted referrals"):
        services.group_place_offer(
            programme=programme, referral=undecided, actor=practitioner, offered_on=TODAY, waiting_since=TODAY
        )
    since = waiting.received_on + datetime.timedelta(days=2)
    place = services.group_place_offer(
        programme=programme, referral=waiting, actor=practitioner, offered_on=TODAY, waiting_since=since
    )
    second = referral_in(State(Status.IN_PROGRESS, Stage.ASSESSMENT), pathway="group")
    services.group_place_offer(
        programme=programme, referral=second, actor=practitioner, offered_on=TODAY, waiting_since=since
    )
    third = referral_in(State(Status.IN_PROGRESS, Stage.ASSESSMENT), pathway="group")
    with pytest.raises(ValidationError, match="All 2 places"):
        services.group_place_offer(
            programme=programme, referral=third, actor=practitioner, offered_on=TODAY, waiting_since=since
        )
    with pytest.raises(ValidationError) as not_taken_up:
        services.group_session_record(
            programme=programme, actor=practitioner, number=1, held_on=TODAY, attendees=[place]
        )
    assert "attendees" in not_taken_up.value.message_dict
    services.group_place_respond(
        place=place, actor=practitioner, status=GroupPlace.Status.TAKEN_UP, responded_on=TODAY, expected_version=1
    )
    place.refresh_from_db()
    session = services.group_session_record(
        programme=programme, actor=practitioner, number=1, held_on=TODAY, attendees=[place]
    )
    assert list(session.attendees.all()) == [place]
    programme.refresh_from_db()
    with pytest.raises(ValidationError, match="Someone else changed this group programme"):
        services.group_session_update(
            session=session, actor=practitioner, expected_version=programme.version - 1, held_on=TODAY, attendees=[]
        )
    services.group_session_update(
        session=session, actor=practitioner, expected_version=programme.version, held_on=TODAY, attendees=[]
    )
    assert not session.attendees.exists()


def test_a_place_on_another_teams_programme_is_refused(team_b, referral_in, practitioner):
    programme = GroupProgrammeFactory(team=team_b)
    referral = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL))
    with pytest.raises(ValidationError):
        services.group_place_offer(
            programme=programme, referral=referral, actor=practitioner, offered_on=TODAY, waiting_since=TODAY
        )
    assert not GroupPlace.objects.exists()


# For importers ----------------------------------------------------------------------------------------------------


def history(referral) -> list[tuple]:
    return list(referral.events.order_by("sequence").values_list("kind", "occurred_on", "status", "stage"))


def test_an_import_extends_the_history_step_by_step_all_or_nothing(team_a, manager):
    received = datetime.date(2023, 4, 3)
    referral = new_referral(team_a, manager, received_on=received, infants=[], is_antenatal=False)
    steps = [
        (EventKind.ACCEPTED, received + datetime.timedelta(days=5), None),
        (EventKind.ASSESSMENT_STARTED, received + datetime.timedelta(days=20), None),
        (EventKind.DISENGAGED, received + datetime.timedelta(days=40), reason_of("not_ready")),
    ]
    with pytest.raises(ValidationError):
        services.pipeline_history_extend(
            referral=referral, actor=manager, steps=[*steps[:2], (EventKind.DISENGAGED, steps[2][1], None)]
        )
    assert len(history(referral)) == 1
    services.pipeline_history_extend(referral=referral, actor=manager, steps=steps)
    assert history(referral)[-1] == (
        EventKind.DISENGAGED,
        received + datetime.timedelta(days=40),
        Status.DISENGAGED_AT_ASSESSMENT,
        Stage.ASSESSMENT,
    )


def test_a_corrected_import_rewrites_the_history_as_a_managers_act(team_a, manager, practitioner):
    received = datetime.date(2023, 4, 3)
    # Due within the pregnancy the referral was received in (pairs.bounds: at most 10 months after it).
    infants = [{"name": "", "due_date": received + datetime.timedelta(days=60)}]
    referral = new_referral(team_a, manager, received_on=received, infants=infants)
    services.pipeline_history_extend(
        referral=referral, actor=manager, steps=[(EventKind.ACCEPTED, received + datetime.timedelta(days=3), None)]
    )
    corrected = received - datetime.timedelta(days=2)
    steps = [(EventKind.NOT_ACCEPTED, received + datetime.timedelta(days=1), reason_of("outside_area", "decline"))]
    with pytest.raises(ValidationError, match="Only a service manager"):
        services.pipeline_history_rewrite(referral=referral, actor=practitioner, received_on=corrected, steps=steps)
    services.pipeline_history_rewrite(referral=referral, actor=manager, received_on=corrected, steps=steps)
    referral.refresh_from_db()
    assert referral.received_on == corrected
    assert [kind for kind, *_ in history(referral)] == [EventKind.RECEIVED, EventKind.NOT_ACCEPTED]
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE, additional_data__referral_id=referral.pk)
    assert deleted.count() == 2
    assert {entry.actor for entry in deleted} == {manager}


def superseded(referral) -> list[tuple]:
    return list(referral.events.order_by("occurred_on", "sequence").values_list("occurred_on", "superseded_on"))


def test_each_event_knows_when_the_next_superseded_it_through_moves_imports_and_rewrites(team_a, manager):
    received = datetime.date(2023, 4, 3)
    day = received + datetime.timedelta(days=5)
    referral = new_referral(team_a, manager, received_on=received, infants=[], is_antenatal=False)
    assert superseded(referral) == [(received, None)]
    # Two moves on one day, in a single import: the first is superseded the day it was made.
    services.pipeline_history_extend(
        referral=referral,
        actor=manager,
        steps=[(EventKind.ACCEPTED, day, None), (EventKind.ASSESSMENT_STARTED, day, None)],
    )
    services.referral_move(
        referral=referral,
        actor=manager,
        kind=EventKind.ON_HOLD,
        occurred_on=day + datetime.timedelta(days=9),
        reason=HoldReason.objects.first(),
    )
    assert superseded(referral) == [
        (received, day),
        (day, day),
        (day, day + datetime.timedelta(days=9)),
        (day + datetime.timedelta(days=9), None),
    ]
    # Refused steps leave every date as it was.
    with pytest.raises(ValidationError):
        services.pipeline_history_extend(referral=referral, actor=manager, steps=[(EventKind.COMPLETED, TODAY, None)])
    assert superseded(referral)[-1] == (day + datetime.timedelta(days=9), None)
    services.pipeline_history_rewrite(
        referral=referral, actor=manager, received_on=received, steps=[(EventKind.ACCEPTED, day, None)]
    )
    assert superseded(referral) == [(received, day), (day, None)]
    # A derived date: no audit entry says anybody changed an event.
    changed = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, content_type__model="pipelineevent")
    assert not changed.exists()
    assert not any(
        "superseded_on" in entry.changes_dict for entry in LogEntry.objects.filter(content_type__model="pipelineevent")
    )


def test_each_event_keeps_its_referrals_team_unaudited(team_a, manager):
    referral = new_referral(team_a, manager, received_on=datetime.date(2023, 4, 3), infants=[], is_antenatal=False)
    services.referral_move(
        referral=referral, actor=manager, kind=EventKind.ACCEPTED, occurred_on=datetime.date(2023, 4, 5)
    )

    assert list(referral.events.values_list("team", flat=True)) == [team_a.pk, team_a.pk]
    entries = LogEntry.objects.filter(content_type__model="pipelineevent")
    assert entries.count() == 2
    assert not any("team" in entry.changes_dict for entry in entries)


def first_moves(referral) -> tuple:
    referral.refresh_from_db()
    return (
        referral.first_decided_on,
        referral.accepted_on,
        referral.first_assessment_on,
        referral.first_intervention_on,
    )


def test_a_referral_keeps_the_day_of_its_first_decision_acceptance_assessment_and_intervention(team_a, manager):
    received = datetime.date(2023, 4, 3)
    day = received + datetime.timedelta(days=5)
    later = day + datetime.timedelta(days=30)
    referral = new_referral(team_a, manager, received_on=received, infants=[], is_antenatal=False)
    assert first_moves(referral) == (None, None, None, None)
    services.referral_move(
        referral=referral,
        actor=manager,
        kind=EventKind.NOT_ACCEPTED,
        occurred_on=day,
        reason=reason_of("outside_area", "decline"),
    )
    # The caller's object has it too, so that saving it later keeps it.
    assert (referral.first_decided_on, referral.accepted_on) == (day, None)
    services.pipeline_history_extend(
        referral=referral,
        actor=manager,
        steps=[
            (EventKind.REOPENED, later, None),
            (EventKind.ACCEPTED, later, None),
            (EventKind.ASSESSMENT_STARTED, later + datetime.timedelta(days=1), None),
        ],
    )
    # The acceptance after reopening leaves the first decision's day: the decision clock runs to the first.
    assert first_moves(referral) == (day, later, later + datetime.timedelta(days=1), None)
    services.pipeline_history_rewrite(
        referral=referral, actor=manager, received_on=received, steps=[(EventKind.ACCEPTED, later, None)]
    )
    assert first_moves(referral) == (later, later, None, None)
    services.pipeline_history_rewrite(
        referral=referral,
        actor=manager,
        received_on=received,
        steps=[(EventKind.NOT_ACCEPTED, day, reason_of("outside_area", "decline"))],
    )
    assert first_moves(referral) == (day, None, None, None)
    assert not any(
        field in entry.changes_dict
        for entry in LogEntry.objects.filter(content_type__model="referral")
        for field in ("first_decided_on", "accepted_on")
    )


def test_the_state_as_at_a_day_is_the_latest_event_by_date_then_sequence(team_a, manager):
    received = datetime.date(2023, 4, 3)
    referral = new_referral(team_a, manager, received_on=received, infants=[], is_antenatal=False)
    moves = [
        (EventKind.ACCEPTED, received + datetime.timedelta(days=2), None),
        (EventKind.ASSESSMENT_STARTED, received + datetime.timedelta(days=2), None),
        (EventKind.ON_HOLD, received + datetime.timedelta(days=6), HoldReason.objects.first()),
        (EventKind.RESUMED, received + datetime.timedelta(days=6), None),
        (EventKind.DISENGAGED, received + datetime.timedelta(days=9), reason_of("not_ready")),
    ]
    services.pipeline_history_extend(referral=referral, actor=manager, steps=moves)
    for offset in range(-1, 12):
        day = received + datetime.timedelta(days=offset)
        ordered = referral.events.filter(occurred_on__lte=day).order_by("-occurred_on", "-sequence").first()
        as_at = list(PipelineEvent.objects.state_as_at(day).filter(referral=referral))
        assert as_at == ([ordered] if ordered else []), day
        status = Referral.objects.with_status_as_at(day).get(pk=referral.pk).status_as_at
        assert status == (ordered.status if ordered else None)


def test_imports_add_caregivers_and_infants_and_keep_birth_years(team_a, manager):
    referral = new_referral(team_a, manager, infants=[])
    second = services.caregiver_add(referral=referral, actor=manager, role="father", birth_year=1990)
    assert (second.position, second.birth_year) == (2, 1990)
    with pytest.raises(ValidationError, match="two caregivers at most"):
        services.caregiver_add(referral=referral, actor=manager, role="other")
    infant = services.infant_add(referral=referral, actor=manager, date_of_birth=YESTERDAY)
    assert infant.referral == referral
    with pytest.raises(ValidationError):
        services.infant_add(referral=referral, actor=manager, name="No dates")
    updated, _ = services.caregiver_update(
        caregiver=second,
        actor=manager,
        expected_version=second.version,
        name="",
        role="father",
        date_of_birth=None,
        ethnicity="",
        postcode="",
        nhs_number="",
        birth_year=1989,
    )
    assert updated.birth_year == 1989
    details = {
        "pathway": referral.pathway,
        "referrer_service": referral.referrer_service,
        "reason": referral.reason,
        "consent_to_share": referral.consent_to_share,
        "complexities": [],
        "assigned_practitioner": None,
        "first_contact_on": None,
    }
    changed, _ = services.referral_update(
        referral=referral, actor=manager, expected_version=referral.version, is_antenatal=False, **details
    )
    assert changed.is_antenatal is False


def test_a_closed_referral_can_gain_episodes_dated_within_its_intervention(referral_in, practitioner):
    referral = referral_in(State(Status.COMPLETED, Stage.INTERVENTION))
    began = referral.events.get(kind=EventKind.INTERVENTION_STARTED).occurred_on
    emdr = Intervention.objects.get(code="emdr")
    with pytest.raises(ValidationError) as early:
        services.intervention_episode_create(
            referral=referral, actor=practitioner, intervention=emdr, started_on=began - datetime.timedelta(days=1)
        )
    assert "started_on" in early.value.message_dict
    episode = services.intervention_episode_create(
        referral=referral, actor=practitioner, intervention=emdr, started_on=began
    )
    assert episode.referral == referral
