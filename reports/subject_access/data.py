"""Everything the service holds about one caregiver, as one JSON-ready dictionary: the subject access export.

The person is the caregiver chosen and every caregiver record of the same team with the same NHS number (a person
referred more than once); without an NHS number, the one record. The other caregiver of a referral is another
person: their details, questionnaires and their records' audit entries are left out.

The structure (`FORMAT`, `VERSION`; a change to it raises the version):

    format, version, generated_at (ISO date-time), generated_by, team {name, slug}
    subject {name, date_of_birth, birth_year, role, ethnicity, postcode, nhs_number}
    referrals: [{
        reference, received_on, pathway, referrer_service, reason, consent_to_share, antenatal, first_contact_on,
        safeguarding_level, risk_count, thrive_level, imd_decile, complexities [text], assigned_practitioner,
        caregiver {position, name, date_of_birth, birth_year, role, ethnicity, postcode, nhs_number},
        infants [{name, date_of_birth, due_date}],
        stage_moves [{date, event, status, stage, reason, note, recorded_by}],
        levels_history [{date, safeguarding_level, risk_count, thrive_level, imd_decile, recorded_by}],
        appointments [{starts_at, type, where, outcome, practitioner}],
        interventions [{intervention, started_on, ended_on, sessions_attended}],
        group_places [{programme, starts_on, waiting_since, offered_on, status, responded_on, sessions_attended}],
        questionnaires [{instrument, timepoint, completed_on, status, not_completed_reason,
                         items [{number, text, answer, answer_label, own_wording}], scores [{scale, value, band}],
                         safety_alerts [{title, raised_at, acted_on_at, action_taken}]}],
        notes [{date, about, text}],
        restrictions [{restricted_at, reason, lifted_at, lift_reason}],
        retention_reviews [{decided_at, decision, keep_until, reason}],
        audit_history [{timestamp, actor, action, record, changes [{field, before, after}]}],
    }]

Dates are ISO text, absent values null; every text is as recorded. Access entries (who viewed the record) are not
part of it: it holds the changes to the person's records.
"""

import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone

from outcomes.models import Questionnaire, SafetyAlert
from referrals.audit import audit_rows
from referrals.models import Caregiver, GroupPlace, PipelineEvent, Referral

FORMAT = "pairs-subject-access-export"
VERSION = 1


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat() if value else None


def _person(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


def _text(value) -> str | None:
    return str(value) if value is not None else None


def subject_caregivers(caregiver: Caregiver) -> list[Caregiver]:
    """The person's caregiver records in the team: by NHS number when there is one. One query."""
    same_person = Q(pk=caregiver.pk)
    if caregiver.nhs_number:
        same_person |= Q(nhs_number=caregiver.nhs_number)
    return list(
        Caregiver.objects.in_team(caregiver.referral.team).filter(same_person).order_by("referral__received_on", "pk")
    )


def _caregiver(caregiver: Caregiver) -> dict:
    return {
        "position": caregiver.position,
        "name": caregiver.name,
        "date_of_birth": _iso(caregiver.date_of_birth),
        "birth_year": caregiver.birth_year,
        "role": caregiver.get_role_display(),
        "ethnicity": caregiver.get_ethnicity_display() if caregiver.ethnicity else "",
        "postcode": caregiver.postcode,
        "nhs_number": caregiver.nhs_number,
    }


def _stage_move(event: PipelineEvent) -> dict:
    reason = event.decline_reason or event.disengagement_reason or event.hold_reason
    return {
        "date": _iso(event.occurred_on),
        "event": event.get_kind_display(),
        "status": event.get_status_display(),
        "stage": event.get_stage_display(),
        "reason": _text(reason),
        "note": event.note,
        "recorded_by": _person(event.recorded_by),
    }


def _questionnaire(questionnaire: Questionnaire) -> dict:
    definition = questionnaire.definition
    items = []
    for item in definition.items if definition else ():
        answer = questionnaire.answers.get(str(item.number))
        items.append(
            {
                "number": item.number,
                "text": item.text,
                "answer": answer,
                "answer_label": None if answer is None else item.label_for(answer),
                "own_wording": questionnaire.goal_wording.get(str(item.number), ""),
            }
        )
    return {
        "instrument": questionnaire.instrument_name,
        "timepoint": questionnaire.get_timepoint_display(),
        "completed_on": _iso(questionnaire.completed_on),
        "status": questionnaire.get_status_display(),
        "not_completed_reason": questionnaire.get_not_completed_reason_display()
        if questionnaire.not_completed_reason
        else "",
        "items": items,
        "scores": [
            {"scale": score.scale, "value": score.value, "band": score.band} for score in questionnaire.scores.all()
        ],
        "safety_alerts": [
            {
                "title": alert.title,
                "raised_at": _iso(alert.raised_at),
                "acted_on_at": _iso(alert.acted_on_at),
                "action_taken": alert.action_taken,
            }
            for alert in questionnaire.alerts.all()
        ],
    }


def _group_place(place: GroupPlace) -> dict:
    return {
        "programme": str(place.programme),
        "starts_on": _iso(place.programme.starts_on),
        "waiting_since": _iso(place.waiting_since),
        "offered_on": _iso(place.offered_on),
        "status": place.get_status_display(),
        "responded_on": _iso(place.responded_on),
        "sessions_attended": [_iso(session.held_on) for session in place.sessions_attended.all()],
    }


def _notes(referral: Referral, questionnaires: list[Questionnaire]) -> list[dict]:
    """The free text written about the family: the reason for referral, the notes of stage moves, the actions
    taken on safety alerts."""
    notes = [{"date": _iso(referral.received_on), "about": "Reason for referral", "text": referral.reason}]
    notes += [
        {"date": _iso(event.occurred_on), "about": event.get_kind_display(), "text": event.note}
        for event in referral.events.all()
    ]
    notes += [
        {"date": _iso(alert.acted_on_at), "about": f"Action on the alert: {alert.title}", "text": alert.action_taken}
        for questionnaire in questionnaires
        for alert in questionnaire.alerts.all()
    ]
    return [note for note in notes if note["text"]]


def _audit_entries(referrals: list[Referral], others: dict[type, set[str]]):
    """Changes (not views) to the referrals and the records filed under them, less the other people's records."""
    ids = [referral.pk for referral in referrals]
    entries = LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Referral), object_pk__in=[str(pk) for pk in ids])
        | Q(additional_data__referral_id__in=ids)
    ).exclude(action=LogEntry.Action.ACCESS)
    for model, pks in others.items():
        entries = entries.exclude(content_type=ContentType.objects.get_for_model(model), object_pk__in=pks)
    return entries.select_related("actor", "content_type").order_by("timestamp", "pk")


def _audit_row(row) -> dict:
    return {
        "timestamp": _iso(row.timestamp),
        "actor": row.actor,
        "action": row.action,
        "record": row.record,
        "changes": [{"field": change.field, "before": change.before, "after": change.after} for change in row.changes],
    }


def subject_access_data(*, caregiver: Caregiver, generated_by, now: datetime.datetime | None = None) -> dict:
    """The export of everything held about the caregiver's person (the module's docstring gives its structure).

    A fixed number of queries however many referrals and records the person has."""
    mine = subject_caregivers(caregiver)
    mine_by_referral = {row.referral_id: row for row in mine}
    events = PipelineEvent.objects.select_related(
        "recorded_by", "decline_reason", "disengagement_reason", "hold_reason"
    ).order_by("occurred_on", "sequence")
    places = GroupPlace.objects.select_related("programme__intervention").prefetch_related("sessions_attended")
    referrals = list(
        Referral.objects.filter(pk__in=mine_by_referral)
        .select_related("team", "referrer_service", "thrive_level", "assigned_practitioner")
        .prefetch_related(
            "complexities",
            "infants",
            "caregivers",
            Prefetch("events", queryset=events),
            "levels_history__thrive_level",
            "levels_history__recorded_by",
            "appointments__practitioner",
            "interventions__intervention",
            Prefetch("group_places", queryset=places),
            "restrictions",
            "retention_reviews",
        )
        .order_by("received_on", "pk")
    )
    questionnaires = list(
        Questionnaire.objects.filter(caregiver__in=mine)
        .prefetch_related("scores", Prefetch("alerts", queryset=SafetyAlert.objects.order_by("raised_at")))
        .order_by("completed_on", "pk")
    )
    other_caregivers = {
        str(row.pk) for referral in referrals for row in referral.caregivers.all() if row.pk not in {c.pk for c in mine}
    }
    other_questionnaires = set(
        Questionnaire.objects.filter(referral__in=referrals).exclude(caregiver__in=mine).values_list("pk", flat=True)
    )
    entries = list(
        _audit_entries(
            referrals,
            {Caregiver: other_caregivers, Questionnaire: {str(pk) for pk in other_questionnaires}},
        )
    )
    audit: dict[int, list[dict]] = {referral.pk: [] for referral in referrals}
    for entry, row in zip(entries, audit_rows(entries), strict=True):
        audit[(entry.additional_data or {}).get("referral_id") or int(entry.object_pk)].append(_audit_row(row))
    team = caregiver.referral.team
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": _iso(now or timezone.now()),
        "generated_by": _person(generated_by),
        "team": {"name": team.name, "slug": team.slug},
        "subject": {key: value for key, value in _caregiver(caregiver).items() if key != "position"},
        "referrals": [
            _referral(
                referral,
                mine_by_referral[referral.pk],
                [q for q in questionnaires if q.referral_id == referral.pk],
                audit[referral.pk],
            )
            for referral in referrals
        ],
    }


def _referral(referral: Referral, caregiver: Caregiver, questionnaires: list[Questionnaire], audit) -> dict:
    return {
        "reference": referral.reference,
        "received_on": _iso(referral.received_on),
        "pathway": referral.get_pathway_display(),
        "referrer_service": str(referral.referrer_service),
        "reason": referral.reason,
        "consent_to_share": referral.consent_to_share,
        "antenatal": referral.is_antenatal,
        "first_contact_on": _iso(referral.first_contact_on),
        "safeguarding_level": referral.safeguarding_level,
        "risk_count": referral.risk_count,
        "thrive_level": _text(referral.thrive_level),
        "imd_decile": referral.imd_decile,
        "complexities": [str(complexity) for complexity in referral.complexities.all()],
        "assigned_practitioner": _person(referral.assigned_practitioner),
        "caregiver": _caregiver(caregiver),
        "infants": [
            {"name": infant.name, "date_of_birth": _iso(infant.date_of_birth), "due_date": _iso(infant.due_date)}
            for infant in referral.infants.all()
        ],
        "stage_moves": [_stage_move(event) for event in referral.events.all()],
        "levels_history": [
            {
                "date": _iso(levels.recorded_on),
                "safeguarding_level": levels.safeguarding_level,
                "risk_count": levels.risk_count,
                "thrive_level": _text(levels.thrive_level),
                "imd_decile": levels.imd_decile,
                "recorded_by": _person(levels.recorded_by),
            }
            for levels in referral.levels_history.all()
        ],
        "appointments": [
            {
                "starts_at": _iso(appointment.starts_at),
                "type": appointment.get_kind_display(),
                "where": appointment.get_mode_display() if appointment.mode else "",
                "outcome": appointment.get_outcome_display() if appointment.outcome else "",
                "practitioner": _person(appointment.practitioner),
            }
            for appointment in sorted(referral.appointments.all(), key=lambda a: a.starts_at)
        ],
        "interventions": [
            {
                "intervention": str(episode.intervention),
                "started_on": _iso(episode.started_on),
                "ended_on": _iso(episode.ended_on),
                "sessions_attended": episode.sessions_attended,
            }
            for episode in referral.interventions.all()
        ],
        "group_places": [_group_place(place) for place in referral.group_places.all()],
        "questionnaires": [_questionnaire(questionnaire) for questionnaire in questionnaires],
        "notes": _notes(referral, questionnaires),
        "restrictions": [
            {
                "restricted_at": _iso(restriction.restricted_at),
                "reason": restriction.reason,
                "lifted_at": _iso(restriction.lifted_at),
                "lift_reason": restriction.lift_reason,
            }
            for restriction in referral.restrictions.all()
        ],
        "retention_reviews": [
            {
                "decided_at": _iso(review.decided_at),
                "decision": review.get_decision_display(),
                "keep_until": _iso(review.keep_until),
                "reason": review.reason,
            }
            for review in referral.retention_reviews.all()
        ],
        "audit_history": audit,
    }
