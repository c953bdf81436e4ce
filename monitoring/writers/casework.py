"""Writers of the casework files: referrals with their pipeline histories, intervention episodes, questionnaires."""

from typing import TYPE_CHECKING

from monitoring.schema.casework import InterventionRecord, ReferralRecord
from monitoring.schema.outcomes import OutcomeRecord
from monitoring.writers.base import CREATED, UNCHANGED, UPDATED, Writer, differences
from outcomes import services as outcome_services
from outcomes.models import Questionnaire
from pairs.models import Service
from referrals import services as referral_services
from referrals.hooks import Waived
from referrals.models import (
    Caregiver,
    Complexity,
    DeclineReason,
    DisengagementReason,
    HoldReason,
    Intervention,
    InterventionEpisode,
    Referral,
)
from referrals.pipeline import ReasonVocabulary

if TYPE_CHECKING:
    from monitoring.importer import ImportRun

# Which vocabulary the reason of each closing step comes from.
STEP_REASON = {
    "not_accepted": ReasonVocabulary.DECLINE,
    "on_hold": ReasonVocabulary.HOLD,
    "disengaged": ReasonVocabulary.DISENGAGEMENT,
}
# A history records completions that already happened: their T2 questionnaires come in outcomes.csv, after the
# referrals, or never. So the completion guards (the T2 rule of outcomes) are waived for the import, and only here.
HISTORICAL_IMPORT = Waived("an import of a team's monitoring history")
REASON_MODELS = {
    ReasonVocabulary.DECLINE: DeclineReason,
    ReasonVocabulary.DISENGAGEMENT: DisengagementReason,
    ReasonVocabulary.HOLD: HoldReason,
}


class ReferralWriter(Writer):
    def __init__(self, run: "ImportRun"):
        super().__init__(run)
        self.services = {s.code: s for s in Service.objects.all()}
        self.complexities = {c.code: c for c in Complexity.objects.all()}
        self.reasons = {
            vocabulary: {r.code: r for r in model.objects.all()} for vocabulary, model in REASON_MODELS.items()
        }
        self.existing: dict[str, Referral] = {}

    def load(self, records: list[ReferralRecord]) -> None:
        references = [record.reference for record in records if record is not None]
        self.existing = {
            referral.reference: referral
            for referral in Referral.objects.in_team(self.team)
            .filter(reference__in=references)
            .prefetch_related("events", "caregivers", "infants", "complexities")
        }

    def _steps(self, record: ReferralRecord) -> list[tuple]:
        """(kind, date, reason) of each pipeline event after the receipt, the reasons as vocabulary entries."""
        steps = []
        for step in record.steps[1:]:
            vocabulary = STEP_REASON.get(step.kind)
            reason = self.reasons[vocabulary][step.reason_code] if vocabulary and step.reason_code else None
            steps.append((step.kind, step.occurred_on, reason))
        return steps

    @staticmethod
    def _recorded_steps(referral: Referral) -> list[tuple]:
        events = sorted(referral.events.all(), key=lambda e: (e.occurred_on, e.sequence))
        return [(event.kind, event.occurred_on, event.reason) for event in events]

    def write(self, record: ReferralRecord) -> str:
        existing = self.existing.get(record.reference)
        if existing is None:
            self._create(record)
            return CREATED
        return UPDATED if self._update(existing, record) else UNCHANGED

    def _caregiver(self, record: ReferralRecord) -> dict:
        return {
            "role": record.caregiver_role,
            "birth_year": record.caregiver_birth_year,
            "ethnicity": record.ethnicity,
            "postcode": record.postcode,
        }

    def _create(self, record: ReferralRecord) -> None:
        infants = [{"date_of_birth": record.infant_date_of_birth}] if record.infant_date_of_birth else []
        referral = referral_services.referral_create(
            team=self.team,
            actor=self.actor,
            received_on=record.received_on,
            pathway=record.pathway,
            referrer_service=self.services[record.referrer_service],
            caregivers=[self._caregiver(record)],
            infants=infants,
            complexities=[self.complexities[code] for code in record.complexities],
            reference=record.reference,
            is_antenatal=record.antenatal,
            imd_decile=record.imd_decile,
            first_contact_on=record.first_contact_on,
        )
        referral_services.pipeline_history_extend(
            referral=referral, actor=self.actor, steps=self._steps(record), completion_guards=HISTORICAL_IMPORT
        )
        self._levels(referral, record)

    def _levels(self, referral: Referral, record: ReferralRecord) -> bool:
        wanted = {
            "safeguarding_level": record.safeguarding_level,
            "risk_count": record.risk_count,
            "imd_decile": record.imd_decile,
        }
        referral.refresh_from_db()
        if not differences(referral, wanted):
            return False
        decided = next((s.occurred_on for s in record.steps if s.kind in ("accepted", "not_accepted")), None)
        referral_services.referral_levels_record(
            referral=referral,
            actor=self.actor,
            recorded_on=decided or record.received_on,
            thrive_level=referral.thrive_level,
            **wanted,
        )
        return True

    def _update(self, referral: Referral, record: ReferralRecord) -> bool:
        changed = False
        details = {
            "pathway": record.pathway,
            "referrer_service": self.services[record.referrer_service],
            "is_antenatal": record.antenatal,
            "first_contact_on": record.first_contact_on,
        }
        complexities = [self.complexities[code] for code in record.complexities]
        if differences(referral, details) or {c.code for c in referral.complexities.all()} != set(record.complexities):
            referral_services.referral_update(referral=referral, actor=self.actor, complexities=complexities, **details)
            changed = True
        caregiver = next((c for c in referral.caregivers.all() if c.position == 1), None)
        wanted = self._caregiver(record)
        if caregiver is not None and differences(caregiver, wanted):
            referral_services.caregiver_update(caregiver=caregiver, actor=self.actor, **wanted)
            changed = True
        infant = next(iter(referral.infants.all()), None)
        if record.infant_date_of_birth and (infant is None or infant.date_of_birth != record.infant_date_of_birth):
            if infant is None:
                referral_services.infant_add(
                    referral=referral, actor=self.actor, date_of_birth=record.infant_date_of_birth
                )
            else:
                referral_services.infant_update(
                    infant=infant, actor=self.actor, date_of_birth=record.infant_date_of_birth
                )
            changed = True
        wanted_steps = self._steps(record)
        recorded = self._recorded_steps(referral)
        if record.received_on != referral.received_on or recorded[1:] != wanted_steps:
            referral.refresh_from_db()
            if record.received_on == referral.received_on and recorded[1:] == wanted_steps[: len(recorded) - 1]:
                referral_services.pipeline_history_extend(
                    referral=referral,
                    actor=self.actor,
                    steps=wanted_steps[len(recorded) - 1 :],
                    completion_guards=HISTORICAL_IMPORT,
                )
            else:
                referral_services.pipeline_history_rewrite(
                    referral=referral,
                    actor=self.actor,
                    received_on=record.received_on,
                    steps=wanted_steps,
                    completion_guards=HISTORICAL_IMPORT,
                )
            changed = True
        return self._levels(referral, record) or changed


class ReferencedWriter(Writer):
    """A writer of records filed under a referral named by its reference."""

    def referrals_of(self, records: list) -> dict[str, Referral]:
        references = {record.reference for record in records if record is not None}
        return {r.reference: r for r in Referral.objects.in_team(self.team).filter(reference__in=references)}


class InterventionWriter(ReferencedWriter):
    def __init__(self, run: "ImportRun"):
        super().__init__(run)
        self.interventions = {i.code: i for i in Intervention.objects.all()}

    def load(self, records: list[InterventionRecord]) -> None:
        self.referrals = self.referrals_of(records)
        self.existing = {
            (episode.referral.reference, episode.intervention.code, episode.started_on): episode
            for episode in InterventionEpisode.objects.filter(referral__in=self.referrals.values()).select_related(
                "referral", "intervention"
            )
        }

    def write(self, record: InterventionRecord) -> str:
        episode = self.existing.get(record.key)
        referral = self.referrals[record.reference]
        if episode is None:
            episode = referral_services.intervention_episode_create(
                referral=referral,
                actor=self.actor,
                intervention=self.interventions[record.intervention],
                started_on=record.started_on,
            )
            if record.ended_on is None and record.sessions_attended is None:
                return CREATED
            outcome = CREATED
        elif differences(episode, {"ended_on": record.ended_on, "sessions_attended": record.sessions_attended}):
            outcome = UPDATED
        else:
            return UNCHANGED
        referral_services.intervention_episode_update(
            episode=episode,
            actor=self.actor,
            expected_version=episode.version,
            ended_on=record.ended_on,
            sessions_attended=record.sessions_attended,
        )
        return outcome


class OutcomeWriter(ReferencedWriter):
    def load(self, records: list[OutcomeRecord]) -> None:
        self.referrals = self.referrals_of(records)
        self.caregivers = {
            (caregiver.referral_id, caregiver.position): caregiver
            for caregiver in Caregiver.objects.filter(referral__in=self.referrals.values())
        }
        self.existing = {
            (q.referral.reference, q.instrument, q.timepoint, q.caregiver.position): q
            for q in Questionnaire.objects.filter(referral__in=self.referrals.values()).select_related(
                "referral", "caregiver"
            )
        }

    def write(self, record: OutcomeRecord) -> str:
        referral = self.referrals[record.reference]
        caregiver = self.caregivers.get((referral.pk, record.caregiver))
        if caregiver is None:
            # The contract's `caregiver` 2 is the referral's second caregiver; the referrals file names only one.
            caregiver = referral_services.caregiver_add(referral=referral, actor=self.actor, role="other")
            self.caregivers[(referral.pk, record.caregiver)] = caregiver
        questionnaire = self.existing.get(record.key)
        if questionnaire is None:
            questionnaire = outcome_services.questionnaire_record(
                referral=referral,
                caregiver=caregiver,
                instrument=record.instrument,
                timepoint=record.timepoint,
                completed_on=record.completed_on,
                actor=self.actor,
                answers=record.answers,
                totals=record.totals,
            )
            self.existing[record.key] = questionnaire
            return CREATED
        if self._matches(questionnaire, record):
            return UNCHANGED
        outcome_services.questionnaire_update(
            questionnaire=questionnaire,
            completed_on=record.completed_on,
            expected_version=questionnaire.version,
            actor=self.actor,
            answers=record.answers,
            totals=record.totals,
        )
        return UPDATED

    @staticmethod
    def _matches(questionnaire: Questionnaire, record: OutcomeRecord) -> bool:
        """Whether the row says what is recorded: same date, same answers, and the totals (if any) as scored."""
        if questionnaire.completed_on != record.completed_on:
            return False
        recorded_answers = {int(number): value for number, value in (questionnaire.answers or {}).items()}
        if recorded_answers != (record.answers or {}):
            return False
        if record.totals:
            scores = {score.scale: score.value for score in questionnaire.scores.all()}
            return all(scores.get(scale) == float(value) for scale, value in record.totals.items())
        return True
