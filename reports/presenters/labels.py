"""The words for the codes of the KPI export: its fixed vocabularies from the models' choices, and the lists an
administrator can extend (services, interventions, complexities, disengagement reasons) from their tables."""

from dataclasses import dataclass

from pairs.models import Service
from referrals.models import Caregiver, Complexity, DisengagementReason, Intervention, Pathway
from referrals.pipeline import Status
from training.models import ConsultationOutcome, SessionType

NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not recorded"

# Table 1 of the evaluation names its session types so; the models' labels are for forms.
SESSION_TYPES = {
    SessionType.BITESIZE: "Bitesize",
    SessionType.INTRODUCTION: "Introduction",
    SessionType.IMH_PIR: "IMH and PIR",
    SessionType.OTHER: "Other",
}
# Table 2 of the evaluation names its rows so.
ENGAGEMENT_ROWS = {
    Status.AWAITING_DECISION: "Awaiting a decision",
    Status.NOT_ACCEPTED: "Referral not accepted",
    Status.DISENGAGED_AT_REFERRAL: "Disengaged at referral",
    Status.DISENGAGED_AT_ASSESSMENT: "Disengaged at assessment",
    Status.DISENGAGED_DURING_INTERVENTION: "Disengaged during intervention",
    Status.ON_HOLD: "On hold",
    Status.COMPLETED: "Completed",
    Status.IN_PROGRESS: "In progress",
}
PATHWAYS: dict[str, str] = {Pathway.INDIVIDUAL: "Individual", Pathway.GROUP: "Group"}
INFANT_AGES = {
    "antenatal": "Antenatal",
    "under_3_months": "Under 3 months",
    "3_to_5_months": "3 to 5 months",
    "6_to_11_months": "6 to 11 months",
    "12_to_23_months": "12 to 23 months",
    "24_months_and_over": "24 months and over",
}
CLOCKS = {
    "to_decision": "Referral to decision",
    "to_first_contact": "Referral to first contact",
    "to_assessment": "Referral to assessment started",
    "to_intervention": "Referral to intervention started",
}
CAREGIVER_ROLES = {code: label.split(" (")[0] for code, label in Caregiver.Role.choices}
ETHNICITIES = dict(Caregiver.Ethnicity.choices)
CONSULTATION_OUTCOMES = dict(ConsultationOutcome.choices)
WAITING_STAGES = {
    "awaiting_decision": ("Awaiting a decision", "since referral"),
    "waiting_for_assessment": ("Accepted, waiting for assessment", "since accepted"),
    "in_assessment": ("In assessment", "since assessment started"),
    "in_intervention": ("In intervention", "since intervention started"),
    "on_hold": ("On hold", "since the hold began"),
}


@dataclass(frozen=True)
class Labels:
    """Code-to-words maps for every distribution the dashboard shows; unknown codes read as themselves."""

    services: dict[str, str]
    interventions: dict[str, str]
    complexities: dict[str, str]
    disengagement_reasons: dict[str, str]

    @classmethod
    def load(cls) -> "Labels":
        """Four queries, one a vocabulary table."""
        return cls(
            services=dict(Service.objects.values_list("code", "label")),
            interventions=dict(Intervention.objects.values_list("code", "label")),
            complexities=dict(Complexity.objects.values_list("code", "label")),
            disengagement_reasons=dict(DisengagementReason.objects.values_list("code", "label")),
        )


def label_of(code: str, words: dict) -> str:
    """The words for `code`; a code with none (retired, or new since the list was read) reads as itself."""
    if code == NOT_RECORDED:
        return NOT_RECORDED_LABEL
    return str(words.get(code, code.replace("_", " ").capitalize()))
