"""Plausible distributions (not published) for what the published figures leave open."""

from demo.files.codes import (
    AT_REFERRAL,
    COMPLETED,
    DISENGAGED_AT_ASSESSMENT,
    DISENGAGED_AT_REFERRAL,
    DISENGAGED_DURING_INTERVENTION,
    GROUP,
    IN_ASSESSMENT,
    IN_INTERVENTION,
    INDIVIDUAL,
    NOT_ACCEPTED,
    ON_HOLD,
)

REFERRER_WEIGHTS = {
    INDIVIDUAL: {
        "health_visiting": 42,
        "midwifery": 12,
        "perinatal_mental_health": 10,
        "social_care": 8,
        "gp": 7,
        "family_hub": 5,
        "self": 4,
        "adult_mental_health": 3,
        "neonatal_unit": 3,
        "paediatrics": 2,
        "voluntary_sector": 2,
        "camhs": 1,
        "early_years_setting": 1,
    },
    GROUP: {
        "health_visiting": 35,
        "family_hub": 25,
        "self": 15,
        "social_care": 8,
        "early_years_setting": 8,
        "voluntary_sector": 5,
        "gp": 2,
        "other": 2,
    },
}
CAREGIVER_ROLE_WEIGHTS = {"mother": 88, "father": 6, "co_parent": 2, "other": 4}
LATER_ETHNICITY_WEIGHTS = {"white": 94, "mixed": 2, "asian": 1.5, "black": 0.5, "other": 0.5, "not_stated": 1.5}
IMD_DECILE_WEIGHTS = {1: 40, 2: 18, 3: 12, 4: 9, 5: 7, 6: 5, 7: 4, 8: 3, 9: 1, 10: 1}
SAFEGUARDING_WEIGHTS = {1: 25, 2: 35, 3: 28, 4: 12}
COMPLEXITY_COUNT_WEIGHTS = {0: 10, 1: 25, 2: 30, 3: 22, 4: 13}
COMPLEXITY_WEIGHTS = {
    "parental_mental_health": 30,
    "parental_trauma": 16,
    "domestic_abuse": 14,
    "childrens_services_involvement": 14,
    "housing_or_poverty": 12,
    "substance_misuse": 6,
    "care_experienced_parent": 6,
    "perinatal_loss_or_trauma": 5,
    "bereavement": 4,
    "physical_health": 3,
    "learning_disability": 3,
    "neonatal_unit_stay": 3,
    "refugee_or_asylum": 1,
    "language_barrier": 1,
}
REASON_WEIGHTS = {
    (INDIVIDUAL, DISENGAGED_AT_REFERRAL): {"unable_to_contact": 3, "not_ready": 2, "needs_met_elsewhere": 2},
    (GROUP, DISENGAGED_AT_REFERRAL): {
        "childcare": 5,
        "waiting_time": 5,
        "unable_to_contact": 2,
        "not_ready": 2,
        "moved_away": 1,
        "other": 1,
    },
    DISENGAGED_AT_ASSESSMENT: {
        "not_ready": 4,
        "unable_to_contact": 3,
        "needs_met_elsewhere": 3,
        "childcare": 1,
        "moved_away": 1,
        "other": 1,
    },
    DISENGAGED_DURING_INTERVENTION: {"not_ready": 2, "childcare": 2, "moved_away": 1, "other": 1},
    ON_HOLD: {"childcare": 2, "not_ready": 2, "other": 1},
}
# How referrals received after the window end up, and how the families in progress at the window end closed.
LATER_FATE_WEIGHTS = {
    INDIVIDUAL: {
        NOT_ACCEPTED: 12,
        DISENGAGED_AT_REFERRAL: 5,
        DISENGAGED_AT_ASSESSMENT: 18,
        DISENGAGED_DURING_INTERVENTION: 6,
        ON_HOLD: 2,
        COMPLETED: 57,
    },
    GROUP: {NOT_ACCEPTED: 12, DISENGAGED_AT_REFERRAL: 35, DISENGAGED_DURING_INTERVENTION: 8, ON_HOLD: 4, COMPLETED: 41},
}
FATE_FROM_STAGE_WEIGHTS = {
    AT_REFERRAL: {COMPLETED: 6, DISENGAGED_AT_ASSESSMENT: 2, DISENGAGED_AT_REFERRAL: 2},
    IN_ASSESSMENT: {COMPLETED: 7, DISENGAGED_AT_ASSESSMENT: 2, DISENGAGED_DURING_INTERVENTION: 1},
    IN_INTERVENTION: {COMPLETED: 8, DISENGAGED_DURING_INTERVENTION: 2},
}
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may use

INTRODUCTION_TITLES = (
    "Introduction to parent-infant relationships",
    "Introduction to parent-infant relationships for health visitors",
    "Introduction to parent-infant relationships for early years practitioners",
    "Introduction to parent-infant relationships for midwives",
    "Introduction to parent-infant relationships for family hub staff",
    "Introduction to parent-infant relationships for children's social care",
)
TRAINING_TITLES = {
    "introduction": INTRODUCTION_TITLES,
    "imh_pir": ("Infant mental health and the parent-infant relationship",),
    "bitesize": (
        "Bitesize: babies' brains and early relationships",
        "Bitesize: understanding baby cues",
        "Bitesize: dads and babies",
    ),
    "other": (
        "Video Interaction Guidance taster session",
        "Trauma-informed practice in the perinatal period",
        "Using the Risks to the Parent-Infant Relationship checklist",
    ),
}
AWARENESS_TITLES = (
    "Health visiting team briefing",
    "Midwifery forum",
    "Family hub open day",
    "Blackpool Better Start partnership meeting",
    "Children's social care team briefing",
    "Early years network meeting",
    "Perinatal mental health team briefing",
    "Infant mental health awareness stall",
    "Parents' coffee morning",
    "GP practice learning event",
    "Voluntary sector forum",
    "Baby week community event",
)
