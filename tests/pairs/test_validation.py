"""`ValidatesWithFewQueries`: full_clean asks about a foreign key only when the row is not in hand, and about all of
a record's check constraints in one query, with the answers Django's own validation gives."""

import datetime
import itertools
from functools import partial

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from pairs.validation import ValidatesWithFewQueries
from referrals.models import Caregiver, Intervention, Referral
from tests.factories import CaregiverFactory, GroupProgrammeFactory, ReferralFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_relation_set_to_a_row_read_from_the_database_is_not_looked_up_again(django_assert_num_queries):
    referral = ReferralFactory()
    by_object = CaregiverFactory.build(referral=referral)
    by_id = CaregiverFactory.build(referral=None, referral_id=referral.pk)

    # The field checks alone (the constraints are checked after them, the same either way).
    with django_assert_num_queries(1) as by_id_queries:
        by_id.clean_fields()
    with django_assert_num_queries(0):
        by_object.clean_fields()
    assert "referrals_referral" in by_id_queries.captured_queries[0]["sql"]


def test_a_bare_id_that_points_nowhere_is_still_refused():
    caregiver = CaregiverFactory.build(referral=None, referral_id=987654)
    with pytest.raises(ValidationError) as refused:
        caregiver.clean_fields()
    assert "referral" in refused.value.message_dict
    assert not Caregiver.objects.exists()


def test_an_unsaved_related_object_is_still_refused():
    caregiver = CaregiverFactory.build(referral=ReferralFactory.build())
    with pytest.raises(ValidationError) as refused:
        caregiver.full_clean()
    assert "referral" in refused.value.message_dict


def test_a_relation_with_limited_choices_is_still_checked():
    programme = GroupProgrammeFactory.build(
        team=GroupProgrammeFactory().team,
        created_by=GroupProgrammeFactory().created_by,
        intervention=Intervention.objects.exclude(format=Intervention.Format.GROUP).first(),
    )
    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert list(refused.value.message_dict) == ["intervention"]


def test_the_check_constraints_of_a_record_are_asked_in_one_query(django_assert_num_queries):
    referral = ReferralFactory.build(safeguarding_level=2, imd_decile=5)
    checks = [c for c in Referral._meta.constraints if isinstance(c, models.CheckConstraint)]
    assert len(checks) == 2

    with CaptureQueriesContext(connection) as queries:
        referral.validate_constraints(exclude={"team", "reference"})  # the unique constraint left out
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1
    assert selects[0].count("CASE WHEN") == 2


def test_a_record_that_breaks_both_check_constraints_is_told_of_both_in_their_order():
    referral = ReferralFactory.build(team=TeamFactory(), safeguarding_level=5, imd_decile=11)
    with pytest.raises(ValidationError) as refused:
        referral.validate_constraints()
    assert refused.value.messages == [
        "Constraint “referral_safeguarding_level_1_to_4” is violated.",
        "Constraint “referral_imd_decile_1_to_10” is violated.",
    ]


def _trial_values(field: models.Field) -> list:
    """A few values of the field's kind, within and without its constraints' bounds, and NULL."""
    if field.many_to_one:
        return [None, 1]
    choices = [value for value, _ in field.flatchoices]
    match field.get_internal_type():
        case "DateField":
            return [None, datetime.date(2024, 1, 1), datetime.date(2024, 3, 1)]
        case "DateTimeField":
            return [None, datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)]
        case "CharField" | "TextField":
            return [None, "", "a reason", *choices]
        case _:
            return [None, 0, 1, 2, 4, 5, 10, 11, *choices]


CHECKED_MODELS = [
    model
    for model in apps.get_models()
    if issubclass(model, ValidatesWithFewQueries)
    and any(isinstance(constraint, models.CheckConstraint) for constraint in model._meta.constraints)
]


@pytest.mark.parametrize("model", CHECKED_MODELS, ids=lambda model: model.__name__)
def test_the_check_constraints_give_the_answers_of_djangos_own_validation(model):
    assert len(CHECKED_MODELS) >= 12
    fields = sorted(
        {
            name
            for constraint in model._meta.constraints
            if isinstance(constraint, models.CheckConstraint)
            for name in constraint.condition.referenced_base_fields
        }
    )
    trials = list(itertools.product(*(_trial_values(model._meta.get_field(name)) for name in fields)))
    refused = 0
    for values in trials:
        record = model()
        for name, value in zip(fields, values, strict=True):
            setattr(record, model._meta.get_field(name).attname, value)
        answers = []
        for validate in (record.validate_constraints, partial(models.Model.validate_constraints, record)):
            try:
                validate()  # the unique ones too: the table is empty, so they pass
                answers.append(None)
            except ValidationError as error:
                answers.append(error.message_dict)
        assert answers[0] == answers[1], (model.__name__, dict(zip(fields, values, strict=True)))
        refused += answers[0] is not None
    assert 0 < refused < len(trials)  # the trials reach both answers


def test_a_condition_the_database_cannot_evaluate_is_left_to_djangos_own_check(monkeypatch, caplog):
    # Django's CheckConstraint logs the database's error and lets the record through, for the database's own check
    # to decide at the save; the batched query hands such a condition back to it.
    def refuse(*args, **kwargs):
        raise DatabaseError("no such function")

    referral = ReferralFactory.build(safeguarding_level=5)
    monkeypatch.setattr(SQLCompiler, "execute_sql", refuse)
    referral.validate_constraints(exclude={"team", "reference"})
    # Each of the referral's two check constraints, asked on its own by Django.
    assert len(caplog.messages) == 2
    assert all(message.startswith("Got a database error calling check() on ") for message in caplog.messages)


def test_a_unique_constraint_is_still_validated_by_django_with_its_error_where_django_files_it():
    referral = ReferralFactory()
    twin = ReferralFactory.build(team=referral.team, reference=referral.reference, safeguarding_level=9)
    errors = []
    for validate in (twin.validate_constraints, partial(models.Model.validate_constraints, twin)):
        with pytest.raises(ValidationError) as refused:
            validate()
        errors.append(refused.value.message_dict)
    assert errors[0] == errors[1]
    assert errors[0]["__all__"] == [
        "Referral with this Team and Reference already exists.",
        "Constraint “referral_safeguarding_level_1_to_4” is violated.",
    ]
