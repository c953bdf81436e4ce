"""The outcomes panel of a referral record: each instrument's scores over time, the paired change and its chart.

`outcomes_panel_context` gives `templates/outcomes/_panel.html` everything it shows, in a fixed number of queries;
the record page includes the panel with `{% load outcomes %}{% outcomes_panel referral %}`.
"""

from dataclasses import dataclass, field

from outcomes.charts import PIXEL_SIZE
from outcomes.models import Questionnaire, QuestionnaireStatus
from outcomes.registry import Instrument, registry
from outcomes.selectors import PairedChange, paired_changes, referral_questionnaires, t1_due_for
from pairs.rules import Perm, has_team_perm
from referrals.models import Referral
from referrals.selectors.lifecycle import active_restriction


@dataclass
class InstrumentSection:
    instrument: Instrument
    questionnaires: list[Questionnaire] = field(default_factory=list)
    pairs: list[PairedChange] = field(default_factory=list)

    @property
    def has_scores(self) -> bool:
        return any(q.is_scored for q in self.questionnaires)

    @property
    def rows(self) -> list[dict]:
        """A row per questionnaire, with its scores in the order of the instrument's scales."""
        return [{"questionnaire": q, "cells": q.score_rows()} for q in self.questionnaires]

    @property
    def pair_rows(self) -> list[dict]:
        caregivers = {q.caregiver_id: q.caregiver for q in self.questionnaires}
        return [{"pair": pair, "caregiver": caregivers.get(pair.caregiver_id)} for pair in self.pairs]

    @property
    def has_several_caregivers(self) -> bool:
        return len({pair.caregiver_id for pair in self.pairs}) > 1


def outcomes_panel_context(referral: Referral, *, user, team) -> dict:
    """Everything the panel shows, in at most seven queries: the questionnaires with their scores and alerts, the
    pairs when anything is scored, the referral's status and caregivers when it does not carry them, and its
    restriction when the record page has not read it."""
    questionnaires = referral_questionnaires(referral)
    sections = {instrument.code: InstrumentSection(instrument) for instrument in registry()}
    for questionnaire in questionnaires:
        if questionnaire.instrument in sections:
            sections[questionnaire.instrument].questionnaires.append(questionnaire)
    if any(questionnaire.is_scored for questionnaire in questionnaires):
        for pair in paired_changes(Referral.objects.filter(pk=referral.pk)):
            sections[pair.instrument.code].pairs.append(pair)
    alerts = [alert for q in questionnaires for alert in q.alerts.all() if alert.is_open]
    # Nothing is offered that the save would refuse: not while the records are restricted (the restriction is the
    # one the record page's notice read, kept on the referral).
    can_record = (
        has_team_perm(user, Perm.WORK_WITH_CASES, team)
        and referral.team_id == getattr(team, "pk", None)
        and active_restriction(referral) is None
    )
    return {
        "referral": referral,
        "sections": [section for section in sections.values() if section.questionnaires],
        "instruments": list(registry()),
        "t1_due": t1_due_for(referral, questionnaires) if can_record else [],
        "incomplete": [q for q in questionnaires if q.status == QuestionnaireStatus.INCOMPLETE],
        "open_alerts": alerts,
        "chart_size": PIXEL_SIZE,
        "can_record": can_record,
    }
