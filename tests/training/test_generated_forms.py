"""Generated input (Hypothesis) for every workforce form, through the form and its service as the view calls them,
and through the view for one: never an exception, never an invalid record saved, always a message to act on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from pairs.models import Service
from referrals.models import Intervention
from tests.factories import ReferralFactory
from tests.strategies import (
    assert_actionable,
    assert_all_valid,
    choice_of,
    counts,
    date_boxes,
    form_messages,
    short_texts,
    texts,
)
from training.models import ConsultationMode, ConsultationOutcome, FeedbackKind, FeedbackTheme, SessionType
from training.views import ACTIVITIES

pytestmark = pytest.mark.django_db
ACTIVITY = {activity.name: activity for activity in ACTIVITIES}


def merged(*parts) -> st.SearchStrategy[dict]:
    return st.tuples(*parts).map(lambda dicts: {key: value for part in dicts for key, value in part.items()})


def session_posts():
    return merged(
        date_boxes("date"),
        st.fixed_dictionaries(
            {
                "session_type": choice_of(SessionType.values),
                "title": short_texts,
                "trainers": short_texts,
                "places_offered": counts,
                "participants": counts,
                "feedback_returned": counts,
                "feedback_positive": counts,
                "attendance_gp": counts,
                "attendance_health_visiting": counts,
            }
        ),
    )


def consultation_posts():
    return merged(
        date_boxes("date"),
        st.fixed_dictionaries(
            {
                "consultee_service": choice_of(Service.objects.values_list("pk", flat=True)),
                "mode": choice_of(ConsultationMode.values),
                "outcome": choice_of(ConsultationOutcome.values),
                "children": counts,
                "children_aged_0": counts,
                "children_aged_unborn": counts,
                "note": texts,
                "referral": st.sampled_from(["", "REF-TEST", "REF-NONE", "x" * 40]),
            }
        ),
    )


def awareness_posts():
    return merged(
        date_boxes("date"),
        st.fixed_dictionaries({"title": short_texts, "audience": short_texts, "people_engaged": counts}),
    )


def universal_posts():
    return merged(
        date_boxes("date"),
        st.fixed_dictionaries({"offer": choice_of(Intervention.objects.values_list("pk", flat=True)), "dyads": counts}),
    )


def feedback_posts():
    return merged(
        date_boxes("date"),
        date_boxes("resolved_on"),
        st.fixed_dictionaries(
            {
                "kind": choice_of(FeedbackKind.values),
                "theme": choice_of(FeedbackTheme.values),
                "text": texts,
                "response": texts,
            }
        ),
    )


POSTS = {
    "session": session_posts,
    "consultation": consultation_posts,
    "awareness_event": awareness_posts,
    "universal_contact": universal_posts,
    "feedback": feedback_posts,
}


def check_one_post(activity, data, *, team, actor) -> None:
    """What the view does with a POST: the form, then its service; refused with words, or saved valid."""
    form = activity.form_class(data, team=team)
    if form.is_valid():
        try:
            activity.create(actor=actor, team=team, **form.cleaned_data)
        except ValidationError as error:
            assert_actionable(error.messages)
    else:
        assert_actionable(form_messages(form))


@pytest.mark.parametrize("name", list(POSTS))
def test_generated_posts_to_each_workforce_form_are_saved_valid_or_refused_in_words(name, team_a, manager):
    ReferralFactory(team=team_a, reference="REF-TEST")
    activity = ACTIVITY[name]

    @given(data=POSTS[name]())
    def check(data):
        check_one_post(activity, data, team=team_a, actor=manager)

    check()
    assert_all_valid(activity.model.objects.all())


# The form and service tests above take 200 each; through the view, with its middleware, template and redirect,
# 50 show the page wiring answers alike.
@settings(max_examples=50)
@given(data=awareness_posts())
def test_generated_posts_through_the_view_never_answer_a_server_error(data, manager_client):
    response = manager_client.post(reverse("training:awareness_event_new"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_actionable(form_messages(response.context["form"]))
    assert_all_valid(ACTIVITY["awareness_event"].model.objects.all())
