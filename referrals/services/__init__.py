"""Every write to casework records. The pipeline services are the only way to move a referral.

Each service takes the person acting and, for pipeline moves, the event date (`occurred_on`) keyword-only, so that
an importer of historical data can call the same functions as the browser. A refused write raises
ValidationError with a message a practitioner understands and leaves the database as it was. The modules follow the
sub-domains; every public name is here as well.
"""

from referrals.services.appointments import appointment_book, appointment_record_outcome
from referrals.services.common import referral_state
from referrals.services.groups import (
    group_place_offer,
    group_place_respond,
    group_programme_create,
    group_session_record,
    group_session_update,
)
from referrals.services.interventions import intervention_episode_create, intervention_episode_update
from referrals.services.moves import (
    assessment_start,
    intervention_start,
    pipeline_event_record,
    pipeline_history_extend,
    pipeline_history_rewrite,
    referral_accept,
    referral_complete,
    referral_decline,
    referral_disengage,
    referral_hold,
    referral_reopen,
    referral_resume,
)
from referrals.services.referral import (
    DuplicateSubmission,
    caregiver_add,
    caregiver_update,
    imd_decile_for_postcode,
    infant_add,
    infant_update,
    referral_create,
    referral_levels_record,
    referral_update,
)

__all__ = [
    "DuplicateSubmission",
    "appointment_book",
    "appointment_record_outcome",
    "assessment_start",
    "caregiver_add",
    "caregiver_update",
    "group_place_offer",
    "group_place_respond",
    "group_programme_create",
    "group_session_record",
    "group_session_update",
    "imd_decile_for_postcode",
    "infant_add",
    "infant_update",
    "intervention_episode_create",
    "intervention_episode_update",
    "intervention_start",
    "pipeline_event_record",
    "pipeline_history_extend",
    "pipeline_history_rewrite",
    "referral_accept",
    "referral_complete",
    "referral_create",
    "referral_decline",
    "referral_disengage",
    "referral_hold",
    "referral_levels_record",
    "referral_reopen",
    "referral_resume",
    "referral_state",
    "referral_update",
]
