"""Optimistic concurrency and partial updates: the one way every app's services edit a versioned record.

A page reads a record and its `version`; the edit it sends back names that version. The service locks the row,
refuses the edit if someone else changed it meanwhile (`check_version`), applies only the fields that differ
(`model_update`) and counts the change (`bump_version`), all inside one transaction.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

STALE_MESSAGE = (
    "Someone else changed this {noun} after you opened the form, so your changes have not been saved. "
    "Check the record as it is now and make your changes again."
)


def locked[M: Model](instance: M) -> M:
    """The row as it is now, locked until the transaction ends, so that two writers cannot interleave."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_version(instance: Model, expected_version: int | None, *, noun: str) -> None:
    """Refuse an edit made from a stale page. `None` means the caller edits what is there now (an import)."""
    if expected_version is not None and instance.version != expected_version:  # type: ignore[attr-defined]
        raise ValidationError(STALE_MESSAGE.format(noun=noun), code="stale")


def bump_version(instance: Model) -> None:
    """One more on the version of a row read with `locked()` (or created in this transaction): no one else can
    have changed it meanwhile, so the count is done here rather than in the database.

    An UPDATE of the one column, without the model's signals: the version is no part of the family's record, so
    neither the audit log (which leaves it out) nor the guard of restricted records (which has refused the write
    that the version counts, before it was made) has anything to say about it, and each would cost a query."""
    instance.version += 1  # type: ignore[attr-defined]
    type(instance)._base_manager.filter(pk=instance.pk).update(version=instance.version)  # type: ignore[attr-defined]


def model_update(instance: Model, *, data: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    """Set those of `fields` that `data` names and whose value differs; return the names that changed.

    Nothing is saved: the caller validates (`full_clean()`) and saves the changed fields, and can tell the person
    (or an import) that nothing changed. A field missing from `data` is left as it is.
    """
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    return changed
