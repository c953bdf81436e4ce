"""The workforce files: training.csv, consultations.csv, awareness.csv and universal.csv."""

import datetime
from dataclasses import dataclass

from monitoring import cells
from monitoring.schema.rows import Codes, Row

SESSION_TYPES = {"bitesize", "introduction", "imh_pir", "other"}
CONSULTATION_OUTCOMES = {"referred", "action_plan", "signposted", "advice_only"}


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
