"""What the middleware of the foundation adds to every response: no copy of a signed-in page kept anywhere."""

import pytest
from django.urls import reverse

from tests.factories import CaregiverFactory, QuestionnaireFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _is_not_stored(response) -> bool:
    return "no-store" in response["Cache-Control"] and response["Pragma"] == "no-cache"


@pytest.fixture
def questionnaire(team_a, practitioner):
    referral = ReferralFactory(team=team_a, created_by=practitioner)
    CaregiverFactory(referral=referral)
    return QuestionnaireFactory(referral=referral)


def test_record_caseload_and_questionnaire_pages_are_not_stored(practitioner_client, questionnaire):
    pages = [
        reverse("referrals:detail", args=[questionnaire.referral.pk]),
        reverse("home:caseload"),
        reverse("outcomes:questionnaire_detail", args=[questionnaire.pk]),
        reverse("outcomes:record", args=[questionnaire.referral.pk, "phq9"]),
    ]
    for page in pages:
        response = practitioner_client.get(page)
        assert response.status_code == 200, page
        assert _is_not_stored(response), page


def test_refusals_to_a_signed_in_person_are_not_stored_either(commissioner_client, questionnaire):
    assert _is_not_stored(commissioner_client.get(reverse("referrals:detail", args=[questionnaire.referral.pk])))


def test_public_pages_signed_out_and_static_files_stay_cacheable(client, practitioner):
    assert "Pragma" not in client.get(reverse("accessibility"))
    assert "Pragma" not in client.get(reverse("login"))
    client.force_login(practitioner)
    stylesheet = client.get("/static/pairs/pairs.css")
    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet.get("Cache-Control", "")
