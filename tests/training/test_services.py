"""Every write of workforce activity: what it saves, what it refuses (a clear error, nothing saved), what it audits."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.models import Service
from referrals.models import Intervention
from tests.factories import (
    AwarenessEventFactory,
    ConsultationFactory,
    FeedbackFactory,
    ReferralFactory,
    TrainingSessionFactory,
    UniversalOfferContactFactory,
)
from training import services
from training.models import (
    AwarenessEvent,
    Consultation,
    ConsultationChild,
    Feedback,
    TrainingAttendance,
    TrainingSession,
    UniversalOfferContact,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
TOMORROW = TODAY + datetime.timedelta(days=1)


def service(code: str) -> Service:
    return Service.objects.get(code=code)


def session_fields(**overrides):
    return {
        "date": LAST_WEEK,
        "session_type": "introduction",
        "title": "Introduction to parent-infant relationships",
        "trainers": "Dr A. Psychologist",
        "places_offered": 20,
        "participants": 18,
        "feedback_returned": 15,
        "feedback_positive": 14,
        **overrides,
    }


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# Training sessions ---------------------------------------------------------------------------------------------


def test_a_session_is_saved_with_its_participants_by_service(team_a, manager):
    session = services.training_session_create(
        actor=manager,
        team=team_a,
        **session_fields(attendance={service("health_visiting"): 10, service("midwifery"): 8, service("gp"): None}),
    )
    assert session.pk is not None
    assert dict(session.attendance.values_list("service__code", "participants")) == {
        "health_visiting": 10,
        "midwifery": 8,
    }


def test_a_breakdown_that_does_not_add_up_is_refused(team_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.training_session_create(
            actor=manager,
            team=team_a,
            **session_fields(attendance={service("health_visiting"): 10, service("midwifery"): 7}),
        )
    assert messages(caught.value)["participants"] == [
        "The participants by service add up to 17, not 18. Make them add up to the participants, or leave them all "
        "blank"
    ]
    assert not TrainingSession.objects.exists()
    assert not TrainingAttendance.objects.exists()


def test_positive_feedback_above_returned_is_refused(team_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.training_session_create(
            actor=manager, team=team_a, **session_fields(feedback_returned=5, feedback_positive=6)
        )
    assert messages(caught.value)["feedback_positive"] == [
        "Forms rated positive (6) cannot be more than the forms returned (5)"
    ]
    assert not TrainingSession.objects.exists()


def test_positive_feedback_needs_the_forms_returned(team_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.training_session_create(
            actor=manager, team=team_a, **session_fields(feedback_returned=None, feedback_positive=3)
        )
    assert messages(caught.value)["feedback_returned"] == ["Enter how many feedback forms were returned"]


def test_a_session_in_the_future_is_refused(team_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.training_session_create(actor=manager, team=team_a, **session_fields(date=TOMORROW))
    assert messages(caught.value)["date"] == ["The date must be today or in the past"]
    assert not TrainingSession.objects.exists()


def test_a_session_today_is_allowed(team_a, manager):
    assert services.training_session_create(actor=manager, team=team_a, **session_fields(date=TODAY)).date == TODAY


@pytest.mark.parametrize("field", ["participants", "places_offered", "feedback_returned", "feedback_positive"])
def test_a_negative_count_is_refused(team_a, field, manager):
    with pytest.raises(ValidationError) as caught:
        services.training_session_create(actor=manager, team=team_a, **session_fields(**{field: -1}))
    assert field in messages(caught.value)
    assert not TrainingSession.objects.exists()


def test_the_same_session_twice_is_refused_in_the_team_but_not_in_another(team_a, team_b, manager, practitioner_b):
    services.training_session_create(actor=manager, team=team_a, **session_fields())
    with pytest.raises(ValidationError) as caught:
        services.training_session_create(
            actor=manager, team=team_a, **session_fields(participants=3, feedback_returned=None, feedback_positive=None)
        )
    assert messages(caught.value)["__all__"] == [
        "A session of this type with this title is already recorded on this date"
    ]
    services.training_session_create(actor=practitioner_b, team=team_b, **session_fields())
    assert TrainingSession.objects.count() == 2


def test_updating_a_session_keeps_its_breakdown_unless_given(team_a, manager):
    session = services.training_session_create(
        actor=manager, team=team_a, **session_fields(attendance={service("health_visiting"): 18})
    )
    services.training_session_update(actor=manager, session=session, **session_fields(title="Renamed"))
    session.refresh_from_db()
    assert session.title == "Renamed"
    assert session.attendance.get().participants == 18

    with pytest.raises(ValidationError) as caught:
        services.training_session_update(actor=manager, session=session, **session_fields(participants=20))
    assert "add up to 18, not 20" in messages(caught.value)["participants"][0]

    services.training_session_update(
        actor=manager, session=session, **session_fields(participants=20, attendance={service("social_care"): 20})
    )
    assert dict(session.attendance.values_list("service__code", "participants")) == {"social_care": 20}
    services.training_session_update(actor=manager, session=session, **session_fields(attendance={}))
    assert not session.attendance.exists()


def test_quick_entry_saves_every_row(team_a, manager):
    rows = [session_fields(title=f"Session {n}") for n in range(3)]
    saved = services.training_sessions_create(actor=manager, team=team_a, sessions=rows)
    assert [s.title for s in saved] == ["Session 0", "Session 1", "Session 2"]
    assert TrainingSession.objects.filter(team=team_a).count() == 3


def test_quick_entry_with_one_bad_row_saves_no_row(team_a, manager):
    rows = [
        session_fields(title="Good one"),
        session_fields(title="Bad one", feedback_returned=2, feedback_positive=3),
        session_fields(title="Good two"),
    ]
    with pytest.raises(ValidationError) as caught:
        services.training_sessions_create(actor=manager, team=team_a, sessions=rows)
    assert caught.value.messages == [
        "Row 2: feedback forms rated positive: Forms rated positive (3) cannot be more than the forms returned (2)"
    ]
    assert not TrainingSession.objects.exists()


def test_quick_entry_refuses_rows_that_repeat_each_other_or_a_recorded_session(team_a, manager):
    services.training_session_create(actor=manager, team=team_a, **session_fields(title="Already recorded"))
    rows = [session_fields(title="New"), session_fields(title="New"), session_fields(title="Already recorded")]
    with pytest.raises(ValidationError) as caught:
        services.training_sessions_create(actor=manager, team=team_a, sessions=rows)
    assert caught.value.messages == [
        "Row 2: the same date, type and title as row 1",
        "Row 3: A session of this type with this title is already recorded on this date",
    ]
    assert TrainingSession.objects.count() == 1


def test_quick_entry_needs_a_row(team_a, manager):
    with pytest.raises(ValidationError, match="at least one"):
        services.training_sessions_create(actor=manager, team=team_a, sessions=[])


# Consultations -------------------------------------------------------------------------------------------------


def consultation_fields(**overrides):
    return {
        "date": LAST_WEEK,
        "consultee_service": service("health_visiting"),
        "outcome": "action_plan",
        "mode": "telephone",
        "children": 2,
        "child_ages": {"unborn": 1, "1": 1},
        "note": "Health visitor worried about a withdrawn baby.",
        **overrides,
    }


def test_consultations_are_numbered_per_date_and_service(team_a, team_b, manager, practitioner_b):
    first = services.consultation_create(actor=manager, team=team_a, **consultation_fields())
    second = services.consultation_create(actor=manager, team=team_a, **consultation_fields())
    other_service = services.consultation_create(
        actor=manager, team=team_a, **consultation_fields(consultee_service=service("gp"))
    )
    other_day = services.consultation_create(actor=manager, team=team_a, **consultation_fields(date=TODAY))
    other_team = services.consultation_create(actor=practitioner_b, team=team_b, **consultation_fields())
    assert [c.sequence for c in (first, second, other_service, other_day, other_team)] == [1, 2, 1, 1, 1]
    assert dict(first.child_ages.values_list("age", "children")) == {"unborn": 1, "1": 1}


def test_a_given_sequence_is_kept_and_a_taken_one_refused(team_a, manager):
    services.consultation_create(actor=manager, team=team_a, **consultation_fields(sequence=4))
    assert services.consultation_create(actor=manager, team=team_a, **consultation_fields()).sequence == 5
    with pytest.raises(ValidationError) as caught:
        services.consultation_create(actor=manager, team=team_a, **consultation_fields(sequence=4))
    assert messages(caught.value)["__all__"] == [
        "A consultation with this number is already recorded for this service and date"
    ]


def test_a_consultation_moved_to_another_day_takes_the_next_number_there(team_a, manager):
    services.consultation_create(actor=manager, team=team_a, **consultation_fields(date=TODAY))
    moving = services.consultation_create(actor=manager, team=team_a, **consultation_fields())
    services.consultation_update(
        actor=manager, consultation=moving, **consultation_fields(date=TODAY, outcome="signposted")
    )
    moving.refresh_from_db()
    assert (moving.date, moving.sequence, moving.outcome) == (TODAY, 2, "signposted")
    services.consultation_update(actor=manager, consultation=moving, **consultation_fields(date=TODAY, note="Edited"))
    moving.refresh_from_db()
    assert moving.sequence == 2


def test_ages_for_more_children_than_discussed_are_refused(team_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.consultation_create(
            actor=manager, team=team_a, **consultation_fields(children=1, child_ages={"0": 1, "2": 1})
        )
    assert messages(caught.value)["children"] == ["You have given the ages of 2 children, more than the 1 discussed"]
    assert not Consultation.objects.exists()
    assert not ConsultationChild.objects.exists()


def test_ages_without_a_count_are_refused(team_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.consultation_create(
            actor=manager, team=team_a, **consultation_fields(children=None, child_ages={"3": 1})
        )
    assert messages(caught.value)["children"] == [
        "Enter how many children were discussed, as you have given their ages"
    ]


def test_the_ages_of_some_children_only_are_fine(team_a, manager):
    consultation = services.consultation_create(
        actor=manager, team=team_a, **consultation_fields(children=3, child_ages={"2": 1})
    )
    assert consultation.child_ages.get().children == 1


def test_a_consultation_in_the_future_or_with_a_negative_count_is_refused(team_a, manager):
    with pytest.raises(ValidationError) as future:
        services.consultation_create(actor=manager, team=team_a, **consultation_fields(date=TOMORROW))
    with pytest.raises(ValidationError) as negative:
        services.consultation_create(actor=manager, team=team_a, **consultation_fields(children=-1, child_ages={}))
    assert messages(future.value)["date"] == ["The date must be today or in the past"]
    assert "children" in messages(negative.value)
    assert not Consultation.objects.exists()


def test_a_referral_is_linked_only_to_a_referred_outcome_in_the_same_team(team_a, team_b, manager):
    arrived = ReferralFactory(team=team_a, received_on=TODAY)
    linked = services.consultation_create(
        actor=manager, team=team_a, **consultation_fields(outcome="referred", referral=arrived)
    )
    assert linked.referral == arrived

    cases = [
        ({"outcome": "advice_only", "referral": arrived}, "Link a referral only when the outcome was a referral"),
        ({"outcome": "referred", "referral": ReferralFactory(team=team_b, received_on=TODAY)}, "Link a referral of"),
        (
            {
                "outcome": "referred",
                "referral": ReferralFactory(team=team_a, received_on=LAST_WEEK - datetime.timedelta(1)),
            },
            "The referral was received before this consultation",
        ),
    ]
    for overrides, message in cases:
        with pytest.raises(ValidationError) as caught:
            services.consultation_create(actor=manager, team=team_a, **consultation_fields(**overrides))
        assert messages(caught.value)["referral"][0].startswith(message)
    assert Consultation.objects.count() == 1


def test_updating_a_consultation_keeps_the_ages_unless_given(team_a, manager):
    consultation = services.consultation_create(actor=manager, team=team_a, **consultation_fields())
    services.consultation_update(actor=manager, consultation=consultation, **consultation_fields(child_ages=None))
    assert consultation.child_ages.count() == 2
    services.consultation_update(actor=manager, consultation=consultation, **consultation_fields(child_ages={"5": 2}))
    assert dict(consultation.child_ages.values_list("age", "children")) == {"5": 2}


# Awareness, universal offers, feedback -------------------------------------------------------------------------


def test_awareness_events_are_unique_by_date_and_title_and_count_people(team_a, manager):
    fields = {"date": LAST_WEEK, "title": "Stall", "audience": "Parents", "people_engaged": 40}
    event = services.awareness_event_create(actor=manager, team=team_a, **fields)
    with pytest.raises(ValidationError, match="already recorded on this date"):
        services.awareness_event_create(actor=manager, team=team_a, **fields)
    with pytest.raises(ValidationError) as caught:
        services.awareness_event_update(actor=manager, event=event, **{**fields, "people_engaged": -3})
    assert "people_engaged" in messages(caught.value)
    event.refresh_from_db()
    assert event.people_engaged == 40


def test_universal_contacts_take_only_universal_offers(team_a, manager):
    massage = Intervention.objects.get(code="infant_massage")
    contact = services.universal_contact_create(actor=manager, team=team_a, date=LAST_WEEK, offer=massage, dyads=6)
    with pytest.raises(ValidationError) as caught:
        services.universal_contact_update(
            actor=manager, contact=contact, date=LAST_WEEK, offer=Intervention.objects.get(code="vig"), dyads=6
        )
    assert messages(caught.value)["offer"] == [
        "Video Interaction Guidance (VIG) is not a universal offer: choose one that is"
    ]
    with pytest.raises(ValidationError, match="already recorded on this date"):
        services.universal_contact_create(actor=manager, team=team_a, date=LAST_WEEK, offer=massage, dyads=2)
    with pytest.raises(ValidationError):
        services.universal_contact_create(actor=manager, team=team_a, date=TODAY, offer=massage, dyads=0)
    assert UniversalOfferContact.objects.get().offer == massage


def feedback_fields(**overrides):
    return {
        "date": LAST_WEEK,
        "kind": "complaint",
        "theme": "access",
        "text": "We waited eight weeks for a first visit.",
        **overrides,
    }


def test_a_complaint_is_resolved_with_a_response_on_or_after_it_was_received(team_a, manager):
    complaint = services.feedback_create(actor=manager, team=team_a, **feedback_fields())
    assert complaint.is_open_complaint
    with pytest.raises(ValidationError) as no_response:
        services.feedback_update(actor=manager, feedback=complaint, **feedback_fields(resolved_on=TODAY))
    with pytest.raises(ValidationError) as too_early:
        services.feedback_update(
            actor=manager,
            feedback=complaint,
            **feedback_fields(response="Apology and a visit", resolved_on=LAST_WEEK - datetime.timedelta(days=1)),
        )
    with pytest.raises(ValidationError) as future:
        services.feedback_update(
            actor=manager, feedback=complaint, **feedback_fields(response="Apology", resolved_on=TOMORROW)
        )
    assert messages(no_response.value)["response"] == ["Enter the response before the date the complaint was resolved"]
    assert messages(too_early.value)["resolved_on"] == [
        "The date resolved must be the same as or after the date received"
    ]
    assert messages(future.value)["resolved_on"] == ["The date must be today or in the past"]
    services.feedback_update(
        actor=manager, feedback=complaint, **feedback_fields(response="Apology and a visit", resolved_on=TODAY)
    )
    complaint.refresh_from_db()
    assert not complaint.is_open_complaint


def test_only_complaints_have_a_response(team_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.feedback_create(
            actor=manager, team=team_a, **feedback_fields(kind="compliment", response="Thanks", resolved_on=TODAY)
        )
    assert set(messages(caught.value)) == {"response", "resolved_on"}
    assert not Feedback.objects.exists()


# Audit --------------------------------------------------------------------------------------------------------


def test_writes_and_deletes_are_audited_with_the_actor(team_a, manager):
    with set_actor(manager):
        session = services.training_session_create(
            actor=manager, team=team_a, **session_fields(attendance={service("health_visiting"): 18})
        )
        services.training_session_update(actor=manager, session=session, **session_fields(title="Renamed"))
        event = AwarenessEventFactory(team=team_a)
        services.activity_record_delete(actor=manager, record=event)
    entries = LogEntry.objects.filter(actor=manager)
    session_entries = LogEntry.objects.get_for_object(session).filter(actor=manager)
    assert session_entries.count() == 2
    assert session_entries.first().changes_dict["title"] == [
        "Introduction to parent-infant relationships",
        "Renamed",
    ]
    assert entries.filter(content_type__model="trainingattendance").count() == 1
    assert entries.filter(content_type__model="awarenessevent", action=LogEntry.Action.DELETE).count() == 1
    assert not AwarenessEvent.objects.exists()


def test_deleting_a_session_deletes_its_breakdown(team_a, manager):
    session = TrainingSessionFactory(team=team_a)
    TrainingAttendance.objects.create(session=session, service=service("gp"), participants=10)
    services.activity_record_delete(actor=manager, record=session)
    assert not TrainingAttendance.objects.exists()


def test_deleting_a_referral_keeps_the_consultation(team_a):
    referral = ReferralFactory(team=team_a, received_on=TODAY)
    consultation = ConsultationFactory(team=team_a, outcome="referred", referral=referral)
    referral.events.all().delete()
    referral.delete()
    consultation.refresh_from_db()
    assert consultation.referral is None


# Partial updates -----------------------------------------------------------------------------------------------


def test_an_update_changes_only_what_it_is_given_and_names_it(team_a, manager):
    session = services.training_session_create(
        actor=manager, team=team_a, **session_fields(attendance={service("health_visiting"): 18})
    )
    assert services.training_session_update(actor=manager, session=session, title="Renamed") == ["title"]
    session.refresh_from_db()
    assert (session.title, session.trainers, session.participants) == ("Renamed", "Dr A. Psychologist", 18)
    assert session.attendance.get().participants == 18
    assert services.training_session_update(
        actor=manager, session=session, participants=18, attendance={service("gp"): 18}
    ) == ["attendance"]


def test_an_update_that_changes_nothing_writes_nothing(team_a, manager):
    session = services.training_session_create(actor=manager, team=team_a, **session_fields())
    consultation = services.consultation_create(actor=manager, team=team_a, **consultation_fields())
    entries = LogEntry.objects.count()
    assert services.training_session_update(actor=manager, session=session, **session_fields()) == []
    assert services.consultation_update(actor=manager, consultation=consultation, **consultation_fields()) == []
    assert LogEntry.objects.count() == entries


def test_an_update_refuses_a_field_it_does_not_know(team_a, manager):
    event = AwarenessEventFactory(team=team_a)
    with pytest.raises(TypeError, match="no field people"):
        services.awareness_event_update(actor=manager, event=event, people=3)


def test_a_consultation_moved_to_another_service_takes_the_next_number_there(team_a, manager):
    services.consultation_create(actor=manager, team=team_a, **consultation_fields(consultee_service=service("gp")))
    moving = services.consultation_create(actor=manager, team=team_a, **consultation_fields())
    changed = services.consultation_update(actor=manager, consultation=moving, consultee_service=service("gp"))
    assert changed == ["consultee_service", "sequence"]
    moving.refresh_from_db()
    assert (moving.consultee_service.code, moving.sequence, moving.note) == ("gp", 2, consultation_fields()["note"])


# Permissions ---------------------------------------------------------------------------------------------------
# Commissioners see workforce figures only in reports; another team's staff see nothing of this team's.

OUTSIDERS = ["commissioner", "practitioner_b"]
KINDS = {
    # kind: (the model, its factory, its update service, the service's keyword for the record, a change)
    "session": (TrainingSession, TrainingSessionFactory, services.training_session_update, "session", {"title": "X"}),
    "consultation": (Consultation, ConsultationFactory, services.consultation_update, "consultation", {"note": "X"}),
    "awareness_event": (
        AwarenessEvent,
        AwarenessEventFactory,
        services.awareness_event_update,
        "event",
        {"title": "X"},
    ),
    "universal_contact": (
        UniversalOfferContact,
        UniversalOfferContactFactory,
        services.universal_contact_update,
        "contact",
        {"dyads": 99},
    ),
    "feedback": (Feedback, FeedbackFactory, services.feedback_update, "feedback", {"text": "X"}),
}


def create(kind: str, actor, team):
    """Record a valid record of `kind` in `team` as `actor`."""
    if kind == "session":
        return services.training_session_create(actor=actor, team=team, **session_fields())
    if kind == "consultation":
        return services.consultation_create(actor=actor, team=team, **consultation_fields())
    if kind == "awareness_event":
        return services.awareness_event_create(
            actor=actor, team=team, date=LAST_WEEK, title="Stall", audience="Parents", people_engaged=40
        )
    if kind == "universal_contact":
        offer = Intervention.objects.get(code="infant_massage")
        return services.universal_contact_create(actor=actor, team=team, date=LAST_WEEK, offer=offer, dyads=6)
    return services.feedback_create(actor=actor, team=team, **feedback_fields())


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_only_the_team_s_clinicians_may_record(team_a, request, kind, outsider):
    with pytest.raises(ValidationError, match="permission to record workforce activity"):
        create(kind, request.getfixturevalue(outsider), team_a)
    assert not KINDS[kind][0].objects.exists()
    assert not LogEntry.objects.get_for_model(KINDS[kind][0]).exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_only_the_team_s_clinicians_may_change_a_record(team_a, request, kind, outsider):
    model, factory, update, argument, change = KINDS[kind]
    record = factory(team=team_a)
    before = model.objects.values().get()
    with pytest.raises(ValidationError, match="permission to record workforce activity"):
        update(actor=request.getfixturevalue(outsider), **{argument: record}, **change)
    assert model.objects.values().get() == before
    assert not LogEntry.objects.get_for_model(model).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize("person", ["practitioner", *OUTSIDERS])
def test_only_the_team_s_manager_enters_sessions_in_bulk(team_a, request, person):
    with pytest.raises(ValidationError, match="permission to enter training sessions in bulk"):
        services.training_sessions_create(
            actor=request.getfixturevalue(person), team=team_a, sessions=[session_fields()]
        )
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize("person", ["practitioner", *OUTSIDERS])
@pytest.mark.parametrize("kind", list(KINDS))
def test_only_the_team_s_manager_deletes_a_record(team_a, request, kind, person):
    model, factory, *_ = KINDS[kind]
    record = factory(team=team_a)
    with pytest.raises(ValidationError, match="permission to delete workforce records"):
        services.activity_record_delete(actor=request.getfixturevalue(person), record=record)
    assert model.objects.filter(pk=record.pk).exists()
