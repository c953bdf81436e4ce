"""Referrals and their families: creating a referral, correcting its details, its levels, its caregivers and
infants."""

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from pairs.audit import acting
from pairs.models import Service, Team
from referrals import pipeline
from referrals.models import (
    Caregiver,
    Complexity,
    ImdPostcode,
    Infant,
    LevelsRecord,
    Referral,
    ThriveLevel,
)
from referrals.pipeline import EventKind
from referrals.services.common import _check_clinical_member, _check_version, _first_contact_check, _locked, _require
from referrals.services.events import _events_append
from referrals.validators import normalise_nhs_number, normalise_postcode

REFERENCE_PREFIX = "REF-"


class DuplicateSubmission(Exception):
    """The form that created `referral` was sent again: nothing new was written."""

    def __init__(self, referral: Referral):
        super().__init__(f"Referral {referral.reference} was already created from this form.")
        self.referral = referral


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
