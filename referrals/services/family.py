"""A referral's family: adding and correcting its caregivers and infants."""

import datetime
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked, model_update
from pairs.rules import Perm, require
from referrals.models import Caregiver, Infant, Referral
from referrals.selectors import imd_decile_for_postcode
from referrals.selectors.search import family_names_text
from referrals.services.common import CASEWORK_REFUSAL
from referrals.services.levels import referral_levels_record
from referrals.validators import normalise_nhs_number, normalise_postcode


class CaregiverDetails(TypedDict, total=False):
    """A caregiver's details besides their relationship to the infant (`role`), all optional."""

    name: str
    date_of_birth: datetime.date | None
    birth_year: int | None
    ethnicity: str
    postcode: str
    nhs_number: str


class CaregiverChanges(CaregiverDetails, total=False):
    """What `caregiver_update` changes: any of a caregiver's details."""

    role: str


class InfantDetails(TypedDict, total=False):
    name: str
    date_of_birth: datetime.date | None
    due_date: datetime.date | None


def _normalised(details: CaregiverDetails | dict) -> dict:
    data = dict(details)
    for name, normalise in (("postcode", normalise_postcode), ("nhs_number", normalise_nhs_number)):
        if name in data:
            data[name] = normalise(data[name])
    return data


def family_names_refresh(referral: Referral) -> None:
    """Rewrite the names search matches (`Referral.family_names`) from the family as it is now, in the caller's
    transaction: derived, so neither audited nor versioned."""
    names = [
        *Caregiver.objects.filter(referral=referral).values_list("name", flat=True),
        *Infant.objects.filter(referral=referral).values_list("name", flat=True),
    ]
    referral.family_names = family_names_text(names)
    Referral.objects.filter(pk=referral.pk).update(family_names=referral.family_names)


def caregiver_build(referral: Referral, position: int, details: dict) -> Caregiver:
    """A new caregiver of `referral` from its details and `role`, validated and not yet saved."""
    caregiver = Caregiver(
        referral=referral, position=position, **_normalised({"postcode": "", "nhs_number": "", **details})
    )
    caregiver.full_clean()
    return caregiver


@transaction.atomic
def caregiver_add(*, actor, referral: Referral, role: str, **details: Unpack[CaregiverDetails]) -> Caregiver:
    """Add the referral's second caregiver."""
    row = locked(referral)
    require(actor, Perm.WORK_WITH_CASES, row.team, CASEWORK_REFUSAL)
    taken = set(row.caregivers.values_list("position", flat=True))
    free = [position for position in (1, 2) if position not in taken]
    if not free:
        raise ValidationError("A referral has two caregivers at most.", code="caregivers_full")
    with acting(actor):
        caregiver = caregiver_build(row, free[0], {"role": role, **details})
        caregiver.save()
    family_names_refresh(row)
    return caregiver


@transaction.atomic
def caregiver_update(
    *, actor, caregiver: Caregiver, expected_version: int | None = None, **details: Unpack[CaregiverChanges]
) -> tuple[Caregiver, list[str]]:
    """Correct the caregiver's details given, leaving the rest as they are; refused when someone else changed them
    since `expected_version` was read. Returns the caregiver and the names of the details that changed.

    The birth year follows the date of birth when there is one; a year given alone (imports carry only the year)
    is kept, and a birth year of None never erases a known one.
    """
    row = locked(caregiver)
    require(actor, Perm.WORK_WITH_CASES, row.referral.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="caregiver")
    data = _normalised(details)
    if data.get("birth_year", 0) is None:
        del data["birth_year"]
    changed = model_update(row, data=data, fields=CaregiverChanges.__annotations__)
    if not changed:
        return row, []
    with acting(actor):
        row.full_clean()
        row.save()
    bump_version(row)
    if "name" in changed:
        family_names_refresh(row.referral)
    if "postcode" in changed and row.position == 1:
        _imd_follow_postcode(row.referral, row.postcode, actor)
    return row, changed


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
        actor=actor,
        referral=referral,
        recorded_on=timezone.localdate(),
        safeguarding_level=referral.safeguarding_level,
        risk_count=referral.risk_count,
        thrive_level=referral.thrive_level,
        imd_decile=decile,
    )
    Referral.objects.filter(pk=referral.pk).update(imd_from_postcode=True)


@transaction.atomic
def infant_add(*, actor, referral: Referral, **details: Unpack[InfantDetails]) -> Infant:
    """Add an infant to the referral (a sibling, or a baby whose details were not known at referral)."""
    row = locked(referral)
    require(actor, Perm.WORK_WITH_CASES, row.team, CASEWORK_REFUSAL)
    with acting(actor):
        infant = Infant(referral=row, **details)
        infant.full_clean()
        infant.save()
    family_names_refresh(row)
    return infant


@transaction.atomic
def infant_update(
    *, actor, infant: Infant, expected_version: int | None = None, **details: Unpack[InfantDetails]
) -> tuple[Infant, list[str]]:
    """Correct the infant's details given, or record the birth of a baby who was unborn at referral. Returns the
    infant and the names of the details that changed."""
    row = locked(infant)
    require(actor, Perm.WORK_WITH_CASES, row.referral.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="infant")
    changed = model_update(row, data=details, fields=InfantDetails.__annotations__)
    if not changed:
        return row, []
    with acting(actor):
        row.full_clean()
        row.save()
    bump_version(row)
    if "name" in changed:
        family_names_refresh(row.referral)
    return row, changed
