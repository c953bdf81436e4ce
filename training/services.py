"""Every write of workforce activity. Each service validates the whole record (`full_clean()`) before it saves;
django-auditlog records the change with the request's user as actor (callers outside a request wrap their calls in
`auditlog.context.set_actor`).
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Model

from pairs.models import Service, Team
from referrals.models import Intervention, Referral
from training.models import (
    AwarenessEvent,
    Consultation,
    ConsultationChild,
    ConsultationMode,
    Feedback,
    TrainingAttendance,
    TrainingSession,
    UniversalOfferContact,
    attendance_error,
    child_ages_error,
)


def _assign(record: Model, **fields: Any) -> Model:
    for name, value in fields.items():
        setattr(record, name, value)
    return record


def _nonzero(counts: Mapping[Any, int | None]) -> dict[Any, int]:
    return {key: count for key, count in counts.items() if count}


# Training sessions ---------------------------------------------------------------------------------------------


def _training_session_save(session: TrainingSession, attendance: Mapping[Service, int | None] | None) -> None:
    """Validate and save a session with its participants by attendee service (None keeps the recorded ones)."""
    if attendance is not None:
        attendance = _nonzero(attendance)
    elif session.pk is not None:
        attendance = {row.service: row.participants for row in session.attendance.select_related("service")}
    else:
        attendance = {}
    session.full_clean()
    if error := attendance_error(session.participants, attendance):
        raise error
    session.save()
    recorded = {row.service_id: row for row in session.attendance.all()}
    for service, participants in attendance.items():
        row = recorded.pop(service.pk, None)
        if row is None:
            TrainingAttendance.objects.create(session=session, service=service, participants=participants)
        elif row.participants != participants:
            row.participants = participants
            row.save(update_fields=["participants"])
    for row in recorded.values():
        row.delete()


@transaction.atomic
def training_session_create(
    *,
    team: Team,
    date: datetime.date,
    session_type: str,
    title: str,
    participants: int,
    trainers: str = "",
    places_offered: int | None = None,
    feedback_returned: int | None = None,
    feedback_positive: int | None = None,
    attendance: Mapping[Service, int | None] | None = None,
) -> TrainingSession:
    """Record a training session, optionally with its participants by attendee service (they must add up)."""
    session = TrainingSession(
        team=team,
        date=date,
        session_type=session_type,
        title=title,
        trainers=trainers,
        places_offered=places_offered,
        participants=participants,
        feedback_returned=feedback_returned,
        feedback_positive=feedback_positive,
    )
    _training_session_save(session, attendance or {})
    return session


@transaction.atomic
def training_session_update(
    *,
    session: TrainingSession,
    date: datetime.date,
    session_type: str,
    title: str,
    participants: int,
    trainers: str = "",
    places_offered: int | None = None,
    feedback_returned: int | None = None,
    feedback_positive: int | None = None,
    attendance: Mapping[Service, int | None] | None = None,
) -> TrainingSession:
    """Change a session. `attendance=None` keeps its participants by service, which must still add up."""
    _assign(
        session,
        date=date,
        session_type=session_type,
        title=title,
        trainers=trainers,
        places_offered=places_offered,
        participants=participants,
        feedback_returned=feedback_returned,
        feedback_positive=feedback_positive,
    )
    _training_session_save(session, attendance)
    return session


def _row_messages(row: int, error: ValidationError) -> list[str]:
    messages = []
    for field, field_messages in error.message_dict.items():
        where = "" if field == NON_FIELD_ERRORS else f"{TrainingSession._meta.get_field(field).verbose_name}: "
        messages += [f"Row {row}: {where}{message}" for message in field_messages]
    return messages


@transaction.atomic
def training_sessions_create(*, team: Team, sessions: Sequence[Mapping[str, Any]]) -> list[TrainingSession]:
    """Record several sessions at once (the quick-entry table): all of them, or none if any row is invalid.

    Each row takes the keyword arguments of `training_session_create` except `team`. Every row is validated before
    anything is saved, including rows that repeat one another's date, type and title.
    """
    if not sessions:
        raise ValidationError("Enter at least one training session", code="no_sessions")
    messages: list[str] = []
    seen: dict[tuple, int] = {}
    for row, fields in enumerate(sessions, start=1):
        session = TrainingSession(team=team, **{name: value for name, value in fields.items() if name != "attendance"})
        try:
            session.full_clean()
            if error := attendance_error(session.participants, _nonzero(fields.get("attendance") or {})):
                raise error
        except ValidationError as error:
            messages += _row_messages(row, error)
        key = (session.date, session.session_type, session.title)
        if key in seen:
            messages.append(f"Row {row}: the same date, type and title as row {seen[key]}")
        seen.setdefault(key, row)
    if messages:
        raise ValidationError(messages)
    return [training_session_create(team=team, **fields) for fields in sessions]


# Consultations -------------------------------------------------------------------------------------------------


def _next_sequence(team: Team, date: datetime.date, consultee_service: Service) -> int:
    """One more than the highest number used for this team, date and service (1 for the first)."""
    highest = Consultation.objects.filter(team=team, date=date, consultee_service=consultee_service).aggregate(
        highest=Max("sequence")
    )["highest"]
    return (highest or 0) + 1


def _consultation_save(consultation: Consultation, child_ages: Mapping[str, int | None] | None) -> None:
    """Validate and save a consultation with the ages of the children discussed (None keeps the recorded ones)."""
    if child_ages is not None:
        child_ages = _nonzero(child_ages)
    elif consultation.pk is not None:
        child_ages = dict(consultation.child_ages.values_list("age", "children"))
    else:
        child_ages = {}
    consultation.full_clean()
    if error := child_ages_error(consultation.children, child_ages):
        raise error
    consultation.save()
    recorded = {row.age: row for row in consultation.child_ages.all()}
    for age, children in child_ages.items():
        row = recorded.pop(age, None)
        if row is None:
            ConsultationChild.objects.create(consultation=consultation, age=age, children=children)
        elif row.children != children:
            row.children = children
            row.save(update_fields=["children"])
    for row in recorded.values():
        row.delete()


def _lock_team(team: Team) -> None:
    """Serialise the numbering of a team's consultations (no-op on SQLite, which serialises every write)."""
    Team.objects.select_for_update().filter(pk=team.pk).exists()


@transaction.atomic
def consultation_create(
    *,
    team: Team,
    date: datetime.date,
    consultee_service: Service,
    outcome: str,
    mode: str = ConsultationMode.TELEPHONE,
    children: int | None = None,
    child_ages: Mapping[str, int | None] | None = None,
    note: str = "",
    referral: Referral | None = None,
    sequence: int | None = None,
) -> Consultation:
    """Record a consultation. Without `sequence` it takes the next number for its date and consultee's service."""
    if sequence is None:
        _lock_team(team)
        sequence = _next_sequence(team, date, consultee_service)
    consultation = Consultation(
        team=team,
        date=date,
        consultee_service=consultee_service,
        sequence=sequence,
        mode=mode,
        outcome=outcome,
        children=children,
        note=note,
        referral=referral,
    )
    _consultation_save(consultation, child_ages or {})
    return consultation


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    date: datetime.date,
    consultee_service: Service,
    outcome: str,
    mode: str = ConsultationMode.TELEPHONE,
    children: int | None = None,
    child_ages: Mapping[str, int | None] | None = None,
    note: str = "",
    referral: Referral | None = None,
) -> Consultation:
    """Change a consultation; moved to another date or service, it takes the next number there.

    `child_ages=None` keeps the ages recorded, which must still fit the number of children discussed.
    """
    if (date, consultee_service.pk) != (consultation.date, consultation.consultee_service_id):
        _lock_team(consultation.team)
        consultation.sequence = _next_sequence(consultation.team, date, consultee_service)
    _assign(
        consultation,
        date=date,
        consultee_service=consultee_service,
        mode=mode,
        outcome=outcome,
        children=children,
        note=note,
        referral=referral,
    )
    _consultation_save(consultation, child_ages)
    return consultation


# Awareness events, universal offer contacts, feedback ----------------------------------------------------------


def _save(record: Model) -> Model:
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def awareness_event_create(
    *, team: Team, date: datetime.date, title: str, audience: str, people_engaged: int
) -> AwarenessEvent:
    return _save(AwarenessEvent(team=team, date=date, title=title, audience=audience, people_engaged=people_engaged))


@transaction.atomic
def awareness_event_update(
    *, event: AwarenessEvent, date: datetime.date, title: str, audience: str, people_engaged: int
) -> AwarenessEvent:
    return _save(_assign(event, date=date, title=title, audience=audience, people_engaged=people_engaged))


@transaction.atomic
def universal_contact_create(
    *, team: Team, date: datetime.date, offer: Intervention, dyads: int
) -> UniversalOfferContact:
    return _save(UniversalOfferContact(team=team, date=date, offer=offer, dyads=dyads))


@transaction.atomic
def universal_contact_update(
    *, contact: UniversalOfferContact, date: datetime.date, offer: Intervention, dyads: int
) -> UniversalOfferContact:
    return _save(_assign(contact, date=date, offer=offer, dyads=dyads))


@transaction.atomic
def feedback_create(
    *,
    team: Team,
    date: datetime.date,
    kind: str,
    theme: str,
    text: str,
    response: str = "",
    resolved_on: datetime.date | None = None,
) -> Feedback:
    return _save(
        Feedback(team=team, date=date, kind=kind, theme=theme, text=text, response=response, resolved_on=resolved_on)
    )


@transaction.atomic
def feedback_update(
    *,
    feedback: Feedback,
    date: datetime.date,
    kind: str,
    theme: str,
    text: str,
    response: str = "",
    resolved_on: datetime.date | None = None,
) -> Feedback:
    return _save(
        _assign(feedback, date=date, kind=kind, theme=theme, text=text, response=response, resolved_on=resolved_on)
    )


# Any of them ---------------------------------------------------------------------------------------------------


@transaction.atomic
def activity_record_delete(
    *, record: TrainingSession | Consultation | AwarenessEvent | UniversalOfferContact | Feedback
) -> None:
    """Delete a record entered in error; the audit log keeps what it held."""
    record.delete()
