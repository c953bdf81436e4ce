"""Every write of outcome data: questionnaires are scored here, on save, and never typed in as scores by hand.

`questionnaire_record` takes item answers (from the browser) or totals (historical data brought in by an import);
given both, they must agree. Each save recomputes the status, the scores and their bands, and raises an alert for
any answer the definition says must be acted on.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outcomes.models import NotCompletedReason, Questionnaire, QuestionnaireStatus, SafetyAlert, Score, Timepoint
from outcomes.registry import Instrument, registry
from outcomes.scoring import ScoreResult, score_questionnaire
from outcomes.selectors import t2_due
from pairs.audit import acting
from referrals.models import Caregiver, Referral

GOAL_WORDING_MAX_LENGTH = 300
WORK_WITH_CASES = "pairs.work_with_cases"


def _require_casework(user, referral: Referral) -> None:
    if not user.has_perm(WORK_WITH_CASES, referral.team):
        raise ValidationError("You do not have permission to record questionnaires in this team.", code="permission")


def _instrument(code: str) -> Instrument:
    if code not in registry():
        raise ValidationError({"instrument": "Choose a questionnaire from the list."})
    return registry().get(code)


def _clean_goal_wording(instrument: Instrument, goal_wording: Mapping | None) -> dict[str, str]:
    wording = {str(number): str(text).strip() for number, text in (goal_wording or {}).items() if str(text).strip()}
    if wording and not instrument.is_goals:
        raise ValidationError(f"{instrument.name} has no goals to word.")
    errors = {}
    for number, text in wording.items():
        if not number.isdigit() or int(number) not in instrument.item_numbers:
            errors[f"goal_{number}"] = f"{instrument.name} has no goal {number}."
        elif len(text) > GOAL_WORDING_MAX_LENGTH:
            errors[f"goal_{number}"] = f"Goal {number} must be {GOAL_WORDING_MAX_LENGTH} characters or fewer."
    if errors:
        raise ValidationError(errors)
    return dict(sorted(wording.items()))


def _save_scores(questionnaire: Questionnaire, instrument: Instrument, result: ScoreResult) -> None:
    questionnaire.scores.all().delete()
    Score.objects.bulk_create(
        Score(
            questionnaire=questionnaire,
            scale=scale.code,
            value=result.scores[scale.code],
            band=scale.band_for(result.scores[scale.code]),
        )
        for scale in instrument.scales
        if scale.code in result.scores
    )


def _raise_alerts(questionnaire: Questionnaire, result: ScoreResult) -> None:
    """Raise an alert per flagged answer. An alert once raised stays until someone records what was done."""
    for rule in result.alerts:
        alert, created = SafetyAlert.objects.get_or_create(
            questionnaire=questionnaire,
            item=rule.item,
            defaults={"answer": result.answers[rule.item], "title": rule.title},
        )
        if not created and alert.is_open and alert.answer != result.answers[rule.item]:
            alert.answer = result.answers[rule.item]
            alert.save(update_fields=["answer"])


def _apply_result(questionnaire: Questionnaire, result: ScoreResult) -> None:
    questionnaire.status = QuestionnaireStatus.COMPLETE if result.complete else QuestionnaireStatus.INCOMPLETE
    questionnaire.score_source = result.source
    questionnaire.answers = {str(number): value for number, value in result.answers.items()}
    questionnaire.not_completed_reason = ""


@transaction.atomic
def questionnaire_record(
    *,
    referral: Referral,
    caregiver: Caregiver,
    instrument: str,
    timepoint: str,
    completed_on: datetime.date,
    recorded_by,
    answers: Mapping | None = None,
    totals: Mapping | None = None,
    goal_wording: Mapping | None = None,
) -> Questionnaire:
    """Record a questionnaire from its item answers, or from totals kept without items; score it and save it.

    A missing item saves it as incomplete with no score. Raises ValidationError, keyed by field or by the data
    contract's column (`item_3`, `total`, `warmth`), for anything out of range or inconsistent.
    """
    _require_casework(recorded_by, referral)
    definition = _instrument(instrument)
    result = score_questionnaire(definition, answers=answers, totals=totals)
    questionnaire = Questionnaire(
        referral=referral,
        caregiver=caregiver,
        instrument=instrument,
        timepoint=timepoint,
        completed_on=completed_on,
        goal_wording=_clean_goal_wording(definition, goal_wording),
        recorded_by=recorded_by,
    )
    _apply_result(questionnaire, result)
    questionnaire.full_clean()
    with acting(recorded_by):
        questionnaire.save()
        _save_scores(questionnaire, definition, result)
        _raise_alerts(questionnaire, result)
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    completed_on: datetime.date,
    version: int,
    updated_by,
    answers: Mapping | None = None,
    totals: Mapping | None = None,
    goal_wording: Mapping | None = None,
) -> Questionnaire:
    """Correct or complete a questionnaire: its answers are scored again from scratch.

    `version` is the one the editor started from; an edit made meanwhile by someone else is not overwritten.
    """
    locked = Questionnaire.objects.select_for_update().select_related("referral__team").get(pk=questionnaire.pk)
    _require_casework(updated_by, locked.referral)
    if locked.version != version:
        raise ValidationError(
            "Someone else changed this questionnaire while you were editing it. Check it again and make your change."
        )
    definition = _instrument(locked.instrument)
    result = score_questionnaire(definition, answers=answers, totals=totals)
    locked.completed_on = completed_on
    locked.goal_wording = _clean_goal_wording(definition, goal_wording)
    _apply_result(locked, result)
    locked.version = F("version") + 1
    locked.full_clean(exclude=["version"])
    with acting(updated_by):
        locked.save()
        locked.refresh_from_db()
        _save_scores(locked, definition, result)
        _raise_alerts(locked, result)
    return locked


@transaction.atomic
def questionnaire_record_not_completed(
    *,
    referral: Referral,
    caregiver: Caregiver,
    instrument: str,
    timepoint: str,
    recorded_on: datetime.date,
    reason: str,
    recorded_by,
) -> Questionnaire:
    """Record that a questionnaire was not completed, and why: the follow-up gap is then explained, not missing."""
    _require_casework(recorded_by, referral)
    _instrument(instrument)
    if reason not in NotCompletedReason.values:
        raise ValidationError({"not_completed_reason": "Select why it was not completed."})
    questionnaire = Questionnaire(
        referral=referral,
        caregiver=caregiver,
        instrument=instrument,
        timepoint=timepoint,
        completed_on=recorded_on,
        status=QuestionnaireStatus.NOT_COMPLETED,
        not_completed_reason=reason,
        score_source="",
        recorded_by=recorded_by,
    )
    questionnaire.full_clean()
    with acting(recorded_by):
        questionnaire.save()
    return questionnaire


@transaction.atomic
def follow_up_record_not_completed(
    *, referral: Referral, reason: str, recorded_on: datetime.date, recorded_by
) -> list[Questionnaire]:
    """At completion, record every T2 still due as not completed, for one reason (see `selectors.t2_due`)."""
    return [
        questionnaire_record_not_completed(
            referral=referral,
            caregiver=due.caregiver,
            instrument=due.instrument.code,
            timepoint=Timepoint.T2,
            recorded_on=recorded_on,
            reason=reason,
            recorded_by=recorded_by,
        )
        for due in t2_due(referral)
    ]


@transaction.atomic
def safety_alert_record_action(*, alert: SafetyAlert, action_taken: str, acted_on_by) -> SafetyAlert:
    """Record what was done about an alert, which closes it."""
    locked = SafetyAlert.objects.select_for_update().select_related("questionnaire__referral__team").get(pk=alert.pk)
    _require_casework(acted_on_by, locked.questionnaire.referral)
    if not locked.is_open:
        raise ValidationError("This alert has already been acted on.")
    locked.action_taken = action_taken.strip()
    if not locked.action_taken:
        raise ValidationError({"action_taken": "Describe what was done."})
    locked.acted_on_at = timezone.now()
    locked.acted_on_by = acted_on_by
    locked.full_clean()
    with acting(acted_on_by):
        locked.save()
    return locked
