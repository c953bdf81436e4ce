"""Every read of casework, scoped to what the person may see in the team they are working in.

Lists and the record page read statuses through `ReferralQuerySet.with_status_as_at`, the same method the KPIs use,
and each page runs a fixed number of queries whatever the number of referrals. The modules follow the sub-domains;
every public name is here as well.
"""

from referrals.selectors.appointments import practitioner_week, week_start
from referrals.selectors.groups import (
    group_offer_candidates,
    group_programme_record,
    group_programmes,
    group_session_places,
)
from referrals.selectors.referral import (
    clinicians,
    imd_decile_for_postcode,
    open_referrals_matching,
    referral_in_scope,
    referral_list,
    referral_record,
    referral_state,
    team_caseload_counts,
    waiting_list,
)
from referrals.selectors.search import referral_search
from referrals.selectors.timeline import TimelineEntry, referral_timeline, status_tag_text, timeline_sources

__all__ = [
    "TimelineEntry",
    "clinicians",
    "group_offer_candidates",
    "group_programme_record",
    "group_programmes",
    "group_session_places",
    "imd_decile_for_postcode",
    "open_referrals_matching",
    "practitioner_week",
    "referral_in_scope",
    "referral_list",
    "referral_record",
    "referral_search",
    "referral_state",
    "referral_timeline",
    "status_tag_text",
    "team_caseload_counts",
    "timeline_sources",
    "waiting_list",
    "week_start",
]
