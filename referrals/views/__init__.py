"""Casework pages. Each view loads what it needs in the person's team (404 outside it), validates a form, calls one
service and redirects after a POST. Commissioners are refused every page (403). The modules follow the sub-domains;
every view is here as well, for the URLconf."""

from referrals.views.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_detail,
    appointment_edit,
    appointment_outcome,
    appointment_reschedule,
    appointments_week,
)
from referrals.views.groups import (
    group_create,
    group_detail,
    group_list,
    group_offer,
    group_place_respond,
    group_session_edit,
    group_session_record,
)
from referrals.views.interventions import episode_create, episode_edit
from referrals.views.moves import referral_move
from referrals.views.referral import (
    caregiver_create,
    caregiver_edit,
    infant_create,
    infant_edit,
    referral_create,
    referral_detail,
    referral_edit,
    referral_levels,
)

__all__ = [
    "appointment_book",
    "appointment_cancel",
    "appointment_detail",
    "appointment_edit",
    "appointment_outcome",
    "appointment_reschedule",
    "appointments_week",
    "caregiver_create",
    "caregiver_edit",
    "episode_create",
    "episode_edit",
    "group_create",
    "group_detail",
    "group_list",
    "group_offer",
    "group_place_respond",
    "group_session_edit",
    "group_session_record",
    "infant_create",
    "infant_edit",
    "referral_create",
    "referral_detail",
    "referral_edit",
    "referral_levels",
    "referral_move",
]
