"""Writers of the workforce files: training sessions, consultations, awareness events, universal offer contacts."""

from typing import TYPE_CHECKING

from monitoring.schema.workforce import AwarenessRecord, ConsultationRecord, TrainingRecord, UniversalRecord
from monitoring.writers.base import CREATED, UNCHANGED, UPDATED, Writer, differences
from pairs.models import Service
from referrals.models import Intervention
from training import services as training_services
from training.models import AwarenessEvent, Consultation, TrainingSession, UniversalOfferContact

if TYPE_CHECKING:
    from monitoring.importer import ImportRun


class TeamRecordWriter(Writer):
    """Writes a workforce record keyed by fields of its own."""

    model = None
    key_fields: tuple[str, ...] = ()

    def key_of(self, instance) -> tuple:
        return tuple(getattr(instance, name) for name in self.key_fields)

    def load(self, records: list) -> None:
        dates = {record.date for record in records if record is not None}
        self.existing = {self.key_of(instance): instance for instance in self.scoped(dates)}

    related: tuple[str, ...] = ()

    def scoped(self, dates):
        existing = self.model.objects.in_team(self.team).filter(date__in=dates)
        return existing.select_related(*self.related) if self.related else existing

    def write(self, record) -> str:
        instance = self.existing.get(record.key)
        values = self.values(record)
        if instance is None:
            self.existing[record.key] = self.create(values)
            return CREATED
        comparable = {name: value for name, value in values.items() if not hasattr(value, "pk")}
        comparable.update({f"{name}_id": value.pk for name, value in values.items() if hasattr(value, "pk")})
        if not differences(instance, comparable):
            return UNCHANGED
        self.update(instance, values)
        return UPDATED


class TrainingWriter(TeamRecordWriter):
    model = TrainingSession
    key_fields = ("date", "session_type", "title")

    def values(self, record: TrainingRecord) -> dict:
        return {
            "date": record.date,
            "session_type": record.session_type,
            "title": record.title,
            "participants": record.participants,
            "places_offered": record.places_offered,
            "feedback_returned": record.feedback_returned,
            "feedback_positive": record.feedback_positive,
        }

    def create(self, values: dict):
        return training_services.training_session_create(actor=self.actor, team=self.team, **values)

    def update(self, instance, values: dict) -> None:
        training_services.training_session_update(actor=self.actor, session=instance, **values)


class ConsultationWriter(TeamRecordWriter):
    model = Consultation
    related = ("consultee_service",)

    def __init__(self, run: "ImportRun"):
        super().__init__(run)
        self.services = {s.code: s for s in Service.objects.all()}

    def key_of(self, instance) -> tuple:
        return (instance.date, instance.consultee_service.code, instance.sequence)

    def values(self, record: ConsultationRecord) -> dict:
        return {
            "date": record.date,
            "consultee_service": self.services[record.consultee_service],
            "outcome": record.outcome,
            "children": record.children,
        }

    def create(self, values: dict):
        return training_services.consultation_create(actor=self.actor, team=self.team, sequence=self.sequence, **values)

    def write(self, record: ConsultationRecord) -> str:
        self.sequence = record.sequence
        return super().write(record)

    def update(self, instance, values: dict) -> None:
        training_services.consultation_update(actor=self.actor, consultation=instance, **values)


class AwarenessWriter(TeamRecordWriter):
    model = AwarenessEvent
    key_fields = ("date", "title")

    def values(self, record: AwarenessRecord) -> dict:
        return {"date": record.date, "title": record.title, "people_engaged": record.people_engaged}

    def create(self, values: dict):
        return training_services.awareness_event_create(actor=self.actor, team=self.team, audience="", **values)

    def update(self, instance, values: dict) -> None:
        training_services.awareness_event_update(actor=self.actor, event=instance, **values)


class UniversalWriter(TeamRecordWriter):
    model = UniversalOfferContact
    related = ("offer",)

    def __init__(self, run: "ImportRun"):
        super().__init__(run)
        self.offers = {i.code: i for i in Intervention.objects.all()}

    def key_of(self, instance) -> tuple:
        return (instance.date, instance.offer.code)

    def values(self, record: UniversalRecord) -> dict:
        return {"date": record.date, "offer": self.offers[record.offer], "dyads": record.dyads}

    def create(self, values: dict):
        return training_services.universal_contact_create(actor=self.actor, team=self.team, **values)

    def update(self, instance, values: dict) -> None:
        training_services.universal_contact_update(actor=self.actor, contact=instance, **values)
