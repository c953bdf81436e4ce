import datetime

import pytest
from django.db import IntegrityError

from referrals.models import Caregiver, Referral
from referrals.pipeline import Stage, Status
from tests.factories import CaregiverFactory, InfantFactory, ReferralFactory


@pytest.mark.django_db
def test_a_new_referral_awaits_a_decision_from_the_day_it_was_received(team_a):
    referral = ReferralFactory(team=team_a, received_on=datetime.date(2024, 3, 1))
    day_before = Referral.objects.with_status_as_at(datetime.date(2024, 2, 29)).get()
    on_the_day = Referral.objects.with_status_as_at(datetime.date(2024, 3, 1)).get()
    assert day_before.status_as_at is None
    assert (on_the_day.status_as_at, on_the_day.stage_as_at) == (Status.AWAITING_DECISION, Stage.REFERRAL)
    assert Referral.objects.with_current_status().get(pk=referral.pk).status_as_at == Status.AWAITING_DECISION


@pytest.mark.django_db
def test_references_are_unique_within_a_team_only(team_a, team_b):
    ReferralFactory(team=team_a, reference="REF-000001")
    ReferralFactory(team=team_b, reference="REF-000001")
    with pytest.raises(IntegrityError):
        ReferralFactory(team=team_a, reference="REF-000001")


@pytest.mark.django_db
def test_a_caregiver_shows_the_nhs_number_3_3_4_and_keeps_the_birth_year(team_a):
    born = datetime.date(1990, 1, 2)
    caregiver = CaregiverFactory(referral__team=team_a, nhs_number="9434765919", date_of_birth=born)
    caregiver.full_clean()
    assert caregiver.nhs_number_display == "943 476 5919"
    assert caregiver.birth_year == 1990
    assert str(caregiver) == f"Caregiver 1 of {caregiver.referral.reference}"
    assert Caregiver.objects.in_team(team_a).count() == 1


@pytest.mark.django_db
def test_an_infant_needs_a_date_of_birth_or_a_due_date(team_a):
    with pytest.raises(IntegrityError):
        InfantFactory(referral__team=team_a, date_of_birth=None, due_date=None)
