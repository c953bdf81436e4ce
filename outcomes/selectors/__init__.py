"""Every read of outcome data: the referral's questionnaires, what is due, the paired changes and cohort statistics.

Pairing (domain.md, kpis.md): a referral's change on an instrument scale is, per caregiver, the first scored T1
against the last scored T2, both dated on or before the end of the period when one is given; MID is not paired.
The pairs are built by one query, and a cohort's are summed in the database in one more, per scale, family and
caregiver (whatever the number of referrals); Python turns the sums into means, p-values and effect sizes.
"""

from outcomes.selectors.cohort import cohort_outcomes, cohort_statistics
from outcomes.selectors.due import (
    ACTIVE_STATUSES,
    Due,
    T2Due,
    outstanding_by_referral,
    t1_due_by_referral,
    t1_due_for,
    t2_due,
    t2_due_list,
)
from outcomes.selectors.pairs import (
    PairedChange,
    paired_changes,
    paired_scores,
    referral_rollup,
    rollup_counts,
    with_outcome_rollup,
    with_paired_outcomes,
)
from outcomes.selectors.questionnaires import open_alerts, referral_open_alerts, referral_questionnaires

__all__ = [
    "ACTIVE_STATUSES",
    "Due",
    "PairedChange",
    "T2Due",
    "cohort_outcomes",
    "cohort_statistics",
    "open_alerts",
    "outstanding_by_referral",
    "paired_changes",
    "paired_scores",
    "referral_open_alerts",
    "referral_questionnaires",
    "referral_rollup",
    "rollup_counts",
    "t1_due_by_referral",
    "t1_due_for",
    "t2_due",
    "t2_due_list",
    "with_outcome_rollup",
    "with_paired_outcomes",
]
