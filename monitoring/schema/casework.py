"""referrals.csv and interventions.csv: a referral with its pipeline history, and its intervention episodes."""

import datetime
from dataclasses import dataclass

from monitoring import cells
from monitoring.schema.rows import Codes, Row
from monitoring.sources import Cell

PATHWAYS = {"individual", "group"}
CAREGIVER_ROLES = {"mother", "father", "co_parent", "other"}
ETHNICITIES = {"white", "mixed", "asian", "black", "other", "not_stated"}
DECISIONS = {"accepted", "not_accepted", "pending"}
STATUSES = {
    "not_accepted",
    "disengaged_at_referral",
    "disengaged_at_assessment",
    "disengaged_during_intervention",
    "on_hold",
    "completed",
    "in_progress",
}
DISENGAGED_STATUSES = {"disengaged_at_referral", "disengaged_at_assessment", "disengaged_during_intervention"}
# An infant due more than this long after the referral cannot have been unborn at referral in the same pregnancy.
MAX_DAYS_BORN_AFTER_REFERRAL = 305  # 10 months


# referrals.csv ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineStep:
    kind: str  # an EventKind value of referrals.pipeline
    occurred_on: datetime.date
    column: str  # where the date came from, for messages
    reason_code: str | None = None


@dataclass(frozen=True)
class ReferralRecord:
    reference: str
    received_on: datetime.date
    pathway: str
    referrer_service: str
    caregiver_role: str
    caregiver_birth_year: int | None
    ethnicity: str
    postcode: str
    imd_decile: int | None
    antenatal: bool
    infant_date_of_birth: datetime.date | None
    safeguarding_level: int | None
    risk_count: int | None
    complexities: tuple[str, ...]
    first_contact_on: datetime.date | None
    steps: tuple[PipelineStep, ...]

    @property
    def key(self):
        return (self.reference,)


REFERRAL_COLUMNS = {
    "reference": True,
    "received_on": True,
    "pathway": True,
    "referrer_service": True,
    "caregiver_role": True,
    "caregiver_birth_year": False,
    "ethnicity": False,
    "postcode": False,
    "imd_decile": False,
    "antenatal": True,
    "infant_date_of_birth": False,
    "safeguarding_level": False,
    "risk_count": False,
    "complexities": False,
    "decision": True,
    "decision_on": False,
    "assessment_started_on": False,
    "intervention_started_on": False,
    "first_contact_on": False,
    "status": True,
    "status_on": False,
    "status_reason": False,
}

NOT_RECORDED = "not_recorded"


def read_referral(values: dict[str, Cell], *, codes: Codes, today: datetime.date) -> ReferralRecord:
    row = Row(values, today)
    reference = row.get("reference", cells.text, required=True)
    received_on = row.date("received_on", required=True)
    pathway = row.get("pathway", cells.code, required=True, allowed=PATHWAYS)
    referrer = row.get("referrer_service", cells.code, required=True, allowed=codes.services)
    role = row.get("caregiver_role", cells.code, required=True, allowed=CAREGIVER_ROLES)
    birth_year = row.get("caregiver_birth_year", cells.integer, minimum=1900, maximum=today.year)
    ethnicity = row.get("ethnicity", cells.code, allowed=ETHNICITIES)
    postcode = row.get("postcode", cells.postcode)
    imd_decile = row.get("imd_decile", cells.integer, minimum=1, maximum=10)
    antenatal = row.get("antenatal", cells.yes_no, required=True)
    infant_born = row.date("infant_date_of_birth")
    safeguarding = row.get("safeguarding_level", cells.integer, minimum=1, maximum=4)
    risk_count = row.get("risk_count", cells.integer, minimum=0, maximum=99)
    complexities = row.get("complexities", cells.codes, allowed=codes.complexities) or []
    decision = row.get("decision", cells.code, required=True, allowed=DECISIONS)
    decision_on = row.date("decision_on", required=decision in ("accepted", "not_accepted"))
    assessment_on = row.date("assessment_started_on")
    intervention_on = row.date("intervention_started_on")
    first_contact_on = row.date("first_contact_on")
    status = row.get("status", cells.code, required=True, allowed=STATUSES)
    status_on = row.date("status_on", required=status is not None and status != "in_progress")
    reason = row.get("status_reason", cells.text)

    if received_on and infant_born:
        if antenatal and (infant_born - received_on).days > MAX_DAYS_BORN_AFTER_REFERRAL:
            row.problem("infant_date_of_birth", "the infant was born more than 10 months after the referral")
        if antenatal is False and infant_born > received_on:
            row.problem("infant_date_of_birth", "the infant was born after the referral, so antenatal must be yes")
    if received_on and first_contact_on and first_contact_on < received_on:
        row.problem("first_contact_on", "is before received_on")
    if decision == "pending" and row.values.get("decision_on") is not None:
        row.problem("decision_on", "must be empty while the decision is pending")

    steps = []
    if decision and status and not row.problems:
        steps = _pipeline_steps(row, received_on, decision, decision_on, assessment_on, intervention_on)
        steps += _closing_steps(row, status, status_on, decision, decision_on, assessment_on, intervention_on)
        _reason(row, status, reason, codes, steps)
        previous = None
        for step in steps:
            if previous is not None and step.occurred_on < previous.occurred_on:
                row.problem(step.column, f"is before {previous.column}")
            previous = step
    row.done()
    return ReferralRecord(
        reference=reference,
        received_on=received_on,
        pathway=pathway,
        referrer_service=referrer,
        caregiver_role=role,
        caregiver_birth_year=birth_year,
        ethnicity=ethnicity or "",
        postcode=postcode or "",
        imd_decile=imd_decile,
        antenatal=antenatal,
        infant_date_of_birth=infant_born,
        safeguarding_level=safeguarding,
        risk_count=risk_count,
        complexities=tuple(complexities),
        first_contact_on=first_contact_on,
        steps=tuple(steps),
    )


def _pipeline_steps(row, received_on, decision, decision_on, assessment_on, intervention_on) -> list[PipelineStep]:
    steps = [PipelineStep("received", received_on, "received_on")]
    if decision == "pending":
        for column, value in (("assessment_started_on", assessment_on), ("intervention_started_on", intervention_on)):
            if value is not None:
                row.problem(column, "must be empty while the decision is pending")
        return steps
    if decision == "not_accepted":
        steps.append(PipelineStep("not_accepted", decision_on, "decision_on"))
        for column, value in (("assessment_started_on", assessment_on), ("intervention_started_on", intervention_on)):
            if value is not None:
                row.problem(column, "must be empty for a referral that was not accepted")
        return steps
    steps.append(PipelineStep("accepted", decision_on, "decision_on"))
    if assessment_on is not None:
        steps.append(PipelineStep("assessment_started", assessment_on, "assessment_started_on"))
    if intervention_on is not None:
        steps.append(PipelineStep("intervention_started", intervention_on, "intervention_started_on"))
    return steps


def _closing_steps(row, status, status_on, decision, decision_on, assessment_on, intervention_on):
    if status == "not_accepted" or decision == "not_accepted":
        if status != decision:
            row.problem("status", f"{status} contradicts the decision {decision}")
        elif status_on != decision_on:
            row.problem("status_on", "must be the decision_on date for a referral that was not accepted")
        return []
    if decision == "pending":
        if status != "in_progress":
            row.problem("status", f"{status} contradicts the decision pending")
        return []
    if status == "in_progress":
        return []
    stage = "intervention" if intervention_on else "assessment" if assessment_on else "referral"
    expected = {
        "disengaged_at_referral": "referral",
        "disengaged_at_assessment": "assessment",
        "disengaged_during_intervention": "intervention",
        "completed": "intervention",
    }
    if status in expected and expected[status] != stage:
        needs = {
            "referral": "no assessment_started_on or intervention_started_on",
            "assessment": "an assessment_started_on and no intervention_started_on",
            "intervention": "an intervention_started_on",
        }[expected[status]]
        row.problem("status", f"{status} needs {needs}")
        return []
    kind = "completed" if status == "completed" else "on_hold" if status == "on_hold" else "disengaged"
    return [PipelineStep(kind, status_on, "status_on")]


def _reason(row, status, reason, codes: Codes, steps: list[PipelineStep]) -> None:
    """Attach the status's reason to the step that needs one; an unrecorded reason is recorded as such."""
    vocabulary = {
        "not_accepted": codes.decline_reasons,
        "on_hold": codes.hold_reasons,
        **dict.fromkeys(DISENGAGED_STATUSES, codes.disengagement_reasons),
    }.get(status)
    if vocabulary is None:
        if reason:
            row.problem("status_reason", f"a referral that is {status} takes no reason")
        return
    code = NOT_RECORDED
    if reason:
        try:
            code = cells.code(reason, vocabulary)
        except cells.CellError as error:
            row.problem("status_reason", str(error))
            return
    last = steps[-1]
    steps[-1] = PipelineStep(last.kind, last.occurred_on, last.column, code)


# interventions.csv -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterventionRecord:
    reference: str
    intervention: str
    started_on: datetime.date
    ended_on: datetime.date | None
    sessions_attended: int | None

    @property
    def key(self):
        return (self.reference, self.intervention, self.started_on)


INTERVENTION_COLUMNS = {
    "reference": True,
    "intervention": True,
    "started_on": True,
    "ended_on": False,
    "sessions_attended": False,
}


def read_intervention(values, *, codes: Codes, today: datetime.date) -> InterventionRecord:
    row = Row(values, today)
    reference = row.get("reference", cells.text, required=True)
    intervention = row.get("intervention", cells.code, required=True, allowed=codes.interventions)
    started_on = row.date("started_on", required=True)
    ended_on = row.date("ended_on")
    sessions = row.get("sessions_attended", cells.integer, minimum=0, maximum=999)
    if started_on and ended_on and ended_on < started_on:
        row.problem("ended_on", "is before started_on")
    row.done()
    return InterventionRecord(reference, intervention, started_on, ended_on, sessions)
