import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from outcomes import services as outcome_services
from pairs.models import Role
from referrals import services
from referrals.models import (
    Appointment,
    Caregiver,
    Correction,
    DeclineReason,
    GroupPlace,
    GroupSession,
    HoldReason,
    Infant,
    PipelineEvent,
    Restriction,
    RetentionDecision,
    RetentionReview,
)
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.services import lifecycle
from tests.factories import GroupPlaceFactory, GroupProgrammeFactory, MembershipFactory, UserFactory
from tests.referrals.builders import TODAY, make_referral, reason

pytestmark = pytest.mark.django_db

IN_INTERVENTION = State(Status.IN_PROGRESS, Stage.INTERVENTION)


def refusal(call) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value


def restricted(referral, manager):
    return lifecycle.restriction_place(actor=manager, referral=referral, reason="The mother contests her details.")


# Restriction ----------------------------------------------------------------------------------------------------


def test_a_manager_restricts_a_referral_with_a_reason_and_an_audit_entry(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    restriction = restricted(referral, manager)
    assert restriction.is_active
    assert restriction.restricted_by == manager
    entry = LogEntry.objects.get_for_object(restriction).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == manager
    assert entry.additional_data == {"referral_id": referral.pk}


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_restriction_needs_a_reason(team_a, practitioner, manager, reason):
    referral = make_referral(team=team_a, actor=practitioner)
    error = refusal(lambda: lifecycle.restriction_place(actor=manager, referral=referral, reason=reason))
    assert error.message_dict == {"reason": ["Enter why processing of these records is restricted."]}
    assert not Restriction.objects.exists()


def test_a_practitioner_cannot_restrict_or_lift(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    error = refusal(lambda: lifecycle.restriction_place(actor=practitioner, referral=referral, reason="Asked"))
    assert error.messages == ["Only the team's service manager can restrict a family's records."]
    restricted(referral, manager)
    error = refusal(lambda: lifecycle.restriction_lift(actor=practitioner, referral=referral, reason="Checked"))
    assert error.messages == ["Only the team's service manager can lift a restriction."]
    assert Restriction.objects.active().count() == 1


def test_another_teams_manager_cannot_restrict(team_a, team_b, practitioner):
    manager_b = UserFactory(username="manager_b")
    MembershipFactory(user=manager_b, team=team_b, role=Role.MANAGER)
    referral = make_referral(team=team_a, actor=practitioner)
    refusal(lambda: lifecycle.restriction_place(actor=manager_b, referral=referral, reason="Asked"))
    assert not Restriction.objects.exists()


def test_a_referral_is_restricted_once_at_a_time(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    restricted(referral, manager)
    error = refusal(lambda: restricted(referral, manager))
    assert error.messages == [f"The records of referral {referral.reference} are already restricted."]
    assert Restriction.objects.count() == 1


def test_lifting_needs_a_restriction_and_a_reason(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    error = refusal(lambda: lifecycle.restriction_lift(actor=manager, referral=referral, reason="Checked"))
    assert error.messages == [f"The records of referral {referral.reference} are not restricted."]
    restricted(referral, manager)
    error = refusal(lambda: lifecycle.restriction_lift(actor=manager, referral=referral, reason=" "))
    assert error.message_dict == {"lift_reason": ["Enter why the restriction is lifted."]}
    assert Restriction.objects.active().count() == 1
    lifted = lifecycle.restriction_lift(actor=manager, referral=referral, reason="Checked with the mother.")
    assert (lifted.lifted_by, lifted.lift_reason, lifted.is_active) == (manager, "Checked with the mother.", False)
    # Restricted again later: a new restriction, the old one kept.
    restricted(referral, manager)
    assert Restriction.objects.filter(referral=referral).count() == 2


def test_while_restricted_every_write_is_refused_with_a_clear_message(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner, state=IN_INTERVENTION)
    programme = GroupProgrammeFactory(team=team_a, created_by=practitioner)
    place = GroupPlaceFactory(
        programme=programme, referral=referral, status=GroupPlace.Status.TAKEN_UP, responded_on=TODAY
    )
    restricted(referral, manager)
    caregiver, infant = referral.caregivers.get(), referral.infants.get()
    before = (
        PipelineEvent.objects.count(),
        Appointment.objects.count(),
        GroupSession.objects.count(),
        caregiver.name,
        infant.name,
    )
    message = (
        f"The records of referral {referral.reference} are restricted: they are kept and can be read, but nothing "
        "can be changed, moved, booked or entered until a service manager lifts the restriction."
    )
    writes = [
        lambda: services.caregiver_update(actor=practitioner, caregiver=caregiver, name="Someone Else"),
        lambda: services.infant_update(actor=practitioner, infant=infant, name="Other"),
        lambda: services.referral_update(actor=practitioner, referral=referral, reason="Changed"),
        lambda: services.referral_move(
            actor=manager,
            referral=referral,
            kind=EventKind.ON_HOLD,
            occurred_on=TODAY,
            reason=reason(HoldReason, "family_request"),
        ),
        lambda: services.appointment_book(
            actor=practitioner,
            referral=referral,
            practitioner=practitioner,
            starts_at=timezone.now() + datetime.timedelta(days=2),
            kind=Appointment.Kind.INTERVENTION,
            mode=Appointment.Mode.HOME,
        ),
        lambda: outcome_services.questionnaire_record(
            actor=practitioner,
            referral=referral,
            caregiver=caregiver,
            instrument="phq9",
            timepoint="T1",
            completed_on=TODAY,
            answers=dict.fromkeys(range(1, 10), 0),
        ),
        lambda: services.group_session_record(
            actor=practitioner, programme=programme, number=1, held_on=programme.starts_on, attendees=[place]
        ),
        lambda: services.caregiver_add(actor=practitioner, referral=referral, role=Caregiver.Role.FATHER),
    ]
    for write in writes:
        error = refusal(write)
        assert message in error.messages
    caregiver.refresh_from_db()
    infant.refresh_from_db()
    assert (
        PipelineEvent.objects.count(),
        Appointment.objects.count(),
        GroupSession.objects.count(),
        caregiver.name,
        infant.name,
    ) == before
    assert referral.caregivers.count() == 1


def test_after_lifting_the_records_can_be_written_again(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    restricted(referral, manager)
    lifecycle.restriction_lift(actor=manager, referral=referral, reason="Checked")
    _caregiver, changed = services.caregiver_update(actor=practitioner, caregiver=referral.caregivers.get(), name="A B")
    assert changed == ["name"]


def test_deleting_a_whole_restricted_referral_stays_possible_for_the_admin(team_a, practitioner, manager):
    """Deletion is an administrator's deliberate act; restriction guards the casework, not the admin's delete."""
    referral = make_referral(team=team_a, actor=practitioner)
    restricted(referral, manager)
    referral.delete()
    assert not Restriction.objects.exists()
    assert not Caregiver.objects.exists()


# Rectification ---------------------------------------------------------------------------------------------------


def test_a_caregiver_correction_keeps_who_when_what_and_why(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    caregiver = referral.caregivers.get()
    old_name = caregiver.name
    _row, changed = lifecycle.caregiver_rectify(
        actor=practitioner,
        caregiver=caregiver,
        reason="  The name was misspelt at referral.  ",
        expected_version=caregiver.version,
        name="Amy Sample",
        postcode="fy3 7aa",
    )
    assert changed == ["name", "postcode"]
    correction = Correction.objects.get()
    assert correction.reason == "The name was misspelt at referral."
    assert correction.referral == referral
    assert correction.log_entry.actor == practitioner
    assert correction.log_entry.changes_dict["name"] == [old_name, "Amy Sample"]
    assert correction.log_entry.changes_dict["postcode"] == ["FY1 1AA", "FY3 7AA"]


def test_a_correction_needs_a_reason_and_saves_nothing_without_one(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    caregiver = referral.caregivers.get()
    error = refusal(lambda: lifecycle.caregiver_rectify(actor=practitioner, caregiver=caregiver, reason="", name="X"))
    assert error.message_dict == {"reason": ["Enter why the details are being corrected."]}
    caregiver.refresh_from_db()
    assert caregiver.name != "X"
    assert not Correction.objects.exists()


def test_a_correction_that_fails_validation_keeps_no_reason(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    caregiver = referral.caregivers.get()
    refusal(
        lambda: lifecycle.caregiver_rectify(
            actor=practitioner, caregiver=caregiver, reason="Mistyped", nhs_number="1234567890"
        )
    )
    assert not Correction.objects.exists()
    assert Caregiver.objects.get().nhs_number == ""


def test_a_correction_that_changes_nothing_records_nothing(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    caregiver = referral.caregivers.get()
    _, changed = lifecycle.caregiver_rectify(
        actor=practitioner, caregiver=caregiver, reason="Checked", name=caregiver.name
    )
    assert changed == []
    assert not Correction.objects.exists()


def test_an_infant_correction_keeps_its_reason(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    infant = referral.infants.get()
    born = infant.date_of_birth - datetime.timedelta(days=3)
    _, changed = lifecycle.infant_rectify(
        actor=practitioner, infant=infant, reason="Date of birth mistyped", date_of_birth=born
    )
    assert changed == ["date_of_birth"]
    correction = Correction.objects.get()
    assert correction.log_entry.content_type.model_class() is Infant
    assert correction.log_entry.changes_dict["date_of_birth"][1] == born.isoformat()


def test_a_commissioner_cannot_correct(team_a, practitioner, commissioner):
    referral = make_referral(team=team_a, actor=practitioner)
    refusal(
        lambda: lifecycle.infant_rectify(
            actor=commissioner, infant=referral.infants.get(), reason="Mistyped", name="Other"
        )
    )
    assert not Correction.objects.exists()


# Retention ------------------------------------------------------------------------------------------------------


def old_closed_referral(team, actor, *, born: datetime.date, declined: datetime.date):
    """A referral declined on `declined`, whose infant was born on `born`."""
    referral = make_referral(team=team, actor=actor, received_on=declined - datetime.timedelta(days=2))
    Infant.objects.filter(referral=referral).update(date_of_birth=born)
    services.referral_move(
        actor=actor,
        referral=referral,
        kind=EventKind.NOT_ACCEPTED,
        occurred_on=declined,
        reason=reason(DeclineReason, "outside_area"),
    )
    return referral


PAST = {"born": datetime.date(1999, 5, 1), "declined": datetime.date(2000, 1, 10)}


def test_the_team_sets_its_retention_periods(team_a, manager):
    assert (team_a.retention_years_after_birth, team_a.retention_years_after_closure) == (25, 8)
    changed = lifecycle.team_retention_update(actor=manager, team=team_a, years_after_birth=26, years_after_closure=8)
    assert changed == ["retention_years_after_birth"]
    team_a.refresh_from_db()
    assert team_a.retention_years_after_birth == 26


@pytest.mark.parametrize(("birth", "closure"), [(0, 8), (25, 0), (101, 8), (25, 101)])
def test_retention_periods_out_of_bounds_are_refused(team_a, manager, birth, closure):
    refusal(
        lambda: lifecycle.team_retention_update(
            actor=manager, team=team_a, years_after_birth=birth, years_after_closure=closure
        )
    )
    team_a.refresh_from_db()
    assert (team_a.retention_years_after_birth, team_a.retention_years_after_closure) == (25, 8)


def test_a_practitioner_cannot_change_retention_periods(team_a, practitioner):
    error = refusal(
        lambda: lifecycle.team_retention_update(
            actor=practitioner, team=team_a, years_after_birth=1, years_after_closure=1
        )
    )
    assert error.messages == ["Only the team's service manager can change how long records are kept."]


def test_a_manager_keeps_records_past_retention_until_a_date(team_a, practitioner, manager):
    referral = old_closed_referral(team_a, practitioner, **PAST)
    review = lifecycle.retention_review_record(
        actor=manager,
        referral=referral,
        decision=RetentionDecision.KEEP,
        reason="A safeguarding review is open.",
        keep_until=TODAY + datetime.timedelta(days=365),
    )
    assert review.decided_by == manager
    assert LogEntry.objects.get_for_object(review).get().action == LogEntry.Action.CREATE


def test_marking_for_deletion_deletes_nothing(team_a, practitioner, manager):
    referral = old_closed_referral(team_a, practitioner, **PAST)
    lifecycle.retention_review_record(
        actor=manager, referral=referral, decision=RetentionDecision.DELETE, reason="No reason to keep them."
    )
    referral.refresh_from_db()
    assert RetentionReview.objects.get().keep_until is None
    assert referral.caregivers.exists()
    assert referral.infants.exists()


@pytest.mark.parametrize(
    ("decision", "keep_until", "message"),
    [
        (RetentionDecision.KEEP, None, {"keep_until": ["Enter the date until which the records are kept."]}),
        (RetentionDecision.KEEP, TODAY, {"keep_until": ["The date to keep the records until must be in the future."]}),
        (
            RetentionDecision.KEEP,
            TODAY + datetime.timedelta(days=366 * 101),
            {"keep_until": ["Enter a date within the next 100 years."]},
        ),
        ("forget", None, {"decision": ["Choose whether to keep the records or mark them for deletion."]}),
    ],
)
def test_a_review_with_a_bad_decision_saves_nothing(team_a, practitioner, manager, decision, keep_until, message):
    referral = old_closed_referral(team_a, practitioner, **PAST)
    error = refusal(
        lambda: lifecycle.retention_review_record(
            actor=manager, referral=referral, decision=decision, reason="Because", keep_until=keep_until
        )
    )
    assert error.message_dict == message
    assert not RetentionReview.objects.exists()


def test_a_review_needs_a_reason(team_a, practitioner, manager):
    referral = old_closed_referral(team_a, practitioner, **PAST)
    error = refusal(
        lambda: lifecycle.retention_review_record(
            actor=manager, referral=referral, decision=RetentionDecision.DELETE, reason=""
        )
    )
    assert error.message_dict == {"reason": ["Enter the reason for the decision."]}


def test_records_not_yet_past_retention_or_open_cannot_be_reviewed(team_a, practitioner, manager):
    recent = old_closed_referral(team_a, practitioner, born=TODAY - datetime.timedelta(days=400), declined=TODAY)
    error = refusal(
        lambda: lifecycle.retention_review_record(
            actor=manager, referral=recent, decision=RetentionDecision.DELETE, reason="Tidy"
        )
    )
    assert error.code == "not_due"
    assert "they can be reviewed once that day has passed" in error.messages[0]
    open_referral = make_referral(team=team_a, actor=practitioner)
    error = refusal(
        lambda: lifecycle.retention_review_record(
            actor=manager, referral=open_referral, decision=RetentionDecision.DELETE, reason="Tidy"
        )
    )
    assert error.messages == [f"Referral {open_referral.reference} is open: its records are kept."]
    assert not RetentionReview.objects.exists()


def test_a_practitioner_cannot_review_for_retention(team_a, practitioner):
    referral = old_closed_referral(team_a, practitioner, **PAST)
    refusal(
        lambda: lifecycle.retention_review_record(
            actor=practitioner, referral=referral, decision=RetentionDecision.DELETE, reason="Tidy"
        )
    )
    assert not RetentionReview.objects.exists()


def test_reviews_and_restrictions_stay_writable_on_a_restricted_referral(team_a, practitioner, manager):
    referral = old_closed_referral(team_a, practitioner, **PAST)
    restricted(referral, manager)
    lifecycle.retention_review_record(
        actor=manager, referral=referral, decision=RetentionDecision.DELETE, reason="No reason to keep them."
    )
    lifecycle.restriction_lift(actor=manager, referral=referral, reason="Reviewed")
    assert RetentionReview.objects.filter(referral=referral).exists()
    assert not Restriction.objects.active().exists()
