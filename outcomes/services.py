"""Every write of outcome data, `<noun>_<verb>(*, actor, ...)`: questionnaires are scored here, on save, and never
typed in as scores by hand.

`questionnaire_record` takes item answers (from the browser) or totals (historical data brought in by an import);
given both, they must agree. Each save recomputes the status, the scores and their bands, and raises an alert for
any answer the definition says must be acted on. Each service checks that the actor works with cases in the
referral's team and attributes its audit entries to them.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from outcomes.models import NotCompletedReason, Questionnaire, QuestionnaireStatus, SafetyAlert, Score, Timepoint
from outcomes.registry import Instrument, registry
from outcomes.scoring import ScoreResult, score_questionnaire
from outcomes.selectors import t2_due
from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked
from pairs.rules import Perm, require
from referrals.models import Caregiver, Referral

GOAL_WORDING_MAX_LENGTH = 300


def _require_casework(actor, referral: Referral) -> None:
    require(
        actor, Perm.WORK_WITH_CASES, referral.team, "You do not have permission to record questionnaires in this team."
    )


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


def _scored_save(actor, questionnaire: Questionnaire, definition: Instrument, result: ScoreResult) -> None:
    """Save a questionnaire as scored (its status and answers, its scores, any alert), attributed to `actor`.
    Saving one already recorded counts a new version of it."""
    _apply_result(questionnaire, result)
    questionnaire.full_clean()
    recorded = not questionnaire._state.adding
    with acting(actor):
        questionnaire.save()
        if recorded:
            bump_version(questionnaire)
        _save_scores(questionnaire, definition, result)
        _raise_alerts(questionnaire, result)


@transaction.atomic
def questionnaire_record(
    *,
    actor,
    referral: Referral,
    caregiver: Caregiver,
    instrument: str,
    timepoint: str,
    completed_on: datetime.date,
    answers: Mapping | None = None,
    totals: Mapping | None = None,
    goal_wording: Mapping | None = None,
) -> Questionnaire:
    """Record a questionnaire from its item answers, or from totals kept without items; score it and save it.

    A missing item saves it as incomplete with no score. Raises ValidationError, keyed by field or by the data
    contract's column (`item_3`, `total`, `warmth`), for anything out of range or inconsistent.
    """
    _require_casework(actor, referral)
    definition = _instrument(instrument)
    result = score_questionnaire(definition, answers=answers, totals=totals)
    questionnaire = Questionnaire(
        referral=referral,
        caregiver=caregiver,
        instrument=instrument,
        timepoint=timepoint,
        completed_on=completed_on,
        goal_wording=_clean_goal_wording(definition, goal_wording),
        recorded_by=actor,
    )
    _scored_save(actor, questionnaire, definition, result)
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *,
    actor,
    questionnaire: Questionnaire,
    expected_version: int | None,
    completed_on: datetime.date,
    answers: Mapping | None = None,
    totals: Mapping | None = None,
    goal_wording: Mapping | None = None,
) -> Questionnaire:
    """Correct or complete a questionnaire: its answers are scored again from scratch.

    `expected_version` is the one the editor started from (None: what is there now); an edit made meanwhile by
    someone else is not overwritten. Every save counts as a new version, even one that changes nothing, so that a
    page opened before it is stale. `goal_wording=None` keeps the goals' words as they are.
    """
    questionnaire = locked(questionnaire)
    _require_casework(actor, questionnaire.referral)
    check_version(questionnaire, expected_version, noun="questionnaire")
    definition = _instrument(questionnaire.instrument)
    result = score_questionnaire(definition, answers=answers, totals=totals)
    questionnaire.completed_on = completed_on
    if goal_wording is not None:
        questionnaire.goal_wording = _clean_goal_wording(definition, goal_wording)
    _scored_save(actor, questionnaire, definition, result)
    return questionnaire


@transaction.atomic
def questionnaire_record_not_completed(
    *,
    actor,
    referral: Referral,
    caregiver: Caregiver,
    instrument: str,
    timepoint: str,
    recorded_on: datetime.date,
    reason: str,
) -> Questionnaire:
    """Record that a questionnaire was not completed, and why: the follow-up gap is then explained, not missing."""
    _require_casework(actor, referral)
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
        recorded_by=actor,
    )
    questionnaire.full_clean()
    with acting(actor):
        questionnaire.save()
    return questionnaire


@transaction.atomic
def follow_up_record_not_completed(
    *, actor, referral: Referral, reason: str, recorded_on: datetime.date
) -> list[Questionnaire]:
    """At completion, record every T2 still due as not completed, for one reason (see `selectors.t2_due`)."""
    _require_casework(actor, referral)
    return [
        questionnaire_record_not_completed(
            actor=actor,
            referral=referral,
            caregiver=due.caregiver,
            instrument=due.instrument.code,
            timepoint=Timepoint.T2,
            recorded_on=recorded_on,
            reason=reason,
        )
        for due in t2_due(referral)
    ]


@transaction.atomic
def safety_alert_record_action(*, actor, alert: SafetyAlert, action_taken: str) -> SafetyAlert:
    """Record what was done about an alert, which closes it."""
    alert = locked(alert)
    _require_casework(actor, alert.questionnaire.referral)
    if not alert.is_open:
        raise ValidationError("This alert has already been acted on.")
    alert.action_taken = action_taken.strip()
    if not alert.action_taken:
        raise ValidationError({"action_taken": "Describe what was done."})
    alert.acted_on_at = timezone.now()
    alert.acted_on_by = actor
    alert.full_clean()
    with acting(actor):
        alert.save()
    return alert
