"""`TrustsLoadedRelations`: full_clean asks the database about a foreign key only when the row is not in hand."""

import pytest
from django.core.exceptions import ValidationError

from referrals.models import Caregiver, Intervention
from tests.factories import CaregiverFactory, GroupProgrammeFactory, ReferralFactory

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
