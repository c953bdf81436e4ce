"""Referrals: creating one with its family and its receipt, and correcting its details."""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked, model_update
from pairs.models import Service, Team
from pairs.rules import Perm, require
from referrals.models import Complexity, Infant, LevelsRecord, Referral
from referrals.pipeline import EventKind
from referrals.selectors import imd_decile_for_postcode
from referrals.services.common import CASEWORK_REFUSAL, check_clinical_member, first_contact_check
from referrals.services.events import events_append
from referrals.services.family import caregiver_build, family_names_refresh
from referrals.services.references import reference_allocate

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class DuplicateSubmission(Exception):
    """The form that created `referral` was sent again: nothing new was written."""

    def __init__(self, referral: Referral):
        super().__init__(f"Referral {referral.reference} was already created from this form.")
        self.referral = referral


@transaction.atomic
def referral_create(
    *,
    actor,
    team: Team,
    received_on: datetime.date,
    pathway: str,
    referrer_service: Service,
    caregivers: Sequence[dict],
    infants: Sequence[dict] = (),
    reason: str = "",
    consent_to_share: bool | None = None,
    complexities: Iterable[Complexity] = (),
    assigned_practitioner: "User | None" = None,
    reference: str = "",
    is_antenatal: bool | None = None,
    imd_decile: int | None = None,
    first_contact_on: datetime.date | None = None,
    submission_token: uuid.UUID | None = None,
) -> Referral:
    """Create a referral with its family and its `received` event, dated `received_on`.

    `reference` defaults to the next of the team's scheme (`reference_allocate`); an import gives its own.
    `is_antenatal` defaults to whether an infant is unborn (imports give it directly, without infants).
    `imd_decile` defaults to the postcode lookup's decile for the first caregiver. A `submission_token` already
    used raises DuplicateSubmission and writes nothing.
    """
    require(actor, Perm.WORK_WITH_CASES, team, CASEWORK_REFUSAL)
    if submission_token is not None:
        existing = Referral.objects.in_team(team).filter(submission_token=submission_token).first()
        if existing is not None:
            raise DuplicateSubmission(existing)
    if not caregivers:
        raise ValidationError("A referral needs at least one caregiver.")
    if assigned_practitioner is not None:
        check_clinical_member(assigned_practitioner, team, "assigned_practitioner")
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
            reference=reference or reference_allocate(team, received_on),
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
        first_contact_check(referral)
        try:
            with transaction.atomic():
                referral.save()
        except IntegrityError:
            # Another request took the same token between the check above and this insert, or the reference given
            # is taken (an allocated one cannot be: `reference_allocate` passes every reference of its series).
            existing = Referral.objects.in_team(team).filter(submission_token=submission_token).first()
            if submission_token is not None and existing is not None:
                raise DuplicateSubmission(existing) from None
            raise ValidationError({"reference": f"The team already has a referral {referral.reference}."}) from None
        referral.complexities.set(complexities)
        for position, data in enumerate(caregivers, start=1):
            caregiver_build(referral, position, data).save()
        for infant in infant_records:
            infant.referral = referral
            infant.full_clean()
            infant.save()
        family_names_refresh(referral)
        if imd_decile is not None:
            LevelsRecord.objects.create(
                referral=referral, recorded_on=received_on, imd_decile=imd_decile, recorded_by=actor
            )
    # No lock needed: the row is not visible to anyone else until this transaction commits.
    events_append(referral, actor=actor, steps=[(EventKind.RECEIVED, received_on, None)])
    referral.refresh_from_db()
    return referral


class ReferralDetails(TypedDict, total=False):
    """What `referral_update` changes: any of a referral's details."""

    pathway: str
    referrer_service: Service
    reason: str
    consent_to_share: bool | None
    complexities: Iterable[Complexity]
    assigned_practitioner: "User | None"
    first_contact_on: datetime.date | None
    # Imports carry it; the browser derives it from the infants.
    is_antenatal: bool


@transaction.atomic
def referral_update(
    *, actor, referral: Referral, expected_version: int | None = None, **details: Unpack[ReferralDetails]
) -> tuple[Referral, list[str]]:
    """Change the referral's details given, leaving the rest as they are; refused when someone else changed it
    since `expected_version` was read. Returns the referral and the names of the details that changed."""
    row = locked(referral)
    require(actor, Perm.WORK_WITH_CASES, row.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="referral")
    if details.get("assigned_practitioner") is not None:
        check_clinical_member(details["assigned_practitioner"], row.team, "assigned_practitioner")
    fields = [name for name in ReferralDetails.__annotations__ if name != "complexities"]
    changed = model_update(row, data=details, fields=fields)
    complexities = list(details.get("complexities", ()))
    if "complexities" in details and {c.pk for c in complexities} != set(row.complexities.values_list("pk", flat=True)):
        changed.append("complexities")
    if not changed:
        return row, []
    with acting(actor):
        row.full_clean(validate_unique=False)
        first_contact_check(row)
        row.save()
        if "complexities" in changed:
            row.complexities.set(complexities)
    bump_version(row)
    return row, changed
