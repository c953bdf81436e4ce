"""The access log of referral records and their audit history in words (attribution: `pairs.audit.acting`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q


def access_record(*, instance, actor) -> LogEntry:
    """An ACCESS entry: who opened which record and when. `str(instance)` is its reference, never clinical content."""
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None),
    )


def audit_history(referral):
    """Every audit entry about the referral or a record filed under it (`get_additional_data`), newest first."""
    referral_type = ContentType.objects.get_for_model(referral)
    return (
        LogEntry.objects.filter(
            Q(content_type=referral_type, object_pk=str(referral.pk)) | Q(additional_data__referral_id=referral.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


@dataclass(frozen=True)
class AuditChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    timestamp: datetime.datetime
    actor: str
    action: str
    record: str
    changes: list[AuditChange]


BLANK = "(blank)"
# Bookkeeping that says nothing to a reader of the history.
UNSHOWN_FIELDS = {"id", "referral", "sequence", "recorded_at", "created_at"}

ACTION_NAMES = {
    LogEntry.Action.CREATE: "Created",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Viewed",
}


def audit_rows(entries) -> list[AuditRow]:
    """Audit entries in words.

    Foreign keys are shown by name, read in one query per kind of record referred to (a fixed set: the targets of
    the audited models' foreign keys), however many entries there are.
    """
    entries = list(entries)
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        for field, values in _field_changes(entry):
            if field.is_relation and field.many_to_one:
                wanted[field.related_model].update(value for value in values if value not in ("None", None))
    names = {
        model: {str(obj.pk): _describe(obj) for obj in _named(model).filter(pk__in=pks)}
        for model, pks in wanted.items()
    }
    rows = []
    for entry in entries:
        changes = []
        for field, values in _field_changes(entry):
            if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
                verb = "added" if values.get("operation") == "add" else "removed"
                changes.append(AuditChange(str(field.verbose_name), "", f"{verb}: {', '.join(values['objects'])}"))
                continue
            if field.name in UNSHOWN_FIELDS:
                continue
            before, after = (_show(field, value, names) for value in values)
            if entry.action == LogEntry.Action.CREATE:
                if after == BLANK:
                    continue
                before = ""
            changes.append(AuditChange(str(field.verbose_name), before, after))
        actor = entry.actor.get_full_name() or entry.actor.get_username() if entry.actor else "The system"
        record = entry.content_type.model_class()._meta.verbose_name.capitalize()
        rows.append(AuditRow(entry.timestamp, actor, ACTION_NAMES[entry.action], record, changes))
    return rows


def _named(model):
    """The records' names may use their own required foreign keys (a programme is named after its intervention)."""
    required = [field.name for field in model._meta.concrete_fields if field.many_to_one and not field.null]
    records = model._default_manager.all()
    return records.select_related(*required) if required else records


def _field_changes(entry):
    model = entry.content_type.model_class()
    for name, values in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.auto_created and not field.concrete:  # a reverse relation, listed by auditlog on creation
            continue
        yield field, values


def _describe(obj) -> str:
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _show(field, value, names) -> str:
    if value in ("None", None, ""):
        return BLANK
    if field.get_internal_type() == "BooleanField":
        return {"True": "Yes", "False": "No"}.get(str(value), str(value))
    if field.is_relation:
        return names.get(field.related_model, {}).get(str(value), str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(_choice_key(field, value), value))
    return str(value)


def _choice_key(field, value):
    try:
        return field.to_python(value)
    except ValidationError:
        return value
