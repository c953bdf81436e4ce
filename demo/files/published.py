"""The published figures (kpis.md) the window of the demo reproduces, and the window itself."""

import datetime
from fractions import Fraction

from demo.files.codes import (
    AT_REFERRAL,
    COMPLETED,
    DISENGAGED_AT_ASSESSMENT,
    DISENGAGED_AT_REFERRAL,
    DISENGAGED_DURING_INTERVENTION,
    GROUP,
    IN_ASSESSMENT,
    IN_INTERVENTION,
    IN_PROGRESS,
    INDIVIDUAL,
    NOT_ACCEPTED,
    ON_HOLD,
)

WINDOW_START = datetime.date(2023, 3, 1)
WINDOW_END = datetime.date(2024, 5, 31)

# Table 2: referrals received in the window, by pathway and status as at the window end.
ENGAGEMENT = (
    (INDIVIDUAL, NOT_ACCEPTED, 9),
    (INDIVIDUAL, DISENGAGED_AT_REFERRAL, 3),
    (INDIVIDUAL, DISENGAGED_AT_ASSESSMENT, 14),
    (INDIVIDUAL, DISENGAGED_DURING_INTERVENTION, 2),
    (INDIVIDUAL, COMPLETED, 17),
    (INDIVIDUAL, IN_PROGRESS, 19),
    (GROUP, NOT_ACCEPTED, 5),
    (GROUP, DISENGAGED_AT_REFERRAL, 16),
    (GROUP, DISENGAGED_DURING_INTERVENTION, 2),
    (GROUP, ON_HOLD, 4),
    (GROUP, COMPLETED, 4),
    (GROUP, IN_PROGRESS, 4),
)
# Where the families in progress at the window end stood then (the report gives only the total).
IN_PROGRESS_STAGES = (
    (INDIVIDUAL, AT_REFERRAL, 5),
    (INDIVIDUAL, IN_ASSESSMENT, 7),
    (INDIVIDUAL, IN_INTERVENTION, 7),
    (GROUP, AT_REFERRAL, 1),
    (GROUP, IN_INTERVENTION, 3),
)
# Where the group families on hold at the window end were when the hold began.
ON_HOLD_STAGES = (AT_REFERRAL, AT_REFERRAL, AT_REFERRAL, IN_ASSESSMENT)
ANTENATAL_REFERRALS = 10  # all on the individual pathway
ETHNICITY = (("white", 96), ("mixed", 1), ("asian", 1), ("not_stated", 1))
MEAN_INFANT_AGE_MONTHS = {INDIVIDUAL: 9.4, GROUP: 40.0}  # antenatal referrals excluded
INFANT_AGE_DAYS = {INDIVIDUAL: (7, 730), GROUP: (366, 1826)}  # 0 to 24 months; group work up to the fifth birthday

# The 55 intervention episodes of the 25 families who completed or disengaged during intervention.
WINDOW_EPISODES = {
    INDIVIDUAL: (
        ("cft_pir", 17),
        ("psychoeducation", 11),
        ("vig", 9),
        ("vipp_sd", 2),
        ("parent_infant_psychotherapy", 2),
        ("watch_wait_wonder", 1),
        ("nbo_brazelton", 1),
        ("baby_states_cues", 1),
        ("behavioural_activation", 1),
        ("emdr", 1),
        ("engagement_period", 1),
    ),
    GROUP: (("circle_of_security", 4), ("mellow", 2), ("baby_steps", 1), ("together_time", 1)),
}

# Outcomes of the 21 completed families: 16 with paired measures, 15 of them with GBO pairs.
PAIRED_COMPLETED = 16
GBO_PAIRS = 15
GBO_MEAN_T1 = Fraction(3)
GBO_MEAN_T2 = Fraction(97, 10)
GBO_GOALS_PER_PAIR = (3,) * 10 + (2,) * 4 + (1,)  # a two-goal row is needed to reach a mean ending in .7
PHQ9_GAD7_PAIRS = 14  # of the 16, including the one without GBO
MORS_PAIRS = 12
SECOND_CAREGIVER_PAIRS = 2  # second caregivers complete PHQ-9 and GAD-7 only
TOTALS_ONLY_PHQ9 = 3  # early PHQ-9s kept as totals, before the service recorded items

TRAINING = (  # session type, sessions, participants, participants per session (low, high), places over participants
    ("bitesize", 1, 40, (30, 60), (0, 20)),
    ("introduction", 70, 589, (4, 14), (0, 6)),
    ("imh_pir", 9, 62, (5, 10), (0, 4)),
)
AWARENESS_EVENTS, PEOPLE_ENGAGED = 12, 666
UNIVERSAL_COURSES, UNIVERSAL_DYADS = 13, 60
CONSULTATION_OUTCOMES = (("referred", 45), ("action_plan", 25), ("signposted", 24), ("advice_only", 0))
CONSULTATION_SERVICES = (
    ("health_visiting", 49),
    ("social_care", 20),
    ("midwifery", 3),
    ("family_hub", 3),
    ("perinatal_mental_health", 2),
    ("gp", 2),
    ("early_years_setting", 2),
    ("camhs", 2),
    ("adult_mental_health", 2),
    ("paediatrics", 2),
    ("infant_feeding", 2),
    ("voluntary_sector", 1),
    ("neonatal_unit", 1),
    ("speech_and_language", 1),
    ("self", 1),
    ("other", 1),
)
CHILDREN_RECORDED_IN, CHILDREN = 55, 64
