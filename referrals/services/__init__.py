"""Every write to casework records. The pipeline services are the only way to move a referral.

Each service takes the person acting (`actor`) and, for pipeline moves, the event date (`occurred_on`) keyword-only,
so that an importer of historical data calls the same functions as the browser. Each checks the person's permission
itself. A refused write raises ValidationError with a message a practitioner understands and leaves the database as
it was. Updates are partial: they change the details given, leave the rest, and return the names of what changed.
The modules follow the sub-domains; every public name is here as well.
"""

from referrals.hooks import Waived
from referrals.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_record_outcome,
    appointment_reschedule,
    appointment_update,
    check_assessment_start,
)
from referrals.services.family import caregiver_add, caregiver_update, infant_add, infant_update
from referrals.services.groups import (
    group_place_offer,
    group_place_respond,
    group_programme_create,
    group_session_record,
    group_session_update,
)
from referrals.services.interventions import intervention_episode_create, intervention_episode_update
from referrals.services.levels import referral_levels_record
from referrals.services.moves import (
    intervention_start,
    pipeline_history_extend,
    pipeline_history_rewrite,
    referral_accept,
    referral_complete,
    referral_move,
)
from referrals.services.referral import DuplicateSubmission, referral_create, referral_update

__all__ = [
    "DuplicateSubmission",
    "Waived",
    "appointment_book",
    "appointment_cancel",
    "appointment_record_outcome",
    "appointment_reschedule",
    "appointment_update",
    "caregiver_add",
    "caregiver_update",
    "check_assessment_start",
    "group_place_offer",
    "group_place_respond",
    "group_programme_create",
    "group_session_record",
    "group_session_update",
    "infant_add",
    "infant_update",
    "intervention_episode_create",
    "intervention_episode_update",
    "intervention_start",
    "pipeline_history_extend",
    "pipeline_history_rewrite",
    "referral_accept",
    "referral_complete",
    "referral_create",
    "referral_levels_record",
    "referral_move",
    "referral_update",
]
