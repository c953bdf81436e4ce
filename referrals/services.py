"""Every write to casework records. The pipeline services are the only way to move a referral.

Each service takes the person acting and, for pipeline moves, the event date (`occurred_on`) keyword-only, so that
an importer of historical data can call the same functions as the browser. A refused write raises
ValidationError with a message a practitioner understands and leaves the database as it was.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from pairs.audit import acting
from pairs.models import Role, Service, Team
from pairs.rules import require
from referrals import pipeline
from referrals.models import (
    Appointment,
    Caregiver,
    Complexity,
    DeclineReason,
    DisengagementReason,
    GroupPlace,
    GroupProgramme,
    GroupSession,
    HoldReason,
    ImdPostcode,
    Infant,
    Intervention,
    InterventionEpisode,
    LevelsRecord,
    PipelineEvent,
    Referral,
    ThriveLevel,
)
from referrals.pipeline import EventKind, ReasonVocabulary, Stage, State, Status
from referrals.validators import normalise_nhs_number, normalise_postcode

REFERENCE_PREFIX = "REF-"
REASON_MODELS = {
    ReasonVocabulary.DECLINE: DeclineReason,
    ReasonVocabulary.DISENGAGEMENT: DisengagementReason,
    ReasonVocabulary.HOLD: HoldReason,
}
STALE_MESSAGE = (
    "Someone else changed this {noun} after you opened the form, so your changes have not been saved. "
    "Check the record as it is now and make your changes again."
)


class DuplicateSubmission(Exception):
    """The form that created `referral` was sent again: nothing new was written."""

    def __init__(self, referral: Referral):
        super().__init__(f"Referral {referral.reference} was already created from this form.")
        self.referral = referral


def _require(actor, permission: str, team: Team) -> None:
    require(actor, permission, team, "You do not have permission to change referrals in this team.")


def _check_version(instance, expected_version: int | None, noun: str) -> None:
    if expected_version is not None and instance.version != expected_version:
        raise ValidationError(STALE_MESSAGE.format(noun=noun), code="stale")


def _locked(instance):
    """The row as it is now, locked until the transaction ends, so that two writers cannot interleave."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _bump(instance) -> None:
    """One more on the version of a row read with `_locked()` (or created in this transaction): no one else can
    have changed it meanwhile, so the count is done here rather than in the database."""
    instance.version += 1
    instance.save(update_fields=["version"])


# Pipeline -------------------------------------------------------------------------------------------------------


def referral_state(referral: Referral) -> State | None:
    """The state left by the referral's latest event (None before its first)."""
    latest = referral.events.order_by("-occurred_on", "-sequence").values("status", "stage", "occurred_on").first()
    if latest is None:
        return None
    return State(Status(latest["status"]), Stage(latest["stage"]))


def _events_append(locked: Referral, *, actor, steps: Sequence[tuple], note: str = "") -> list[PipelineEvent]:
    """Check each step, (kind, occurred_on, reason or None), against the state machine of `referrals.pipeline` from
    the referral's latest event on, and record it as a dated event. `locked` is the referral's row, locked.

    The version goes up once for the lot: the steps are one change, made under the lock.
    """
    latest = locked.events.order_by("-occurred_on", "-sequence").values("status", "stage", "occurred_on", "sequence")
    latest = latest.first()
    state = State(Status(latest["status"]), Stage(latest["stage"])) if latest else pipeline.NEW
    previous_on = latest["occurred_on"] if latest else None
    sequence = latest["sequence"] if latest else 0
    today = timezone.localdate()
    events = []
    with acting(actor):
        for kind, occurred_on, reason in steps:
            state = pipeline.check_transition(
                kind=kind,
                state=state,
                occurred_on=occurred_on,
                previous_on=previous_on,
                today=today,
                reason=reason,
                user=actor,
                team=locked.team,
            )
            reason_fields = {}
            vocabulary = pipeline.REASON_FOR_STATUS.get(state.status)
            if vocabulary:
                if not isinstance(reason, REASON_MODELS[vocabulary]):
                    message = f"Choose one of the listed options for the {vocabulary.label}."
                    raise ValidationError({vocabulary.value: message})
                reason_fields[vocabulary.value] = reason
            sequence += 1
            event = PipelineEvent(
                referral=locked,
                kind=kind,
                occurred_on=occurred_on,
                sequence=sequence,
                status=state.status,
                stage=state.stage,
                note=note,
                recorded_by=actor,
                **reason_fields,
            )
            # The sequence was read under the referral's lock and the referral and actor are known to exist, so the
            # unique (referral, sequence) and foreign-key checks would only cost queries per event; the database's
            # constraints stay as the backstop.
            event.full_clean(exclude=["referral", "recorded_by"], validate_constraints=False)
            event.save()
            events.append(event)
            previous_on = occurred_on
        if events:
            _bump(locked)
    return events


@transaction.atomic
def pipeline_event_record(
    *,
    referral: Referral,
    kind: EventKind,
    occurred_on: datetime.date,
    actor,
    reason=None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Check a move against the state machine of `referrals.pipeline` and record it as a dated event.

    The writer of single pipeline events, shared by the browser services below; importers use
    `pipeline_history_extend`, which applies the same checks.
    """
    locked = _locked(referral)
    _check_version(locked, expected_version, "referral")
    [event] = _events_append(locked, actor=actor, steps=[(kind, occurred_on, reason)], note=note)
    referral.version = locked.version
    return event


def referral_accept(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    safeguarding_level: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Accept the referral; the safeguarding level is recorded at acceptance when it is known."""
    with transaction.atomic():
        event = pipeline_event_record(
            referral=referral,
            kind=EventKind.ACCEPTED,
            occurred_on=occurred_on,
            actor=actor,
            note=note,
            expected_version=expected_version,
        )
        if safeguarding_level is not None:
            referral.refresh_from_db()
            referral_levels_record(
                referral=referral,
                actor=actor,
                recorded_on=occurred_on,
                safeguarding_level=safeguarding_level,
                risk_count=referral.risk_count,
                thrive_level=referral.thrive_level,
                imd_decile=referral.imd_decile,
            )
    return event


def referral_decline(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    reason: DeclineReason | None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.NOT_ACCEPTED,
        occurred_on=occurred_on,
        actor=actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


def assessment_start(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.ASSESSMENT_STARTED,
        occurred_on=occurred_on,
        actor=actor,
        note=note,
        expected_version=expected_version,
    )


def intervention_start(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    intervention: Intervention | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Move the referral into intervention and, when given, open an episode of `intervention` on the same date."""
    with transaction.atomic():
        event = pipeline_event_record(
            referral=referral,
            kind=EventKind.INTERVENTION_STARTED,
            occurred_on=occurred_on,
            actor=actor,
            note=note,
            expected_version=expected_version,
        )
        if intervention is not None:
            intervention_episode_create(
                referral=referral, actor=actor, intervention=intervention, started_on=occurred_on
            )
    return event


def referral_complete(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    """Discharge the family on completion; episodes still open end on the same date."""
    with transaction.atomic():
        event = pipeline_event_record(
            referral=referral,
            kind=EventKind.COMPLETED,
            occurred_on=occurred_on,
            actor=actor,
            note=note,
            expected_version=expected_version,
        )
        with acting(actor):
            for episode in referral.interventions.filter(ended_on=None).select_for_update():
                if episode.started_on > occurred_on:
                    raise ValidationError(
                        {"occurred_on": f"{episode.intervention} started after this date: check the dates."}
                    )
                episode.ended_on = occurred_on
                episode.version += 1
                episode.full_clean()
                episode.save()
    return event


def referral_disengage(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    reason: DisengagementReason | None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    """Record that the family disengaged; the status says at which stage they had reached."""
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.DISENGAGED,
        occurred_on=occurred_on,
        actor=actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


def referral_hold(
    *,
    referral: Referral,
    actor,
    occurred_on: datetime.date,
    reason: HoldReason | None,
    note: str = "",
    expected_version: int | None = None,
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.ON_HOLD,
        occurred_on=occurred_on,
        actor=actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


def referral_resume(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.RESUMED,
        occurred_on=occurred_on,
        actor=actor,
        note=note,
        expected_version=expected_version,
    )


def referral_reopen(
    *, referral: Referral, actor, occurred_on: datetime.date, note: str = "", expected_version: int | None = None
) -> PipelineEvent:
    """Reopen a closed referral: for service managers only; the event and its note are audited."""
    return pipeline_event_record(
        referral=referral,
        kind=EventKind.REOPENED,
        occurred_on=occurred_on,
        actor=actor,
        note=note,
        expected_version=expected_version,
    )


@transaction.atomic
def pipeline_history_extend(*, referral: Referral, actor, steps: Sequence[tuple]) -> list[PipelineEvent]:
    """Record `steps`, each (kind, occurred_on, reason or None), after the referral's latest event, in order.

    For importers: every step is checked against the state machine as if made in the browser, and either all are
    recorded or none is.
    """
    locked = _locked(referral)
    events = _events_append(locked, actor=actor, steps=steps)
    referral.version = locked.version
    return events


@transaction.atomic
def pipeline_history_rewrite(
    *, referral: Referral, actor, received_on: datetime.date, steps: Sequence[tuple]
) -> list[PipelineEvent]:
    """Replace the referral's pipeline history: received on `received_on`, then `steps` as in
    `pipeline_history_extend`. For a corrected import; a service manager's act, audited event by event."""
    locked = _locked(referral)
    if not actor.has_perm(pipeline.MANAGE_TEAM, locked.team):
        raise ValidationError("Only a service manager can rewrite a referral's history.", code="permission")
    with acting(actor):
        for event in locked.events.all():
            event.delete()
        locked.received_on = received_on
        locked.full_clean(validate_unique=False)
        _first_contact_check(locked)
        locked.save(update_fields=["received_on"])
    events = _events_append(locked, actor=actor, steps=[(EventKind.RECEIVED, received_on, None), *steps])
    referral.refresh_from_db()
    return events[1:]


# Referrals and families -----------------------------------------------------------------------------------------


def _next_reference(team: Team) -> str:
    highest = (
        Referral.objects.in_team(team)
        .filter(reference__regex=rf"^{REFERENCE_PREFIX}[0-9]+$")
        .aggregate(n=Max(Cast(Substr("reference", len(REFERENCE_PREFIX) + 1), IntegerField())))["n"]
    )
    return f"{REFERENCE_PREFIX}{(highest or 0) + 1:06d}"


def imd_decile_for_postcode(postcode: str) -> int | None:
    """The decile of the loaded lookup (`manage.py load_imd_lookup`), or None when the postcode is not in it."""
    if not postcode:
        return None
    lookup = ImdPostcode.objects.filter(postcode=normalise_postcode(postcode))
    return lookup.values_list("imd_decile", flat=True).first()


def _caregiver_build(referral: Referral, position: int, data: dict) -> Caregiver:
    data = dict(data)
    data["nhs_number"] = normalise_nhs_number(data.get("nhs_number", ""))
    data["postcode"] = normalise_postcode(data.get("postcode", ""))
    caregiver = Caregiver(referral=referral, position=position, **data)
    caregiver.full_clean()
    return caregiver


@transaction.atomic
def referral_create(
    *,
    team: Team,
    actor,
    received_on: datetime.date,
    pathway: str,
    referrer_service: Service,
    caregivers: Sequence[dict],
    infants: Sequence[dict] = (),
    reason: str = "",
    consent_to_share: bool | None = None,
    complexities: Iterable[Complexity] = (),
    assigned_practitioner=None,
    reference: str = "",
    is_antenatal: bool | None = None,
    imd_decile: int | None = None,
    first_contact_on: datetime.date | None = None,
    submission_token: uuid.UUID | None = None,
) -> Referral:
    """Create a referral with its family and its `received` event, dated `received_on`.

    `reference` defaults to the team's next REF-nnnnnn. `is_antenatal` defaults to whether an infant is unborn
    (imports give it directly, without infants). `imd_decile` defaults to the postcode lookup's decile for the
    first caregiver. A `submission_token` already used raises DuplicateSubmission and writes nothing.
    """
    _require(actor, pipeline.WORK_WITH_CASES, team)
    if submission_token is not None:
        existing = Referral.objects.in_team(team).filter(submission_token=submission_token).first()
        if existing is not None:
            raise DuplicateSubmission(existing)
    if not caregivers:
        raise ValidationError("A referral needs at least one caregiver.")
    if assigned_practitioner is not None:
        _check_clinical_member(assigned_practitioner, team, "assigned_practitioner")
    imd_from_postcode = False
    if imd_decile is None:
        imd_decile = imd_decile_for_postcode(caregivers[0].get("postcode", ""))
        imd_from_postcode = imd_decile is not None
    infant_records = [Infant(**data) for data in infants]
    if is_antenatal is None:
        is_antenatal = any(infant.is_unborn for infant in infant_records)

    with acting(actor):
        referral = Referral(
            team=team,
            reference=reference or _next_reference(team),
            received_on=received_on,
            pathway=pathway,
            referrer_service=referrer_service,
            reason=reason,
            consent_to_share=consent_to_share,
            is_antenatal=is_antenatal,
            imd_decile=imd_decile,
            imd_from_postcode=imd_from_postcode,
            first_contact_on=first_contact_on,
            assigned_practitioner=assigned_practitioner,
            created_by=actor,
            submission_token=submission_token,
        )
        referral.full_clean(validate_unique=False)
        _first_contact_check(referral)
        try:
            with transaction.atomic():
                referral.save()
        except IntegrityError:
            # Another request took the same token or reference between the checks above and this insert.
            existing = Referral.objects.in_team(team).filter(submission_token=submission_token).first()
            if submission_token is not None and existing is not None:
                raise DuplicateSubmission(existing) from None
            if not reference:
                referral.reference = _next_reference(team)
                referral.save()
            else:
                raise ValidationError({"reference": f"The team already has a referral {reference}."}) from None
        referral.complexities.set(complexities)
        for position, data in enumerate(caregivers, start=1):
            _caregiver_build(referral, position, data).save()
        for infant in infant_records:
            infant.referral = referral
            infant.full_clean()
            infant.save()
        if imd_decile is not None:
            LevelsRecord.objects.create(
                referral=referral, recorded_on=received_on, imd_decile=imd_decile, recorded_by=actor
            )
    # No lock needed: the row is not visible to anyone else until this transaction commits.
    _events_append(referral, actor=actor, steps=[(EventKind.RECEIVED, received_on, None)])
    referral.refresh_from_db()
    return referral


def _check_clinical_member(user, team: Team, field: str) -> None:
    if not user.memberships.filter(team=team, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]).exists():
        raise ValidationError({field: "Choose a practitioner or service manager of this team."})


def _first_contact_check(referral: Referral) -> None:
    if referral.first_contact_on is None:
        return
    if referral.first_contact_on > timezone.localdate():
        raise ValidationError({"first_contact_on": "The date of first contact cannot be in the future."})
    if referral.first_contact_on < referral.received_on:
        raise ValidationError({"first_contact_on": "The date of first contact cannot be before the referral."})


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    actor,
    expected_version: int,
    pathway: str,
    referrer_service: Service,
    reason: str,
    consent_to_share: bool | None,
    complexities: Iterable[Complexity],
    assigned_practitioner,
    first_contact_on: datetime.date | None,
    is_antenatal: bool | None = None,
) -> Referral:
    """Change the referral's details; refused when someone else changed it since `expected_version` was read.

    `is_antenatal` is left as it is unless given (imports carry it; the browser derives it from the infants).
    """
    locked = _locked(referral)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    _check_version(locked, expected_version, "referral")
    if assigned_practitioner is not None:
        _check_clinical_member(assigned_practitioner, locked.team, "assigned_practitioner")
    locked.pathway = pathway
    locked.referrer_service = referrer_service
    locked.reason = reason
    locked.consent_to_share = consent_to_share
    locked.assigned_practitioner = assigned_practitioner
    locked.first_contact_on = first_contact_on
    if is_antenatal is not None:
        locked.is_antenatal = is_antenatal
    locked.version += 1
    with acting(actor):
        locked.full_clean(validate_unique=False)
        _first_contact_check(locked)
        locked.save()
        locked.complexities.set(complexities)
    return locked


@transaction.atomic
def referral_levels_record(
    *,
    referral: Referral,
    actor,
    recorded_on: datetime.date,
    safeguarding_level: int | None,
    risk_count: int | None,
    thrive_level: ThriveLevel | None,
    imd_decile: int | None,
    expected_version: int | None = None,
) -> LevelsRecord:
    """Record the safeguarding level, risks, Thrive level and IMD decile as they are now, keeping their history."""
    locked = _locked(referral)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    _check_version(locked, expected_version, "referral")
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "The date cannot be in the future."})
    if recorded_on < locked.received_on:
        raise ValidationError({"recorded_on": "The date cannot be before the referral was received."})
    with acting(actor):
        record = LevelsRecord(
            referral=locked,
            recorded_on=recorded_on,
            safeguarding_level=safeguarding_level,
            risk_count=risk_count,
            thrive_level=thrive_level,
            imd_decile=imd_decile,
            recorded_by=actor,
        )
        record.full_clean()
        record.save()
        if imd_decile != locked.imd_decile:
            locked.imd_from_postcode = False
        locked.safeguarding_level = safeguarding_level
        locked.risk_count = risk_count
        locked.thrive_level = thrive_level
        locked.imd_decile = imd_decile
        locked.version += 1
        locked.full_clean(validate_unique=False)
        locked.save()
    referral.version = locked.version
    return record


@transaction.atomic
def caregiver_update(
    *,
    caregiver: Caregiver,
    actor,
    expected_version: int,
    name: str,
    role: str,
    date_of_birth: datetime.date | None,
    ethnicity: str,
    postcode: str,
    nhs_number: str,
    birth_year: int | None = None,
) -> Caregiver:
    """Correct a caregiver's details; refused when someone else changed them since `expected_version` was read.

    The birth year follows the date of birth when there is one; otherwise `birth_year` (imports carry only the
    year) is kept when given.
    """
    locked = _locked(caregiver)
    _require(actor, pipeline.WORK_WITH_CASES, locked.referral.team)
    _check_version(locked, expected_version, "caregiver")
    locked.name, locked.role, locked.date_of_birth, locked.ethnicity = name, role, date_of_birth, ethnicity
    if birth_year is not None:
        locked.birth_year = birth_year
    moved = locked.postcode != normalise_postcode(postcode)
    locked.postcode = normalise_postcode(postcode)
    locked.nhs_number = normalise_nhs_number(nhs_number)
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    if moved and locked.position == 1:
        _imd_follow_postcode(locked.referral, locked.postcode, actor)
    return locked


def _imd_follow_postcode(referral: Referral, postcode: str, actor) -> None:
    """A decile that came from the postcode lookup (or none at all) follows the first caregiver's new postcode;
    one entered by hand stays."""
    referral.refresh_from_db()
    if referral.imd_decile is not None and not referral.imd_from_postcode:
        return
    decile = imd_decile_for_postcode(postcode)
    if decile is None or decile == referral.imd_decile:
        return
    referral_levels_record(
        referral=referral,
        actor=actor,
        recorded_on=timezone.localdate(),
        safeguarding_level=referral.safeguarding_level,
        risk_count=referral.risk_count,
        thrive_level=referral.thrive_level,
        imd_decile=decile,
    )
    Referral.objects.filter(pk=referral.pk).update(imd_from_postcode=True)


@transaction.atomic
def caregiver_add(
    *,
    referral: Referral,
    actor,
    role: str,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    birth_year: int | None = None,
    ethnicity: str = "",
    postcode: str = "",
    nhs_number: str = "",
) -> Caregiver:
    """Add the referral's second caregiver."""
    locked = _locked(referral)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    taken = set(locked.caregivers.values_list("position", flat=True))
    free = [position for position in (1, 2) if position not in taken]
    if not free:
        raise ValidationError("A referral has two caregivers at most.", code="caregivers_full")
    data = {
        "role": role,
        "name": name,
        "date_of_birth": date_of_birth,
        "birth_year": birth_year,
        "ethnicity": ethnicity,
        "postcode": postcode,
        "nhs_number": nhs_number,
    }
    with acting(actor):
        caregiver = _caregiver_build(locked, free[0], data)
        caregiver.save()
    return caregiver


@transaction.atomic
def infant_add(
    *,
    referral: Referral,
    actor,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    due_date: datetime.date | None = None,
) -> Infant:
    """Add an infant to the referral (a sibling, or a baby whose details were not known at referral)."""
    locked = _locked(referral)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    with acting(actor):
        infant = Infant(referral=locked, name=name, date_of_birth=date_of_birth, due_date=due_date)
        infant.full_clean()
        infant.save()
    return infant


@transaction.atomic
def infant_update(
    *,
    infant: Infant,
    actor,
    expected_version: int,
    name: str,
    date_of_birth: datetime.date | None,
    due_date: datetime.date | None,
) -> Infant:
    """Correct an infant's details, or record the birth of a baby who was unborn at referral."""
    locked = _locked(infant)
    _require(actor, pipeline.WORK_WITH_CASES, locked.referral.team)
    _check_version(locked, expected_version, "infant")
    locked.name, locked.date_of_birth, locked.due_date = name, date_of_birth, due_date
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    return locked


# Appointments and interventions ---------------------------------------------------------------------------------


def _states_on(referral: Referral, day: datetime.date) -> tuple[State | None, State | None]:
    """The referral's state as `day` began and as it ended (None before its receipt). A booking or an offer dated
    in the past is judged by its own day, so that a referral closed since can still gain the appointments and
    places it had while open: imports and late data entry, as for intervention episodes."""
    events = referral.events.filter(occurred_on__lte=day).order_by("-occurred_on", "-sequence")
    began = ended = None
    for index, (occurred_on, status, stage) in enumerate(events.values_list("occurred_on", "status", "stage")):
        state = State(Status(status), Stage(stage))
        if index == 0:
            ended = state
        if occurred_on < day:
            began = state
            break
    return began, ended


def _require_open(referral: Referral, doing: str, *, on: datetime.date) -> None:
    began, ended = _states_on(referral, on)
    if any(state is not None and not state.is_closed for state in (began, ended)):
        return
    label = ended.status.label.lower() if ended else "not yet received"
    raise ValidationError(f"You cannot {doing} for a referral that is {label}. Reopen it first.", code="closed")


@transaction.atomic
def appointment_book(
    *, referral: Referral, actor, practitioner, starts_at: datetime.datetime, kind: str, mode: str
) -> Appointment:
    _require(actor, pipeline.WORK_WITH_CASES, referral.team)
    _require_open(referral, "book an appointment", on=timezone.localtime(starts_at).date())
    _check_clinical_member(practitioner, referral.team, "practitioner")
    if starts_at.date() < referral.received_on:
        raise ValidationError({"starts_at": "The appointment cannot be before the referral was received."})
    with acting(actor):
        appointment = Appointment(
            referral=referral, practitioner=practitioner, starts_at=starts_at, kind=kind, mode=mode, booked_by=actor
        )
        appointment.full_clean()
        appointment.save()
    return appointment


@transaction.atomic
def appointment_record_outcome(
    *, appointment: Appointment, actor, outcome: str, expected_version: int | None = None
) -> Appointment:
    """Record whether the family came. The first attended assessment appointment of a referral still waiting for
    assessment starts its assessment on the appointment's date."""
    locked = _locked(appointment)
    referral = locked.referral
    _require(actor, pipeline.WORK_WITH_CASES, referral.team)
    _check_version(locked, expected_version, "appointment")
    if locked.starts_at > timezone.now():
        raise ValidationError({"outcome": "You can record an outcome once the appointment has started."})
    locked.outcome = outcome
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    state = referral_state(referral)
    if (
        outcome == Appointment.Outcome.ATTENDED
        and locked.kind == Appointment.Kind.ASSESSMENT
        and state == State(Status.IN_PROGRESS, Stage.REFERRAL)
    ):
        assessment_start(
            referral=referral,
            actor=actor,
            occurred_on=timezone.localtime(locked.starts_at).date(),
            note="Started by the first attended assessment appointment.",
        )
    return locked


@transaction.atomic
def intervention_episode_create(
    *, referral: Referral, actor, intervention: Intervention, started_on: datetime.date
) -> InterventionEpisode:
    """Add an intervention to a referral that has begun intervention (the first comes with `intervention_start`).

    A closed referral may still gain episodes dated from the start of its intervention stage: imports and late
    data entry.
    """
    _require(actor, pipeline.WORK_WITH_CASES, referral.team)
    began = (
        referral.events.filter(kind=EventKind.INTERVENTION_STARTED)
        .order_by("occurred_on", "sequence")
        .values_list("occurred_on", flat=True)
        .first()
    )
    if began is None:
        raise ValidationError("Start the intervention stage before adding interventions.", code="stage")
    if started_on < began:
        raise ValidationError(
            {"started_on": f"The start date cannot be before the intervention stage began, on {began:%-d %B %Y}."}
        )
    with acting(actor):
        episode = InterventionEpisode(referral=referral, intervention=intervention, started_on=started_on)
        episode.full_clean()
        episode.save()
    return episode


@transaction.atomic
def intervention_episode_update(
    *,
    episode: InterventionEpisode,
    actor,
    expected_version: int,
    ended_on: datetime.date | None,
    sessions_attended: int | None,
) -> InterventionEpisode:
    locked = _locked(episode)
    _require(actor, pipeline.WORK_WITH_CASES, locked.referral.team)
    _check_version(locked, expected_version, "intervention")
    locked.ended_on = ended_on
    locked.sessions_attended = sessions_attended
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    return locked


# Group programmes -----------------------------------------------------------------------------------------------


@transaction.atomic
def group_programme_create(
    *,
    team: Team,
    actor,
    intervention: Intervention,
    title: str,
    starts_on: datetime.date,
    places_offered: int,
    sessions_planned: int,
    venue: str = "",
    facilitators: Iterable = (),
) -> GroupProgramme:
    _require(actor, pipeline.WORK_WITH_CASES, team)
    facilitators = list(facilitators)
    for facilitator in facilitators:
        _check_clinical_member(facilitator, team, "facilitators")
    with acting(actor):
        programme = GroupProgramme(
            team=team,
            intervention=intervention,
            title=title,
            starts_on=starts_on,
            places_offered=places_offered,
            sessions_planned=sessions_planned,
            venue=venue,
            created_by=actor,
        )
        programme.full_clean()
        programme.save()
        programme.facilitators.set(facilitators)
    return programme


@transaction.atomic
def group_place_offer(
    *,
    programme: GroupProgramme,
    referral: Referral,
    actor,
    offered_on: datetime.date,
    waiting_since: datetime.date,
) -> GroupPlace:
    locked = _locked(programme)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    if referral.team_id != locked.team_id:
        raise ValidationError({"referral": "The referral belongs to another team."})
    if not any(
        state and state.status in (Status.IN_PROGRESS, Status.ON_HOLD) for state in _states_on(referral, offered_on)
    ):
        raise ValidationError({"referral": "Offer group places to accepted referrals that are still open."})
    if locked.places.filter(referral=referral).exists():
        raise ValidationError({"referral": f"{referral.reference} already has a place on this programme."})
    held = locked.places.exclude(status=GroupPlace.Status.DECLINED).count()
    if held >= locked.places_offered:
        raise ValidationError(f"All {locked.places_offered} places are offered or taken up.", code="full")
    if waiting_since < referral.received_on:
        raise ValidationError({"waiting_since": "The family cannot join the waiting list before the referral."})
    with acting(actor):
        place = GroupPlace(programme=locked, referral=referral, offered_on=offered_on, waiting_since=waiting_since)
        place.full_clean()
        place.save()
        _bump(locked)
    return place


@transaction.atomic
def group_place_respond(
    *, place: GroupPlace, actor, status: str, responded_on: datetime.date, expected_version: int
) -> GroupPlace:
    """Record that the family took up or declined the place."""
    locked = _locked(place)
    _require(actor, pipeline.WORK_WITH_CASES, locked.programme.team)
    _check_version(locked, expected_version, "group place")
    if status not in (GroupPlace.Status.TAKEN_UP, GroupPlace.Status.DECLINED):
        raise ValidationError({"status": "Choose taken up or declined."})
    if status == GroupPlace.Status.DECLINED and locked.sessions_attended.exists():
        raise ValidationError({"status": "The family has attended sessions: the place was taken up."})
    locked.status = status
    locked.responded_on = responded_on
    locked.version += 1
    with acting(actor):
        locked.full_clean()
        locked.save()
    return locked


def _attendees_check(programme: GroupProgramme, attendees: Sequence[GroupPlace]) -> None:
    for place in attendees:
        if place.programme_id != programme.pk or place.status != GroupPlace.Status.TAKEN_UP:
            raise ValidationError({"attendees": "Only families who took up a place on this programme can attend."})


@transaction.atomic
def group_session_record(
    *, programme: GroupProgramme, actor, number: int, held_on: datetime.date, attendees: Sequence[GroupPlace]
) -> GroupSession:
    """Record a session of the programme and who attended it."""
    locked = _locked(programme)
    _require(actor, pipeline.WORK_WITH_CASES, locked.team)
    _attendees_check(locked, attendees)
    if held_on < locked.starts_on:
        raise ValidationError({"held_on": "The session cannot be before the programme starts."})
    if locked.sessions.filter(number=number).exists():
        raise ValidationError({"number": f"Session {number} is already recorded: change it instead."})
    with acting(actor):
        session = GroupSession(programme=locked, number=number, held_on=held_on)
        session.full_clean(validate_unique=False)
        session.save()
        session.attendees.set(attendees)
        _bump(locked)
    return session


@transaction.atomic
def group_session_update(
    *, session: GroupSession, actor, expected_version: int, held_on: datetime.date, attendees: Sequence[GroupPlace]
) -> GroupSession:
    """Correct a session's date or attendance. The programme's version guards against a stale register."""
    programme = _locked(session.programme)
    _require(actor, pipeline.WORK_WITH_CASES, programme.team)
    _check_version(programme, expected_version, "group programme")
    _attendees_check(programme, attendees)
    if held_on < programme.starts_on:
        raise ValidationError({"held_on": "The session cannot be before the programme starts."})
    with acting(actor):
        session.held_on = held_on
        session.full_clean(validate_unique=False)
        session.save()
        session.attendees.set(attendees)
        _bump(programme)
    return session
