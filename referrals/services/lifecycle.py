"""Writes of a family's records over their life (UK GDPR for health records): restricting processing and lifting
the restriction, correcting a caregiver's or infant's details with the reason why, the team's retention periods and
the service manager's review of records past them.

While a referral is restricted, no write to it or to any record filed under it is accepted, whoever makes it:
`refuse_while_restricted` guards every save and delete of casework records (connected in `ReferralsConfig.ready`),
so the browser, the import and the demo all obey it without each service having to remember.
"""

import datetime
from typing import Unpack

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pairs.audit import acting
from pairs.concurrency import locked, model_update
from pairs.models import Team
from pairs.periods import format_date
from pairs.rules import Perm, require
from referrals.models import (
    Caregiver,
    Correction,
    GroupPlace,
    Infant,
    Referral,
    ReferralChild,
    Restriction,
    RetentionDecision,
    RetentionReview,
)
from referrals.selectors.lifecycle import retention_of_referral
from referrals.services.family import CaregiverChanges, InfantDetails, caregiver_update, infant_update

MANAGER_REFUSAL = "Only the team's service manager can do this."
RESTRICTED_MESSAGE = (
    "The records of referral {reference} are restricted: they are kept and can be read, but nothing can be changed, "
    "moved, booked or entered until a service manager lifts the restriction."
)


def restriction_check(referral_id: int) -> None:
    """Refuse a write to the referral's records while a restriction is in force."""
    # Asked of every casework save: a bare EXISTS, with the reference read only for the refusal.
    if Restriction.objects.active().filter(referral_id=referral_id).exists():
        reference = Referral.objects.values_list("reference", flat=True).get(pk=referral_id)
        raise ValidationError(RESTRICTED_MESSAGE.format(reference=reference), code="restricted")


def refuse_while_restricted(sender, instance, **kwargs) -> None:
    """pre_save and pre_delete: a referral, or a casework record filed under one, is not written while restricted.

    The lifecycle's own records are (`allowed_while_restricted`), and so is deleting a whole referral, which is an
    administrator's deliberate act on records marked for deletion."""
    if isinstance(kwargs.get("origin"), Referral):
        return
    if isinstance(instance, Referral) and instance.pk is not None:
        restriction_check(instance.pk)
    elif isinstance(instance, ReferralChild) and not getattr(instance, "allowed_while_restricted", False):
        restriction_check(instance.referral_id)


def refuse_attendance_while_restricted(sender, instance, action, pk_set, **kwargs) -> None:
    """m2m_changed of a group session's register: a restricted family's attendance is not recorded or removed."""
    if action not in ("pre_add", "pre_remove") or not pk_set:
        return
    for referral_id in GroupPlace.objects.filter(pk__in=pk_set).values_list("referral_id", flat=True).distinct():
        restriction_check(referral_id)


def _reason(text: str, field: str, missing: str) -> str:
    reason = text.strip()
    if not reason:
        raise ValidationError({field: missing}, code="required")
    return reason


@transaction.atomic
def restriction_place(*, actor, referral: Referral, reason: str) -> Restriction:
    """Restrict processing of the referral's records (UK GDPR article 18): kept and readable, no longer changed."""
    row = locked(referral)
    require(actor, Perm.MANAGE_TEAM, row.team, "Only the team's service manager can restrict a family's records.")
    if Restriction.objects.active().filter(referral=row).exists():
        raise ValidationError(f"The records of referral {row.reference} are already restricted.", code="restricted")
    restriction = Restriction(
        referral=row,
        reason=_reason(reason, "reason", "Enter why processing of these records is restricted."),
        restricted_by=actor,
    )
    with acting(actor):
        restriction.full_clean()
        restriction.save()
    return restriction


@transaction.atomic
def restriction_lift(*, actor, referral: Referral, reason: str) -> Restriction:
    """Lift the referral's restriction in force, saying why (the accuracy was checked, the objection resolved...)."""
    row = locked(referral)
    require(actor, Perm.MANAGE_TEAM, row.team, "Only the team's service manager can lift a restriction.")
    restriction = Restriction.objects.active().select_for_update().filter(referral=row).first()
    if restriction is None:
        raise ValidationError(f"The records of referral {row.reference} are not restricted.", code="not_restricted")
    restriction.lift_reason = _reason(reason, "lift_reason", "Enter why the restriction is lifted.")
    restriction.lifted_by = actor
    restriction.lifted_at = timezone.now()
    with acting(actor):
        restriction.full_clean()
        restriction.save(update_fields=["lift_reason", "lifted_by", "lifted_at"])
    return restriction


CORRECTION_REASON_MISSING = "Enter why the details are being corrected."


def _correction_record(*, actor, record: Caregiver | Infant, reason: str) -> Correction:
    """The reason beside the audit entry that the correction's save has just written (django-auditlog writes one
    entry for each change of a caregiver or infant, with every changed field's value before and after)."""
    entry = LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.UPDATE).order_by("-pk").first()
    correction = Correction(referral_id=record.referral_id, log_entry=entry, reason=reason)
    with acting(actor):
        correction.full_clean()
        correction.save()
    return correction


@transaction.atomic
def caregiver_rectify(
    *,
    actor,
    caregiver: Caregiver,
    reason: str,
    expected_version: int | None = None,
    **details: Unpack[CaregiverChanges],
) -> tuple[Caregiver, list[str]]:
    """Correct the caregiver's details (`caregiver_update`) and keep why. Returns the caregiver and the names of the
    details that changed; nothing is recorded when nothing changed."""
    reason = _reason(reason, "reason", CORRECTION_REASON_MISSING)
    row, changed = caregiver_update(actor=actor, caregiver=caregiver, expected_version=expected_version, **details)
    if changed:
        _correction_record(actor=actor, record=row, reason=reason)
    return row, changed


@transaction.atomic
def infant_rectify(
    *, actor, infant: Infant, reason: str, expected_version: int | None = None, **details: Unpack[InfantDetails]
) -> tuple[Infant, list[str]]:
    """Correct the infant's details (`infant_update`), or record the birth, and keep why."""
    reason = _reason(reason, "reason", CORRECTION_REASON_MISSING)
    row, changed = infant_update(actor=actor, infant=infant, expected_version=expected_version, **details)
    if changed:
        _correction_record(actor=actor, record=row, reason=reason)
    return row, changed


@transaction.atomic
def team_retention_update(*, actor, team: Team, years_after_birth: int, years_after_closure: int) -> list[str]:
    """The team's retention periods; returns the names of the settings that changed."""
    require(actor, Perm.MANAGE_TEAM, team, "Only the team's service manager can change how long records are kept.")
    row = locked(team)
    changed = model_update(
        row,
        data={"retention_years_after_birth": years_after_birth, "retention_years_after_closure": years_after_closure},
        fields=["retention_years_after_birth", "retention_years_after_closure"],
    )
    if changed:
        with acting(actor):
            row.full_clean()
            row.save(update_fields=changed)
    return changed


@transaction.atomic
def retention_review_record(
    *,
    actor,
    referral: Referral,
    decision: str,
    reason: str,
    keep_until: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RetentionReview:
    """The service manager's decision on records past their retention date: keep them until a later date for a
    stated reason, or mark them for an administrator to delete. Nothing is deleted here."""
    row = locked(referral)
    require(actor, Perm.MANAGE_TEAM, row.team, "Only the team's service manager can review records for retention.")
    today = today or timezone.localdate()
    retention = retention_of_referral(row)
    if retention is None:
        raise ValidationError(f"Referral {row.reference} is open: its records are kept.", code="open")
    if retention.retained_until >= today:
        raise ValidationError(
            f"The records of referral {row.reference} are kept until {format_date(retention.retained_until)}: "
            "they can be reviewed once that day has passed.",
            code="not_due",
        )
    if decision not in RetentionDecision.values:
        raise ValidationError({"decision": "Choose whether to keep the records or mark them for deletion."})
    review = RetentionReview(
        referral=row,
        decision=decision,
        reason=_reason(reason, "reason", "Enter the reason for the decision."),
        keep_until=keep_until if decision == RetentionDecision.KEEP else None,
        decided_by=actor,
    )
    with acting(actor):
        review.full_clean()
        review.save()
    return review
