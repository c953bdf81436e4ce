"""The rows of each monitoring file, read back from a team's records: the import's format, file by file.

A row is a dict of the file's columns (`monitoring.schema.FILES`) holding text, whole numbers, dates or None;
`monitoring.export` writes them as CSV or as a workbook. Each file is read in chunks, its related records
prefetched, so the number of queries does not grow with the team's size.

The casework files hold the referrals received in the period and every record filed under them (so that what is
exported can be imported); the workforce files hold the records dated in the period. A referral's pipeline is
written as referrals.csv says it: the decision, the dates each stage began and the status it has reached. What the
format has no column for (a hold that ended, a decision reversed on reopening, a second infant, a second
caregiver's details) is not exported.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone

from monitoring import cells
from monitoring.schema.casework import NOT_RECORDED
from monitoring.schema.outcomes import TOTAL_COLUMNS, answer_columns
from outcomes.models import Questionnaire, QuestionnaireStatus
from outcomes.registry import get_instrument
from outcomes.scoring import ScoreSource
from pairs.models import Team
from pairs.periods import Period
from referrals.models import Appointment, GroupPlace, InterventionEpisode, PipelineEvent, Referral
from referrals.pipeline import REASON_FOR_STATUS, EventKind, Status
from referrals.selectors.lifecycle import unrestricted
from training.models import AwarenessEvent, Consultation, TrainingSession, UniversalOfferContact

CHUNK = 1000
Row = dict[str, object]


def _referrals(team: Team, period: Period | None):
    # A restricted family's records stay out of every export but their own subject access export (ADR 0006).
    referrals = unrestricted(Referral.objects.in_team(team))
    if period is not None:
        referrals = referrals.filter(received_on__range=(period.start, period.end))
    return referrals


def _dated(queryset, period: Period | None):
    return queryset if period is None else queryset.filter(date__range=(period.start, period.end))


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _pipeline(events: list[PipelineEvent]) -> Row:
    """The decision, the dates the stages began and the status reached, from the events in their order."""
    decision, decision_on = "pending", None
    started: dict[str, datetime.date | None] = {
        EventKind.ASSESSMENT_STARTED: None,
        EventKind.INTERVENTION_STARTED: None,
    }
    for event in events:
        if event.kind in (EventKind.ACCEPTED, EventKind.NOT_ACCEPTED):
            decision, decision_on = event.kind, event.occurred_on
        elif event.kind in started:
            started[event.kind] = event.occurred_on
    latest = events[-1]
    if latest.status == Status.AWAITING_DECISION:  # received, or reopened after it was not accepted
        return {"decision": "pending", "status": Status.IN_PROGRESS}
    vocabulary = REASON_FOR_STATUS.get(Status(latest.status))
    reason = getattr(latest, vocabulary.value) if vocabulary else None
    in_progress = latest.status == Status.IN_PROGRESS
    return {
        "decision": decision,
        "decision_on": decision_on,
        "assessment_started_on": started[EventKind.ASSESSMENT_STARTED],
        "intervention_started_on": started[EventKind.INTERVENTION_STARTED],
        "status": latest.status,
        "status_on": None if in_progress else latest.occurred_on,
        "status_reason": reason.code if reason is not None and reason.code != NOT_RECORDED else None,
    }


def referral_rows(team: Team, period: Period | None) -> Iterator[Row]:
    events = PipelineEvent.objects.order_by("occurred_on", "sequence").select_related(
        "decline_reason", "disengagement_reason", "hold_reason"
    )
    referrals = (
        _referrals(team, period)
        .select_related("referrer_service")
        .prefetch_related(Prefetch("events", events), "caregivers", "infants", "complexities")
        .order_by("received_on", "pk")
    )
    for referral in referrals.iterator(chunk_size=CHUNK):
        caregiver = next((c for c in referral.caregivers.all() if c.position == 1), None)
        infant = min(referral.infants.all(), key=lambda infant: infant.pk, default=None)
        yield {
            "reference": referral.reference,
            "received_on": referral.received_on,
            "pathway": referral.pathway,
            "referrer_service": referral.referrer_service.code,
            "caregiver_role": caregiver.role if caregiver else "other",
            "caregiver_birth_year": caregiver.birth_year if caregiver else None,
            "ethnicity": caregiver.ethnicity if caregiver else None,
            "postcode": caregiver.postcode if caregiver else None,
            "imd_decile": referral.imd_decile,
            "antenatal": _yes_no(referral.is_antenatal),
            "infant_date_of_birth": infant.date_of_birth if infant else None,
            "safeguarding_level": referral.safeguarding_level,
            "risk_count": referral.risk_count,
            "complexities": ";".join(sorted(complexity.code for complexity in referral.complexities.all())),
            "first_contact_on": referral.first_contact_on,
            **_pipeline(list(referral.events.all())),
        }


def intervention_rows(team: Team, period: Period | None) -> Iterator[Row]:
    episodes = (
        InterventionEpisode.objects.filter(referral__in=_referrals(team, period))
        .select_related("referral", "intervention")
        .order_by("referral__received_on", "referral_id", "started_on", "intervention__code")
    )
    for episode in episodes.iterator(chunk_size=CHUNK):
        yield {
            "reference": episode.referral.reference,
            "intervention": episode.intervention.code,
            "started_on": episode.started_on,
            "ended_on": episode.ended_on,
            "sessions_attended": episode.sessions_attended,
        }


def outcome_rows(team: Team, period: Period | None) -> Iterator[Row]:
    """The questionnaires that were completed and scored: their item answers, or the totals kept without them."""
    questionnaires = (
        Questionnaire.objects.filter(referral__in=_referrals(team, period), status=QuestionnaireStatus.COMPLETE)
        .select_related("referral", "caregiver")
        .prefetch_related("scores")
        .order_by("referral__received_on", "referral_id", "caregiver__position", "instrument", "timepoint", "pk")
    )
    for questionnaire in questionnaires.iterator(chunk_size=CHUNK):
        row = {
            "reference": questionnaire.referral.reference,
            "caregiver": questionnaire.caregiver.position,
            "instrument": questionnaire.instrument,
            "timepoint": questionnaire.timepoint,
            "completed_on": questionnaire.completed_on,
        }
        if questionnaire.score_source == ScoreSource.TOTALS:
            scores = {score.scale: score.value for score in questionnaire.scores.all()}
            row.update({column: round(scores[column]) for column in TOTAL_COLUMNS if column in scores})
        else:
            instrument = get_instrument(questionnaire.instrument)
            columns = dict(zip((item.number for item in instrument.items), answer_columns(instrument), strict=True))
            row.update({columns[int(number)]: answer for number, answer in questionnaire.answers.items()})
        yield row


def training_rows(team: Team, period: Period | None) -> Iterator[Row]:
    for session in _dated(TrainingSession.objects.in_team(team), period).order_by("date", "session_type", "title"):
        yield {
            "date": session.date,
            "session_type": session.session_type,
            "title": session.title,
            "participants": session.participants,
            "places_offered": session.places_offered,
            "feedback_returned": session.feedback_returned,
            "feedback_positive": session.feedback_positive,
        }


def consultation_rows(team: Team, period: Period | None) -> Iterator[Row]:
    consultations = _dated(Consultation.objects.in_team(team), period).select_related("consultee_service")
    for consultation in consultations.order_by("date", "consultee_service__code", "sequence"):
        yield {
            "date": consultation.date,
            "consultee_service": consultation.consultee_service.code,
            "sequence": consultation.sequence,
            "outcome": consultation.outcome,
            "children": consultation.children,
        }


def awareness_rows(team: Team, period: Period | None) -> Iterator[Row]:
    for event in _dated(AwarenessEvent.objects.in_team(team), period).order_by("date", "title"):
        yield {"date": event.date, "title": event.title, "people_engaged": event.people_engaged}


def universal_rows(team: Team, period: Period | None) -> Iterator[Row]:
    contacts = _dated(UniversalOfferContact.objects.in_team(team), period).select_related("offer")
    for contact in contacts.order_by("date", "offer__code"):
        yield {"date": contact.date, "offer": contact.offer.code, "dyads": contact.dyads}


def appointment_rows(team: Team, period: Period | None) -> Iterator[Row]:
    appointments = (
        Appointment.objects.filter(referral__in=_referrals(team, period))
        .select_related("referral", "practitioner")
        .order_by("referral__received_on", "referral_id", "starts_at", "pk")
    )
    for appointment in appointments.iterator(chunk_size=CHUNK):
        yield {
            "reference": appointment.referral.reference,
            "starts_at": cells.text(timezone.localtime(appointment.starts_at).replace(tzinfo=None)),
            "kind": appointment.kind,
            "mode": appointment.mode,
            "outcome": appointment.outcome,
            "practitioner": appointment.practitioner.get_username(),
        }


def group_place_rows(team: Team, period: Period | None) -> Iterator[Row]:
    places = (
        GroupPlace.objects.filter(referral__in=_referrals(team, period))
        .select_related("referral", "programme__intervention")
        .order_by("referral__received_on", "referral_id", "programme__starts_on", "programme__intervention__code")
    )
    for place in places.iterator(chunk_size=CHUNK):
        yield {
            "reference": place.referral.reference,
            "intervention": place.programme.intervention.code,
            "programme_starts_on": place.programme.starts_on,
            "programme_title": place.programme.title,
            "offered_on": place.offered_on,
            "status": place.status,
            "responded_on": place.responded_on,
        }


ROWS = {
    "referrals.csv": referral_rows,
    "interventions.csv": intervention_rows,
    "outcomes.csv": outcome_rows,
    "training.csv": training_rows,
    "consultations.csv": consultation_rows,
    "awareness.csv": awareness_rows,
    "universal.csv": universal_rows,
    "appointments.csv": appointment_rows,
    "group_places.csv": group_place_rows,
}
