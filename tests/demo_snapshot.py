"""The demo service, loaded for real once per test process and put back row for row after that.

`load_demo` runs the whole monitoring import, every row through the services, and takes tens of seconds; a dozen
modules want the demo as their starting point. The first test that asks for it loads it for real and the rows the
load wrote (and any it changed) are kept, per model, as they came out of the database; every later test that starts
from the same database state gets those rows back by `bulk_create`, in well under a second, inside its own
transaction, so it is rolled back with the test as usual.

The rows are put back only onto the state they were taken from: the database is fingerprinted (rows per table and
the highest primary key) before the load, and a test that starts from any other state (a transactional test after
a flush, a test that made records of its own first) loads the demo for real. Rows go back without signals, so no
audit entry is written twice: the audit entries of the load are rows like any other and come back with it.
"""

from dataclasses import dataclass
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from pairs.database import planner_statistics_refresh

type Fingerprint = tuple[tuple[str, int, object], ...]
type Rows = dict[object, tuple]


@dataclass(frozen=True)
class _Delta:
    """What one load of the demo did to each model's table: the rows it wrote or changed, and the keys it removed."""

    written: dict[type[models.Model], list[models.Model]]
    removed: dict[type[models.Model], list[object]]


_deltas: dict[tuple[str, Fingerprint], _Delta] = {}


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _rows(model: type[models.Model]) -> dict[object, models.Model]:
    return {row.pk: row for row in model._base_manager.order_by()}


def _values(row: models.Model) -> tuple:
    return tuple(getattr(row, field.attname) for field in row._meta.concrete_fields)


def _fingerprint() -> Fingerprint:
    """Rows per table and, where the key is a number, the highest: enough to tell one test's start from another's."""
    marks: list[tuple[str, int, object]] = [("today", 0, timezone.localdate())]
    for model in _models():
        counts: dict[str, models.Aggregate] = {"rows": models.Count("pk")}
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            counts["last"] = models.Max("pk")
        counted = model._base_manager.order_by().aggregate(**counts)
        marks.append((model._meta.label, counted["rows"], counted.get("last")))
    return tuple(marks)


def demo_load() -> None:
    """The demo service in the test's database, as `manage.py load_demo` leaves it."""
    key = (connection.alias, _fingerprint())
    delta = _deltas.get(key)
    if delta is None:
        _deltas[key] = _load_for_real()
        return
    with transaction.atomic():
        for model, keys in delta.removed.items():
            # A raw delete: no signals (no audit entry) and no cascade; the rows written next restore every reference.
            model._base_manager.filter(pk__in=keys)._raw_delete(connection.alias)
        for model, rows in delta.written.items():
            model._base_manager.bulk_create(rows, batch_size=500)
        statements = connection.ops.sequence_reset_sql(no_style(), list(delta.written))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        # As the import does at the end of the real load: otherwise PostgreSQL plans the engine's queries over
        # tables its statistics say are empty, and the published-figures test ran past 10 minutes.
        planner_statistics_refresh()


def _load_for_real() -> _Delta:
    before = {model: {pk: _values(row) for pk, row in _rows(model).items()} for model in _models()}
    call_command("load_demo", stdout=StringIO())
    written: dict[type[models.Model], list[models.Model]] = {}
    removed: dict[type[models.Model], list[object]] = {}
    for model, earlier in before.items():
        now = _rows(model)
        changed = [row for pk, row in now.items() if earlier.get(pk) != _values(row)]
        gone = [pk for pk in earlier if pk not in now or earlier[pk] != _values(now[pk])]
        if changed:
            written[model] = changed
        if gone:
            removed[model] = gone
    return _Delta(written=written, removed=removed)
