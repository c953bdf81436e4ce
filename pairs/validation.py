"""`full_clean()` that asks the database only what it does not already know, and asks it once.

Django validates a foreign key by asking the database whether the row it points to exists: one query for each
relation of each record, on every save. The services set their relations from rows they have just read (the team,
the actor, the referral, a coded list's entry), so the answer is known. An import writes some 40 queries a
referral, and these were a sixth of them.

Django also asks the database about each check constraint in a query of its own, inside a savepoint, with every
field of the record compiled in as a parameter: three queries and a compile of the whole record for each
constraint. A referral has two, a questionnaire two; in the demo load they were a sixth of the time.
"""

from collections.abc import Sequence
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Case, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class ValidatesWithFewQueries(models.Model):
    """The base of every model of the project's apps.

    - `clean_fields` leaves out the existence check of a foreign key set to a row read from the database, as long as
      the key has no `limit_choices_to` (which the check would also apply). A key given as a bare id, or set to an
      unsaved object, is still checked; the database's own constraint stands behind both.
    - `validate_constraints` asks about all the record's check constraints in one SELECT, each one exactly as
      Django's `CheckConstraint.validate` would (a condition that is unknown passes where the database supports
      comparing it, as the database's own check would let it through). Unique constraints, which read the table,
      are validated by Django one by one, and the errors come in the order Django gives them.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        loaded = {
            field.name
            for field in self._meta.concrete_fields
            if field.many_to_one
            and not field.remote_field.limit_choices_to
            and field.is_cached(self)
            and (related := field.get_cached_value(self)) is not None
            and not related._state.adding
            and related.pk == getattr(self, field.attname)
        }
        super().clean_fields(exclude={*(exclude or ()), *loaded})

    def validate_constraints(self, exclude=None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        failing = self._failing_check_constraints(exclude, using)
        errors: dict = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.CheckConstraint):
                    if constraint not in failing:
                        continue
                    error = ValidationError(
                        constraint.get_violation_error_message(), code=constraint.violation_error_code
                    )
                else:
                    try:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                        continue
                    except ValidationError as raised:
                        error = raised
                # As Django's Model.validate_constraints files them.
                fields: Sequence[str] = getattr(constraint, "fields", ())
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _failing_check_constraints(self, exclude, using) -> list[models.CheckConstraint]:
        """The check constraints this record breaks, each model's asked in one query."""
        failing: list[models.CheckConstraint] = []
        connection = connections[using]
        for model_class, constraints in self.get_constraints():
            checks = [
                constraint
                for constraint in constraints
                if isinstance(constraint, models.CheckConstraint)
                # Django leaves out a constraint on a field the caller excluded.
                and not (exclude and constraint._expression_refs_exclude(model_class, constraint.condition, exclude))  # type: ignore[attr-defined]
            ]
            if not checks:
                continue
            # Django gives the query every field of the record; the conditions need only the ones they name.
            named = {
                name
                for constraint in checks
                for name, *_ in model_class._get_expr_references(constraint.condition)  # type: ignore[attr-defined]
            }
            query = Query(None)
            fields = self._get_field_expression_map(meta=model_class._meta, exclude=exclude)  # type: ignore[attr-defined]
            for name, value in fields.items():
                if name in named:
                    query.add_annotation(value, name, select=False)
            for number, constraint in enumerate(checks):
                condition = constraint.condition
                if connection.features.supports_comparing_boolean_expr:
                    condition = Coalesce(condition, True, output_field=BooleanField())
                passes = Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
                query.add_annotation(passes, f"pairs_check_{number}")
            try:
                with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
                    row = query.get_compiler(using=using).execute_sql(SINGLE)
            except DatabaseError:
                # What Django does with a condition the database cannot evaluate: each constraint on its own.
                for constraint in checks:
                    try:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                    except ValidationError:
                        failing.append(constraint)
                continue
            failing.extend(constraint for constraint, passes in zip(checks, row, strict=True) if not passes)
        return failing
