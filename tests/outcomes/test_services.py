import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from outcomes.models import NotCompletedReason, Questionnaire, QuestionnaireStatus, SafetyAlert, Score, Timepoint
from outcomes.scoring import ScoreSource
from outcomes.services import (
    follow_up_record_not_completed,
    questionnaire_record,
    questionnaire_record_not_completed,
    questionnaire_update,
    safety_alert_record_action,
)
from tests.factories import CaregiverFactory, QuestionnaireFactory
from tests.outcomes.conftest import days_ago, make_referral

PHQ9_TWELVE = {1: 2, 2: 3, 3: 1, 4: 0, 5: 2, 6: 1, 7: 3, 8: 0, 9: 0}


def _record(referral, user, **overrides):
    arguments = {
        "referral": referral,
        "caregiver": referral.caregivers.get(position=1),
        "instrument": "phq9",
        "timepoint": Timepoint.T1,
        "completed_on": days_ago(100),
        "actor": user,
        "answers": PHQ9_TWELVE,
    }
    arguments.update(overrides)
    return questionnaire_record(**arguments)


def test_a_complete_questionnaire_is_scored_on_save(referral, practitioner):
    questionnaire = _record(referral, practitioner)
    assert questionnaire.status == QuestionnaireStatus.COMPLETE
    assert questionnaire.score_source == ScoreSource.ITEMS
    assert questionnaire.answers == {str(n): v for n, v in PHQ9_TWELVE.items()}
    assert list(questionnaire.scores.values_list("scale", "value", "band")) == [("total", 12.0, "Moderate")]
    entry = LogEntry.objects.get_for_object(questionnaire).get()
    assert entry.actor == practitioner
    assert entry.additional_data == {"referral_id": referral.pk}
    assert "12" not in str(questionnaire).replace(questionnaire.referral.reference, "")  # names no score


def test_a_missing_item_saves_it_incomplete_with_no_score(referral, practitioner):
    questionnaire = _record(referral, practitioner, answers={**PHQ9_TWELVE, 4: None})
    assert questionnaire.status == QuestionnaireStatus.INCOMPLETE
    assert questionnaire.missing_items == [4]
    assert not questionnaire.scores.exists()


def test_completing_an_incomplete_questionnaire_scores_it(referral, practitioner):
    questionnaire = _record(referral, practitioner, answers={**PHQ9_TWELVE, 4: None})
    updated = questionnaire_update(
        questionnaire=questionnaire,
        completed_on=questionnaire.completed_on,
        expected_version=questionnaire.version,
        actor=practitioner,
        answers={**PHQ9_TWELVE, 4: 3},
    )
    assert updated.status == QuestionnaireStatus.COMPLETE
    assert updated.version == 2
    assert list(updated.scores.values_list("value", flat=True)) == [15.0]
    assert updated.scores.get().band == "Moderately severe"


def test_a_stale_edit_is_refused(referral, practitioner):
    questionnaire = _record(referral, practitioner)
    questionnaire_update(
        questionnaire=questionnaire,
        completed_on=questionnaire.completed_on,
        expected_version=1,
        actor=practitioner,
        answers=PHQ9_TWELVE,
    )
    with pytest.raises(ValidationError, match="Someone else changed"):
        questionnaire_update(
            questionnaire=questionnaire,
            completed_on=questionnaire.completed_on,
            expected_version=1,
            actor=practitioner,
            answers={**PHQ9_TWELVE, 1: 0},
        )
    assert Score.objects.get(questionnaire=questionnaire).value == 12


def test_an_answer_out_of_range_writes_nothing(referral, practitioner):
    with pytest.raises(ValidationError) as raised:
        _record(referral, practitioner, answers={**PHQ9_TWELVE, 2: 4})
    assert "item_2" in raised.value.message_dict
    assert not Questionnaire.objects.exists()


def test_historical_totals_are_kept_without_items(referral, practitioner):
    questionnaire = _record(
        referral, practitioner, instrument="mors_sf", answers=None, totals={"warmth": 30, "invasion": 8}
    )
    assert questionnaire.score_source == ScoreSource.TOTALS
    assert questionnaire.answers == {}
    assert dict(questionnaire.scores.values_list("scale", "value")) == {"warmth": 30.0, "invasion": 8.0}


def test_items_and_totals_that_disagree_are_refused(referral, practitioner):
    with pytest.raises(ValidationError) as raised:
        _record(referral, practitioner, totals={"total": 13})
    assert "total" in raised.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"instrument": "epds"}, "instrument"),
        ({"timepoint": "T3"}, "timepoint"),
        ({"completed_on": days_ago(-1)}, "completed_on"),
        ({"completed_on": days_ago(200)}, "completed_on"),
    ],
)
def test_impossible_records_are_refused(referral, practitioner, overrides, field):
    with pytest.raises(ValidationError) as raised:
        _record(referral, practitioner, **overrides)
    assert field in raised.value.message_dict


def test_the_caregiver_must_belong_to_the_referral(referral, practitioner, team_a):
    other = make_referral(team=team_a, actor=practitioner)
    with pytest.raises(ValidationError) as raised:
        _record(referral, practitioner, caregiver=other.caregivers.get())
    assert "caregiver" in raised.value.message_dict


@pytest.mark.parametrize("user", ["practitioner_b", "commissioner"])
def test_only_the_team_s_clinicians_may_record(referral, request, user):
    with pytest.raises(ValidationError, match="permission"):
        _record(referral, request.getfixturevalue(user))


def test_gbo_goals_keep_the_parent_s_words(referral, practitioner):
    questionnaire = _record(
        referral,
        practitioner,
        instrument="gbo",
        answers={1: 2, 2: 4, 3: None},
        goal_wording={1: "  Feel closer to my baby ", 2: "Understand her cues", 3: ""},
    )
    assert questionnaire.goal_wording == {"1": "Feel closer to my baby", "2": "Understand her cues"}
    assert questionnaire.scores.get().value == 3.0


def test_goal_wording_is_refused_for_an_instrument_without_goals(referral, practitioner):
    with pytest.raises(ValidationError, match="no goals"):
        _record(referral, practitioner, goal_wording={1: "A goal"})


def test_not_completed_with_a_reason(referral, practitioner):
    questionnaire = questionnaire_record_not_completed(
        referral=referral,
        caregiver=referral.caregivers.get(),
        instrument="gad7",
        timepoint=Timepoint.T2,
        recorded_on=days_ago(1),
        reason=NotCompletedReason.DECLINED,
        actor=practitioner,
    )
    assert questionnaire.status == QuestionnaireStatus.NOT_COMPLETED
    assert questionnaire.score_source == ""
    assert not questionnaire.scores.exists()


def test_not_completed_needs_a_reason(referral, practitioner):
    with pytest.raises(ValidationError):
        questionnaire_record_not_completed(
            referral=referral,
            caregiver=referral.caregivers.get(),
            instrument="gad7",
            timepoint=Timepoint.T2,
            recorded_on=days_ago(1),
            reason="",
            actor=practitioner,
        )


def test_phq9_item_9_raises_one_alert_until_acted_on(referral, practitioner, manager):
    questionnaire = _record(referral, practitioner, answers={**PHQ9_TWELVE, 9: 1})
    alert = SafetyAlert.objects.get()
    assert (alert.questionnaire, alert.item, alert.answer, alert.is_open) == (questionnaire, 9, 1, True)
    questionnaire_update(
        questionnaire=questionnaire,
        completed_on=questionnaire.completed_on,
        expected_version=questionnaire.version,
        actor=practitioner,
        answers={**PHQ9_TWELVE, 9: 2},
    )
    alert.refresh_from_db()
    assert SafetyAlert.objects.count() == 1
    assert alert.answer == 2
    acted = safety_alert_record_action(alert=alert, action_taken="Rang the GP; safety plan agreed.", actor=manager)
    assert not acted.is_open
    assert acted.acted_on_by == manager
    assert LogEntry.objects.get_for_object(acted).filter(actor=manager).exists()
    with pytest.raises(ValidationError, match="already"):
        safety_alert_record_action(alert=alert, action_taken="Again", actor=manager)


def test_an_alert_needs_a_description_of_the_action(referral, practitioner):
    _record(referral, practitioner, answers={**PHQ9_TWELVE, 9: 3})
    with pytest.raises(ValidationError):
        safety_alert_record_action(alert=SafetyAlert.objects.get(), action_taken="   ", actor=practitioner)
    assert SafetyAlert.objects.get().is_open


def test_an_alert_is_not_raised_by_an_answer_of_0(referral, practitioner):
    _record(referral, practitioner)
    assert not SafetyAlert.objects.exists()


def test_follow_up_not_completed_records_every_t2_due(team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner, caregivers=2)
    first, second = referral.caregivers.order_by("position")
    QuestionnaireFactory(referral=referral, caregiver=first, instrument="phq9", recorded_by=practitioner)
    QuestionnaireFactory(referral=referral, caregiver=second, instrument="gbo", recorded_by=practitioner)
    QuestionnaireFactory(referral=referral, caregiver=first, instrument="gad7", recorded_by=practitioner)
    QuestionnaireFactory(
        referral=referral, caregiver=first, instrument="gad7", timepoint=Timepoint.T2, recorded_by=practitioner
    )
    recorded = follow_up_record_not_completed(
        referral=referral, reason=NotCompletedReason.DISENGAGED, recorded_on=days_ago(0), actor=practitioner
    )
    assert sorted((q.caregiver.position, q.instrument, q.timepoint, q.status) for q in recorded) == [
        (1, "phq9", "T2", "not_completed"),
        (2, "gbo", "T2", "not_completed"),
    ]


def test_the_factory_scores_through_the_service(referral):
    questionnaire = QuestionnaireFactory(referral=referral, instrument="gad7")
    assert questionnaire.scores.get().value == 0
    other = CaregiverFactory(referral=referral, position=2)
    assert QuestionnaireFactory(referral=referral, caregiver=other, totals={"total": 9}).score_source == "totals"


def test_an_edit_without_goal_wording_keeps_the_parent_s_words(referral, practitioner):
    questionnaire = _record(
        referral, practitioner, instrument="gbo", answers={1: 2, 2: 4}, goal_wording={1: "Feel closer to my baby"}
    )
    updated = questionnaire_update(
        actor=practitioner,
        questionnaire=questionnaire,
        expected_version=None,
        completed_on=questionnaire.completed_on,
        answers={1: 3, 2: 4},
    )
    assert updated.goal_wording == {"1": "Feel closer to my baby"}
    assert (updated.version, updated.scores.get().value) == (2, 3.5)


def test_an_edit_is_one_audit_entry_of_what_changed(referral, practitioner):
    questionnaire = _record(referral, practitioner)
    questionnaire_update(
        actor=practitioner,
        questionnaire=questionnaire,
        expected_version=1,
        completed_on=questionnaire.completed_on,
        answers={**PHQ9_TWELVE, 1: 0},
    )
    entry = LogEntry.objects.get_for_object(questionnaire).get(action=LogEntry.Action.UPDATE)
    assert (entry.actor, set(entry.changes_dict)) == (practitioner, {"answers"})


# Permissions: the team's clinicians only; a commissioner or another team's practitioner is refused, nothing saved.

OUTSIDERS = ["practitioner_b", "commissioner"]


@pytest.mark.parametrize("user", OUTSIDERS)
def test_an_outsider_records_no_questionnaire_nor_one_not_completed(referral, request, user):
    outsider = request.getfixturevalue(user)
    with pytest.raises(ValidationError, match="permission"):
        _record(referral, outsider)
    with pytest.raises(ValidationError, match="permission"):
        questionnaire_record_not_completed(
            actor=outsider,
            referral=referral,
            caregiver=referral.caregivers.get(),
            instrument="gad7",
            timepoint=Timepoint.T2,
            recorded_on=days_ago(1),
            reason=NotCompletedReason.DECLINED,
        )
    with pytest.raises(ValidationError, match="permission"):
        follow_up_record_not_completed(
            actor=outsider, referral=referral, reason=NotCompletedReason.DISENGAGED, recorded_on=days_ago(0)
        )
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("user", OUTSIDERS)
def test_an_outsider_changes_no_questionnaire(referral, practitioner, request, user):
    questionnaire = _record(referral, practitioner)
    with pytest.raises(ValidationError, match="permission"):
        questionnaire_update(
            actor=request.getfixturevalue(user),
            questionnaire=questionnaire,
            expected_version=questionnaire.version,
            completed_on=questionnaire.completed_on,
            answers={**PHQ9_TWELVE, 1: 0},
        )
    questionnaire.refresh_from_db()
    assert (questionnaire.version, questionnaire.answers["1"]) == (1, 2)
    assert Score.objects.get(questionnaire=questionnaire).value == 12


@pytest.mark.parametrize("user", OUTSIDERS)
def test_an_outsider_acts_on_no_alert(referral, practitioner, request, user):
    _record(referral, practitioner, answers={**PHQ9_TWELVE, 9: 1})
    with pytest.raises(ValidationError, match="permission"):
        safety_alert_record_action(
            actor=request.getfixturevalue(user), alert=SafetyAlert.objects.get(), action_taken="Rang the GP."
        )
    alert = SafetyAlert.objects.get()
    assert (alert.is_open, alert.action_taken, alert.acted_on_by) == (True, "", None)
