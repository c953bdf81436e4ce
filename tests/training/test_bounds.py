"""Workforce records keep to the plausible bounds of `pairs.bounds`: a date in year 1 or a count of 2**63 - 1 is a
clear error on the form and nothing is saved; the universal-offer form offers the universal offers only."""

import datetime

import pytest
from django.urls import reverse

from referrals.models import Intervention
from tests.factories import TrainingSessionFactory
from tests.training.test_views import LAST_WEEK, consultation_data, date_data, session_data
from training.forms import UniversalOfferContactForm
from training.models import AwarenessEvent, Consultation, Feedback, TrainingSession, UniversalOfferContact

pytestmark = pytest.mark.django_db
YEAR_ONE = datetime.date(1, 1, 1)
# Typed as the probe typed it: the date boxes take a four-digit year.
TYPED_YEAR_ONE = {"date_day": "1", "date_month": "1", "date_year": "0001"}
BIGGEST_INTEGER = str(2**63 - 1)


def valid_posts() -> dict:
    return {
        "session": (TrainingSession, session_data()),
        "consultation": (Consultation, consultation_data()),
        "awareness_event": (
            AwarenessEvent,
            {**date_data("date", LAST_WEEK), "title": "Stall", "audience": "Parents", "people_engaged": "30"},
        ),
        "universal_contact": (
            UniversalOfferContact,
            {
                **date_data("date", LAST_WEEK),
                "offer": Intervention.objects.get(code="infant_massage").pk,
                "dyads": "7",
            },
        ),
        "feedback": (
            Feedback,
            {**date_data("date", LAST_WEEK), "kind": "compliment", "theme": "access", "text": "Thank you"},
        ),
    }


@pytest.mark.parametrize("name", ["session", "consultation", "awareness_event", "universal_contact", "feedback"])
def test_a_record_dated_in_year_one_is_refused_with_what_is_allowed(manager_client, name):
    model, data = valid_posts()[name]
    response = manager_client.post(reverse(f"training:{name}_new"), {**data, **TYPED_YEAR_ONE})
    assert response.status_code == 200
    assert "Enter a date from 1 January 1990 onwards" in response.content.decode()
    assert not model.objects.exists()


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("session", "participants"),
        ("session", "places_offered"),
        ("awareness_event", "people_engaged"),
        ("universal_contact", "dyads"),
        ("consultation", "children"),
    ],
)
@pytest.mark.parametrize("count", [BIGGEST_INTEGER, "1000000", "10001"])
def test_a_count_past_the_plausible_maximum_is_refused(manager_client, name, field, count):
    model, data = valid_posts()[name]
    response = manager_client.post(reverse(f"training:{name}_new"), {**data, field: count})
    assert response.status_code == 200
    assert "Enter a number no more than 10,000" in response.content.decode()
    assert not model.objects.exists()


def test_a_session_edited_to_year_one_is_refused_and_its_pages_still_answer(manager_client, team_a):
    session = TrainingSessionFactory(team=team_a)
    url = reverse("training:session_edit", args=[session.pk])
    response = manager_client.post(url, {**session_data(), **TYPED_YEAR_ONE})
    assert "Enter a date from 1 January 1990 onwards" in response.content.decode()
    session.refresh_from_db()
    assert session.date != YEAR_ONE
    for page in (url, reverse("training:session_delete", args=[session.pk]), reverse("training:session_list")):
        assert manager_client.get(page).status_code == 200


def test_the_universal_offer_form_offers_the_universal_offers_and_nothing_else(team_a):
    form = UniversalOfferContactForm(team=team_a)
    offered = {value for value, _ in form.fields["offer"].choices}
    universal = set(Intervention.objects.filter(level=Intervention.Level.UNIVERSAL, is_active=True))
    assert {Intervention.objects.get(pk=value.value) for value in offered} == universal
    assert "" not in offered


def test_the_universal_offer_page_shows_only_the_universal_offers(practitioner_client):
    form = practitioner_client.get(reverse("training:universal_contact_new")).context["form"]
    shown = [radio.data["label"] for radio in form["offer"]]
    assert shown == ["Infant massage"]
