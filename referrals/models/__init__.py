"""Casework records (domain.md, The records): referrals and their families, the dated pipeline events, appointments,
intervention episodes and group programmes, with the coded vocabularies they use.

Every record belongs to a team, directly or through its referral, and is read through a team-scoped QuerySet.
Writes go through `referrals.services`. The modules follow the sub-domains; every public name is here as well.
"""

from referrals.models.appointments import CANCELLED_OUTCOMES, Appointment, AppointmentChange
from referrals.models.events import PipelineEvent
from referrals.models.groups import GroupPlace, GroupProgramme, GroupSession, TeamScopedThroughProgramme
from referrals.models.interventions import InterventionEpisode
from referrals.models.lifecycle import Correction, Restriction, RetentionDecision, RetentionReview
from referrals.models.referral import (
    Caregiver,
    ImdPostcode,
    Infant,
    LevelsRecord,
    Pathway,
    Referral,
    ReferralChild,
    ReferralQuerySet,
    TeamScopedThroughReferral,
)
from referrals.models.vocabularies import (
    REASON_MODELS,
    Complexity,
    DeclineReason,
    DisengagementReason,
    HoldReason,
    Intervention,
    ThriveLevel,
)

__all__ = [
    "CANCELLED_OUTCOMES",
    "REASON_MODELS",
    "Appointment",
    "AppointmentChange",
    "Caregiver",
    "Complexity",
    "Correction",
    "DeclineReason",
    "DisengagementReason",
    "GroupPlace",
    "GroupProgramme",
    "GroupSession",
    "HoldReason",
    "ImdPostcode",
    "Infant",
    "Intervention",
    "InterventionEpisode",
    "LevelsRecord",
    "Pathway",
    "PipelineEvent",
    "Referral",
    "ReferralChild",
    "ReferralQuerySet",
    "Restriction",
    "RetentionDecision",
    "RetentionReview",
    "TeamScopedThroughProgramme",
    "TeamScopedThroughReferral",
    "ThriveLevel",
]
