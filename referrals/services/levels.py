"""A referral's levels: safeguarding, risks, Thrive level and IMD decile, recorded with their history."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pairs.audit import acting
from pairs.concurrency import bump_version, check_version, locked
from pairs.rules import Perm, require
from referrals.models import LevelsRecord, Referral, ThriveLevel
from referrals.services.common import CASEWORK_REFUSAL


@transaction.atomic
def referral_levels_record(
    *,
    actor,
    referral: Referral,
    recorded_on: datetime.date,
    safeguarding_level: int | None,
    risk_count: int | None,
    thrive_level: ThriveLevel | None,
    imd_decile: int | None,
    expected_version: int | None = None,
) -> LevelsRecord:
    """Record the safeguarding level, risks, Thrive level and IMD decile as they are now, keeping their history."""
    row = locked(referral)
    require(actor, Perm.WORK_WITH_CASES, row.team, CASEWORK_REFUSAL)
    check_version(row, expected_version, noun="referral")
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "The date cannot be in the future."})
    if recorded_on < row.received_on:
        raise ValidationError({"recorded_on": "The date cannot be before the referral was received."})
    with acting(actor):
        record = LevelsRecord(
            referral=row,
            recorded_on=recorded_on,
            safeguarding_level=safeguarding_level,
            risk_count=risk_count,
            thrive_level=thrive_level,
            imd_decile=imd_decile,
            recorded_by=actor,
        )
        record.full_clean()
        record.save()
        if imd_decile != row.imd_decile:
            row.imd_from_postcode = False
        row.safeguarding_level = safeguarding_level
        row.risk_count = risk_count
        row.thrive_level = thrive_level
        row.imd_decile = imd_decile
        row.full_clean(validate_unique=False)
        row.save()
    bump_version(row)
    referral.version = row.version
    return record
