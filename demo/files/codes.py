"""The codes of domain.md and data-contract.md that the demo files use."""

INDIVIDUAL, GROUP = "individual", "group"
ACCEPTED, NOT_ACCEPTED_DECISION, PENDING = "accepted", "not_accepted", "pending"

NOT_ACCEPTED = "not_accepted"
DISENGAGED_AT_REFERRAL = "disengaged_at_referral"
DISENGAGED_AT_ASSESSMENT = "disengaged_at_assessment"
DISENGAGED_DURING_INTERVENTION = "disengaged_during_intervention"
ON_HOLD = "on_hold"
COMPLETED = "completed"
IN_PROGRESS = "in_progress"

# The stage a family had reached: where an in-progress family stands at the window end, or where a hold began.
AT_REFERRAL, IN_ASSESSMENT, IN_INTERVENTION = "referral", "assessment", "intervention"

SERVICES = (
    "health_visiting",
    "midwifery",
    "gp",
    "social_care",
    "perinatal_mental_health",
    "adult_mental_health",
    "camhs",
    "family_hub",
    "neonatal_unit",
    "paediatrics",
    "early_years_setting",
    "speech_and_language",
    "infant_feeding",
    "voluntary_sector",
    "self",
    "other",
)
COMPLEXITIES = (
    "parental_mental_health",
    "domestic_abuse",
    "perinatal_loss_or_trauma",
    "substance_misuse",
    "childrens_services_involvement",
    "care_experienced_parent",
    "parental_trauma",
    "bereavement",
    "physical_health",
    "learning_disability",
    "housing_or_poverty",
    "refugee_or_asylum",
    "neonatal_unit_stay",
    "language_barrier",
)
INDIVIDUAL_INTERVENTIONS = (
    "cft_pir",
    "psychoeducation",
    "vig",
    "vipp_sd",
    "parent_infant_psychotherapy",
    "nbo_brazelton",
    "watch_wait_wonder",
    "behavioural_activation",
    "emdr",
    "baby_states_cues",
    "engagement_period",
)
GROUP_INTERVENTIONS = ("circle_of_security", "mellow", "baby_steps", "together_time")
# Weekly sessions a family usually attends in a full course of each intervention.
COURSE_SESSIONS = {
    "cft_pir": 12,
    "psychoeducation": 6,
    "vig": 6,
    "vipp_sd": 7,
    "parent_infant_psychotherapy": 16,
    "nbo_brazelton": 3,
    "watch_wait_wonder": 12,
    "behavioural_activation": 10,
    "emdr": 10,
    "baby_states_cues": 4,
    "engagement_period": 4,
    "circle_of_security": 8,
    "mellow": 14,
    "baby_steps": 9,
    "together_time": 6,
}
# Short, preparatory pieces of work come first when a family has several interventions.
OPENING_INTERVENTIONS = ("engagement_period", "nbo_brazelton", "baby_states_cues", "psychoeducation")

# MORS-SF subscales (domain.md): warmth rises and invasion falls when the relationship improves.
MORS_WARMTH_ITEMS = (1, 3, 4, 6, 8, 11, 13)
MORS_INVASION_ITEMS = (2, 5, 7, 9, 10, 12, 14)
