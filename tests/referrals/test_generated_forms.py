"""Generated input (Hypothesis) for every casework form, and for the new-referral page's forms through the service
that saves a family: never an exception, never an invalid record saved, always a message to act on."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from referrals import forms, services
from referrals.models import Caregiver, GroupPlace, Infant, Referral
from referrals.pipeline import ReasonVocabulary
from referrals.selectors.referral import clinicians, referral_list
from tests.factories import GroupProgrammeFactory, ReferralFactory
from tests.strategies import assert_actionable, assert_all_valid, form_data, form_messages

pytestmark = pytest.mark.django_db
MOVE: dict[str, Any] = {"date_label": "Date", "submit_label": "Save"}


def casework_forms(team, user) -> dict:
    """Each casework form with what its view gives it (the moves and interventions: the team's first referral)."""
    staff = clinicians(team)
    referrals = referral_list(user=user, team=team)
    move = {**MOVE, "referral": referrals.first()}
    places = GroupPlace.objects.filter(programme__team=team)
    return {
        "appointment": lambda data=None: forms.AppointmentForm(data, clinicians=staff),
        "appointment_outcome": lambda data=None: forms.AppointmentOutcomeForm(data),
        "group_programme": lambda data=None: forms.GroupProgrammeForm(data, clinicians=staff),
        "group_place_offer": lambda data=None: forms.GroupPlaceOfferForm(data, candidates=referrals),
        "group_place_response": lambda data=None: forms.GroupPlaceResponseForm(data),
        "group_session": lambda data=None: forms.GroupSessionForm(data, places=places),
        "group_session_edit": lambda data=None: forms.GroupSessionEditForm(data, places=places),
        "intervention": lambda data=None: forms.InterventionEpisodeForm(data, referral=move["referral"]),
        "intervention_end": lambda data=None: forms.InterventionEpisodeEndForm(data),
        "move": lambda data=None: forms.MoveForm(data, **move),
        "accept": lambda data=None: forms.AcceptForm(data, **move),
        "disengage": lambda data=None: forms.ReasonMoveForm(data, vocabulary=ReasonVocabulary.DISENGAGEMENT, **move),
        "intervention_start": lambda data=None: forms.InterventionStartForm(data, **move),
        "reopen": lambda data=None: forms.ReopenForm(data, **move),
        "referral": lambda data=None: forms.ReferralForm(data, clinicians=staff),
        "referral_details": lambda data=None: forms.ReferralDetailsForm(data, clinicians=staff),
        "levels": lambda data=None: forms.LevelsForm(data),
        "caregiver_edit": lambda data=None: forms.CaregiverEditForm(data),
        "caregiver_add": lambda data=None: forms.CaregiverAddForm(data),
        "infant_add": lambda data=None: forms.InfantAddForm(data),
        "infant_edit": lambda data=None: forms.InfantEditForm(data),
    }


FORM_NAMES = [
    "appointment",
    "appointment_outcome",
    "group_programme",
    "group_place_offer",
    "group_place_response",
    "group_session",
    "group_session_edit",
    "intervention",
    "intervention_end",
    "move",
    "accept",
    "disengage",
    "intervention_start",
    "reopen",
    "referral",
    "referral_details",
    "levels",
    "caregiver_edit",
    "caregiver_add",
    "infant_add",
    "infant_edit",
]


@pytest.fixture
def casework(team_a, practitioner):
    GroupProgrammeFactory(team=team_a)
    ReferralFactory(team=team_a)
    return casework_forms(team_a, practitioner)


@pytest.mark.parametrize("name", FORM_NAMES)
def test_generated_posts_to_each_casework_form_are_cleaned_or_refused_in_words(casework, name):
    make = casework[name]

    @given(data=form_data(make()))
    def check(data):
        form = make(data)
        if not form.is_valid():
            assert_actionable(form_messages(form))

    check()


def formset_data(prefix: str, form_strategy, *, count: int):
    management = {f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": "0"}
    return st.tuples(*[form_strategy] * count).map(
        lambda dicts: {**management, **{key: value for part in dicts for key, value in part.items()}}
    )


def test_generated_new_referrals_are_saved_valid_or_refused_in_words(team_a, practitioner):
    referral = forms.ReferralForm(clinicians=clinicians(team_a))
    caregiver = forms.CaregiverFormSet(prefix="caregivers").empty_form
    infant = forms.InfantFormSet(prefix="infants").empty_form

    def with_prefix(form):
        return form_data(form).map(lambda data: {key.replace("__prefix__", "0"): v for key, v in data.items()})

    posts = st.tuples(
        form_data(referral),
        formset_data("caregivers", with_prefix(caregiver), count=1),
        formset_data("infants", with_prefix(infant), count=1),
    ).map(lambda parts: {**parts[0], **parts[1], **parts[2]})

    @given(data=posts)
    def check(data):
        form = forms.ReferralForm(data, clinicians=clinicians(team_a))
        caregivers = forms.CaregiverFormSet(data, prefix="caregivers")
        infants = forms.InfantFormSet(data, prefix="infants")
        if form.is_valid() & caregivers.is_valid() & infants.is_valid():
            try:
                services.referral_create(
                    team=team_a,
                    actor=practitioner,
                    caregivers=caregivers.records(),
                    infants=infants.records(),
                    **form.cleaned_data,
                )
            except services.DuplicateSubmission:
                pass
            except ValidationError as error:
                assert_actionable(error.messages)
        else:
            messages = form_messages(form) + [m for f in caregivers.forms + infants.forms for m in form_messages(f)]
            assert_actionable(messages + list(caregivers.non_form_errors()) + list(infants.non_form_errors()))

    check()
    for model in (Referral, Caregiver, Infant):
        assert_all_valid(model.objects.all())
