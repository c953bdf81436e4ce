"""Every write of workforce activity, `<noun>_<verb>(*, actor, ...)`.

Each service checks the actor's permission in the record's team, validates the whole record (`full_clean()`) before
it saves, and attributes its audit entries (django-auditlog) to the actor. Updates are partial: a field they are not
given is left as it is, and they return the names of the fields that changed (none: nothing was saved), so that an
import can tell an unchanged record from a corrected one.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, Unpack

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Model

from pairs.audit import acting
from pairs.concurrency import locked, model_update
from pairs.models import Service, Team
from pairs.rules import Perm, require
from referrals.models import Intervention, Referral
from training.models import (
    AwarenessEvent,
    Consultation,
    ConsultationMode,
    Feedback,
    TrainingSession,
    UniversalOfferContact,
    attendance_error,
    child_ages_error,
)

ActivityRecord = TrainingSession | Consultation | AwarenessEvent | UniversalOfferContact | Feedback


def _require_recording(actor, team: Team) -> None:
    require(actor, Perm.RECORD_ACTIVITY, team, "You do not have permission to record workforce activity in this team.")


def _nonzero(counts: Mapping[Any, int | None]) -> dict[Any, int]:
    return {key: count for key, count in counts.items() if count}


def _changes_apply(record: Model, changes: Mapping[str, Any], allowed: type) -> list[str]:
    """Set the fields `changes` gives that differ (`model_update`). A name that is not a key of `allowed` (the
    service's TypedDict of changes) is refused, as a misspelt keyword would be, rather than silently left out."""
    fields = list(allowed.__annotations__)
    if unknown := sorted(set(changes) - set(fields)):
        raise TypeError(f"{type(record).__name__} has no field {', '.join(unknown)} to change")
    return model_update(record, data=changes, fields=fields)


def _save(actor, record: Model, changed: list[str] | None = None) -> None:
    """Validate and save a new record (`changed` None), or the fields of one that `changed` names (none: no write)."""
    record.full_clean()
    with acting(actor):
        record.save(update_fields=changed)


def _breakdown_save(rows, wanted: Mapping[Any, int], *, key: str, count: str) -> bool:
    """Make a record's breakdown rows (`rows`, a related manager) hold `wanted`, a count by `key`; whether any row was
    written. The caller attributes the audit entries."""
    recorded = {getattr(row, key): row for row in rows.all()}
    written = False
    for value, number in wanted.items():
        row = recorded.pop(value, None)
        if row is None:
            rows.create(**{key: value, count: number})
        elif getattr(row, count) != number:
            setattr(row, count, number)
            row.save(update_fields=[count])
        else:
            continue
        written = True
    for row in recorded.values():
        row.delete()
        written = True
    return written


# Training sessions ---------------------------------------------------------------------------------------------


class TrainingSessionChanges(TypedDict, total=False):
    date: datetime.date
    session_type: str
    title: str
    trainers: str
    places_offered: int | None
    participants: int
    feedback_returned: int | None
    feedback_positive: int | None
    # The participants by attendee service; None keeps the recorded ones.
    attendance: Mapping[Service, int | None] | None


def _training_session_save(
    actor, session: TrainingSession, attendance: Mapping[Service, int | None] | None, changed: list[str] | None
) -> bool:
    """Validate and save a session with its participants by attendee service (None keeps the recorded ones, which
    must still add up); whether the breakdown changed."""
    wanted = None if attendance is None else _nonzero(attendance)
    session.full_clean()
    breakdown = wanted if wanted is not None else dict(session.attendance.values_list("service", "participants"))
    if error := attendance_error(session.participants, breakdown):
        raise error
    with acting(actor):
        session.save(update_fields=changed)
        if wanted is None:
            return False
        by_service = {service.pk: participants for service, participants in wanted.items()}
        return _breakdown_save(session.attendance, by_service, key="service_id", count="participants")


@transaction.atomic
def training_session_create(
    *,
    actor,
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
    _require_recording(actor, team)
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
    _training_session_save(actor, session, attendance or {}, changed=None)
    return session


@transaction.atomic
def training_session_update(*, actor, session: TrainingSession, **changes: Unpack[TrainingSessionChanges]) -> list[str]:
    """Change what `changes` gives of a session; the names that changed, with "attendance" if the breakdown did."""
    session = locked(session)
    _require_recording(actor, session.team)
    attendance = changes.pop("attendance", None)
    changed = _changes_apply(session, changes, TrainingSessionChanges)
    if _training_session_save(actor, session, attendance, changed=changed):
        changed.append("attendance")
    return changed


def _row_messages(row: int, error: ValidationError) -> list[str]:
    messages = []
    for field, field_messages in error.message_dict.items():
        where = "" if field == NON_FIELD_ERRORS else f"{TrainingSession._meta.get_field(field).verbose_name}: "
        messages += [f"Row {row}: {where}{message}" for message in field_messages]
    return messages


@transaction.atomic
def training_sessions_create(*, actor, team: Team, sessions: Sequence[Mapping[str, Any]]) -> list[TrainingSession]:
    """Record several sessions at once (the quick-entry table): all of them, or none if any row is invalid.

    Each row takes the keyword arguments of `training_session_create` except `actor` and `team`. Every row is
    validated before anything is saved, including rows that repeat one another's date, type and title.
    """
    require(
        actor,
        Perm.RECORD_SESSIONS_IN_BULK,
        team,
        "You do not have permission to enter training sessions in bulk in this team.",
    )
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
    return [training_session_create(actor=actor, team=team, **fields) for fields in sessions]


# Consultations -------------------------------------------------------------------------------------------------


class ConsultationChanges(TypedDict, total=False):
    date: datetime.date
    consultee_service: Service
    mode: str
    outcome: str
    children: int | None
    note: str
    referral: Referral | None
    # The number of children discussed by age; None keeps the recorded ones.
    child_ages: Mapping[str, int | None] | None


def _next_sequence(team: Team, date: datetime.date, consultee_service: Service) -> int:
    """One more than the highest number used for this team, date and service (1 for the first)."""
    highest = Consultation.objects.filter(team=team, date=date, consultee_service=consultee_service).aggregate(
        highest=Max("sequence")
    )["highest"]
    return (highest or 0) + 1


def _consultation_save(
    actor, consultation: Consultation, child_ages: Mapping[str, int | None] | None, changed: list[str] | None
) -> bool:
    """Validate and save a consultation with the ages of the children discussed (None keeps the recorded ones, which
    must still fit the number discussed); whether the ages changed."""
    wanted = None if child_ages is None else _nonzero(child_ages)
    consultation.full_clean()
    ages = wanted if wanted is not None else dict(consultation.child_ages.values_list("age", "children"))
    if error := child_ages_error(consultation.children, ages):
        raise error
    with acting(actor):
        consultation.save(update_fields=changed)
        return wanted is not None and _breakdown_save(consultation.child_ages, wanted, key="age", count="children")


def _lock_team(team: Team) -> None:
    """Serialise the numbering of a team's consultations (no-op on SQLite, which serialises every write)."""
    Team.objects.select_for_update().filter(pk=team.pk).exists()


@transaction.atomic
def consultation_create(
    *,
    actor,
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
    _require_recording(actor, team)
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
    _consultation_save(actor, consultation, child_ages or {}, changed=None)
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, **changes: Unpack[ConsultationChanges]) -> list[str]:
    """Change what `changes` gives of a consultation; the names that changed, with "child_ages" if the ages did.

    Moved to another date or service, it takes the next number there.
    """
    consultation = locked(consultation)
    _require_recording(actor, consultation.team)
    child_ages = changes.pop("child_ages", None)
    place = (consultation.date, consultation.consultee_service_id)
    changed = _changes_apply(consultation, changes, ConsultationChanges)
    if (consultation.date, consultation.consultee_service_id) != place:
        _lock_team(consultation.team)
        consultation.sequence = _next_sequence(consultation.team, consultation.date, consultation.consultee_service)
        changed.append("sequence")
    if _consultation_save(actor, consultation, child_ages, changed=changed):
        changed.append("child_ages")
    return changed


# Awareness events, universal offer contacts, feedback ----------------------------------------------------------


class AwarenessEventChanges(TypedDict, total=False):
    date: datetime.date
    title: str
    audience: str
    people_engaged: int


class UniversalContactChanges(TypedDict, total=False):
    date: datetime.date
    offer: Intervention
    dyads: int


class FeedbackChanges(TypedDict, total=False):
    date: datetime.date
    kind: str
    theme: str
    text: str
    response: str
    resolved_on: datetime.date | None


def _record_update(actor, record: ActivityRecord, changes: Mapping[str, Any], allowed: type) -> list[str]:
    record = locked(record)
    _require_recording(actor, record.team)
    changed = _changes_apply(record, changes, allowed)
    _save(actor, record, changed)
    return changed


@transaction.atomic
def awareness_event_create(
    *, actor, team: Team, date: datetime.date, title: str, audience: str, people_engaged: int
) -> AwarenessEvent:
    _require_recording(actor, team)
    event = AwarenessEvent(team=team, date=date, title=title, audience=audience, people_engaged=people_engaged)
    _save(actor, event)
    return event


@transaction.atomic
def awareness_event_update(*, actor, event: AwarenessEvent, **changes: Unpack[AwarenessEventChanges]) -> list[str]:
    return _record_update(actor, event, changes, AwarenessEventChanges)


@transaction.atomic
def universal_contact_create(
    *, actor, team: Team, date: datetime.date, offer: Intervention, dyads: int
) -> UniversalOfferContact:
    _require_recording(actor, team)
    contact = UniversalOfferContact(team=team, date=date, offer=offer, dyads=dyads)
    _save(actor, contact)
    return contact


@transaction.atomic
def universal_contact_update(
    *, actor, contact: UniversalOfferContact, **changes: Unpack[UniversalContactChanges]
) -> list[str]:
    return _record_update(actor, contact, changes, UniversalContactChanges)


@transaction.atomic
def feedback_create(
    *,
    actor,
    team: Team,
    date: datetime.date,
    kind: str,
    theme: str,
    text: str,
    response: str = "",
    resolved_on: datetime.date | None = None,
) -> Feedback:
    _require_recording(actor, team)
    feedback = Feedback(
        team=team, date=date, kind=kind, theme=theme, text=text, response=response, resolved_on=resolved_on
    )
    _save(actor, feedback)
    return feedback


@transaction.atomic
def feedback_update(*, actor, feedback: Feedback, **changes: Unpack[FeedbackChanges]) -> list[str]:
    return _record_update(actor, feedback, changes, FeedbackChanges)


# Any of them ---------------------------------------------------------------------------------------------------


@transaction.atomic
def activity_record_delete(*, actor, record: ActivityRecord) -> None:
    """Delete a record entered in error; the audit log keeps what it held."""
    require(actor, Perm.DELETE_ACTIVITY, record.team, "You do not have permission to delete workforce records.")
    with acting(actor):
        record.delete()
