"""The files of data-contract.md section 1: their columns, keys and the checks on each row.

Each `read_*` function turns one row (a dict of cells) into a typed record, or raises `RowProblems` listing every
column that is wrong, with the contract's messages. Nothing here touches the database: the codes a team may use
are handed in as `Codes`, read once for the whole import.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from monitoring import cells
from monitoring.sources import Cell
from outcomes.registry import get_instrument, registry
from outcomes.scoring import score_questionnaire

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
TIMEPOINTS = {"t1": "T1", "mid": "MID", "t2": "T2"}
SESSION_TYPES = {"bitesize", "introduction", "imh_pir", "other"}
CONSULTATION_OUTCOMES = {"referred", "action_plan", "signposted", "advice_only"}
ITEM_COLUMNS = [f"item_{number}" for number in range(1, 15)]
# An infant due more than this long after the referral cannot have been unborn at referral in the same pregnancy.
MAX_DAYS_BORN_AFTER_REFERRAL = 305  # 10 months


@dataclass(frozen=True)
class Codes:
    """The codes a team may use, from its vocabularies."""

    services: frozenset[str]
    complexities: frozenset[str]
    interventions: frozenset[str]
    disengagement_reasons: frozenset[str]
    hold_reasons: frozenset[str]
    decline_reasons: frozenset[str]


class RowProblems(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems  # (column, message)


class Row:
    """Reads the cells of one row, collecting every problem instead of stopping at the first."""

    def __init__(self, values: dict[str, Cell], today: datetime.date):
        self.values = values
        self.today = today
        self.problems: list[tuple[str, str]] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append((column, message))

    def get(self, column: str, parse: Callable, *, required: bool = False, **options):
        value = self.values.get(column)
        if value is None:
            if required:
                self.problem(column, "is required")
            return None
        try:
            return parse(value, **options)
        except cells.CellError as error:
            self.problem(column, str(error))
            return None

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        return self.get(column, cells.date, required=required, today=self.today)

    def done(self):
        if self.problems:
            raise RowProblems(self.problems)


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


# outcomes.csv ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRecord:
    reference: str
    caregiver: int
    instrument: str
    timepoint: str
    completed_on: datetime.date
    answers: dict | None
    totals: dict | None

    @property
    def key(self):
        return (self.reference, self.instrument, self.timepoint, self.caregiver)


OUTCOME_COLUMNS = {
    "reference": True,
    "caregiver": False,
    "instrument": True,
    "timepoint": True,
    "completed_on": True,
    **dict.fromkeys(ITEM_COLUMNS, False),
    "total": False,
    "warmth": False,
    "invasion": False,
    "goal_1": False,
    "goal_2": False,
    "goal_3": False,
}
TOTAL_COLUMNS = ("total", "warmth", "invasion")
GOAL_COLUMNS = ("goal_1", "goal_2", "goal_3")


def read_outcome(values, *, codes: Codes, today: datetime.date) -> OutcomeRecord:
    row = Row(values, today)
    reference = row.get("reference", cells.text, required=True)
    caregiver = row.get("caregiver", cells.integer, minimum=1, maximum=2) or 1
    instrument_code = row.get("instrument", cells.code, required=True, allowed=set(registry().codes))
    timepoint = row.get("timepoint", cells.code, required=True, allowed=set(TIMEPOINTS))
    completed_on = row.date("completed_on", required=True)
    answers = totals = None
    if instrument_code:
        answers, totals = _scores(row, get_instrument(instrument_code))
    row.done()
    return OutcomeRecord(reference, caregiver, instrument_code, TIMEPOINTS[timepoint], completed_on, answers, totals)


def _scores(row: Row, instrument) -> tuple[dict | None, dict | None]:
    """Items, goal ratings and totals as the instrument's scoring takes them; their agreement is checked here."""
    numbers = [item.number for item in instrument.items]
    item_columns = GOAL_COLUMNS[: len(numbers)] if instrument.code == "gbo" else [f"item_{n}" for n in numbers]
    other_columns = [c for c in (*ITEM_COLUMNS, *GOAL_COLUMNS) if c not in item_columns]
    for column in other_columns:
        if row.values.get(column) is not None:
            row.problem(column, f"is not an item of {instrument.code}")
    answers = {}
    for number, column in zip(numbers, item_columns, strict=True):
        value = row.get(column, cells.integer)
        if value is not None:
            answers[number] = value
    if instrument.code != "gbo" and answers and len(answers) < len(numbers):
        missing = [c for n, c in zip(numbers, item_columns, strict=True) if n not in answers]
        row.problem(
            missing[0], f"items given for {instrument.code} must all be given ({len(answers)} of {len(numbers)})"
        )
    totals = {}
    for column in TOTAL_COLUMNS:
        value = row.get(column, cells.integer)
        if value is not None:
            totals[column] = value
    if not answers and not totals:
        row.problem(item_columns[0], f"give the items or the totals of {instrument.code}")
    if row.problems:
        return None, None
    try:
        score_questionnaire(instrument, answers=answers or None, totals=totals or None)
    except ValidationError as error:
        columns = dict(zip([f"item_{n}" for n in numbers], item_columns, strict=True))
        for key, messages in error.message_dict.items():
            column = columns.get(key, key if key in TOTAL_COLUMNS else item_columns[0])
            for message in messages:
                row.problem(column, message)
    return answers or None, totals or None


# Workforce files -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRecord:
    date: datetime.date
    session_type: str
    title: str
    participants: int
    places_offered: int | None
    feedback_returned: int | None
    feedback_positive: int | None

    @property
    def key(self):
        return (self.date, self.session_type, self.title)


TRAINING_COLUMNS = {
    "date": True,
    "session_type": True,
    "title": True,
    "participants": True,
    "places_offered": False,
    "feedback_returned": False,
    "feedback_positive": False,
}


def read_training(values, *, codes: Codes, today: datetime.date) -> TrainingRecord:
    row = Row(values, today)
    record = TrainingRecord(
        date=row.date("date", required=True),
        session_type=row.get("session_type", cells.code, required=True, allowed=SESSION_TYPES),
        title=row.get("title", cells.text, required=True),
        participants=row.get("participants", cells.integer, required=True, minimum=0),
        places_offered=row.get("places_offered", cells.integer, minimum=0),
        feedback_returned=row.get("feedback_returned", cells.integer, minimum=0),
        feedback_positive=row.get("feedback_positive", cells.integer, minimum=0),
    )
    if record.feedback_positive is not None and record.feedback_positive > (record.feedback_returned or 0):
        row.problem("feedback_positive", "is more than feedback_returned")
    returned, participants = record.feedback_returned, record.participants
    if returned is not None and participants is not None and returned > participants:
        row.problem("feedback_returned", "is more than participants")
    row.done()
    return record


@dataclass(frozen=True)
class ConsultationRecord:
    date: datetime.date
    consultee_service: str
    sequence: int
    outcome: str
    children: int | None

    @property
    def key(self):
        return (self.date, self.consultee_service, self.sequence)


CONSULTATION_COLUMNS = {
    "date": True,
    "consultee_service": True,
    "sequence": True,
    "outcome": True,
    "children": False,
}


def read_consultation(values, *, codes: Codes, today: datetime.date) -> ConsultationRecord:
    row = Row(values, today)
    record = ConsultationRecord(
        date=row.date("date", required=True),
        consultee_service=row.get("consultee_service", cells.code, required=True, allowed=codes.services),
        sequence=row.get("sequence", cells.integer, required=True, minimum=1),
        outcome=row.get("outcome", cells.code, required=True, allowed=CONSULTATION_OUTCOMES),
        children=row.get("children", cells.integer, minimum=0, maximum=99),
    )
    row.done()
    return record


@dataclass(frozen=True)
class AwarenessRecord:
    date: datetime.date
    title: str
    people_engaged: int

    @property
    def key(self):
        return (self.date, self.title)


AWARENESS_COLUMNS = {"date": True, "title": True, "people_engaged": True}


def read_awareness(values, *, codes: Codes, today: datetime.date) -> AwarenessRecord:
    row = Row(values, today)
    record = AwarenessRecord(
        date=row.date("date", required=True),
        title=row.get("title", cells.text, required=True),
        people_engaged=row.get("people_engaged", cells.integer, required=True, minimum=0),
    )
    row.done()
    return record


@dataclass(frozen=True)
class UniversalRecord:
    date: datetime.date
    offer: str
    dyads: int

    @property
    def key(self):
        return (self.date, self.offer)


UNIVERSAL_COLUMNS = {"date": True, "offer": True, "dyads": True}


def read_universal(values, *, codes: Codes, today: datetime.date) -> UniversalRecord:
    row = Row(values, today)
    record = UniversalRecord(
        date=row.date("date", required=True),
        offer=row.get("offer", cells.code, required=True, allowed=codes.interventions),
        dyads=row.get("dyads", cells.integer, required=True, minimum=0),
    )
    row.done()
    return record


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: dict[str, bool]  # column -> required
    read: Callable
    key_columns: tuple[str, ...] = field(default=())


FILES = (
    FileSpec("referrals.csv", REFERRAL_COLUMNS, read_referral, ("reference",)),
    FileSpec("interventions.csv", INTERVENTION_COLUMNS, read_intervention, ("reference", "intervention", "started_on")),
    FileSpec("outcomes.csv", OUTCOME_COLUMNS, read_outcome, ("reference", "instrument", "timepoint", "caregiver")),
    FileSpec("training.csv", TRAINING_COLUMNS, read_training, ("date", "session_type", "title")),
    FileSpec("consultations.csv", CONSULTATION_COLUMNS, read_consultation, ("date", "consultee_service", "sequence")),
    FileSpec("awareness.csv", AWARENESS_COLUMNS, read_awareness, ("date", "title")),
    FileSpec("universal.csv", UNIVERSAL_COLUMNS, read_universal, ("date", "offer")),
)
