"""The casework forms that offer interventions offer only those of the referral's pathway format."""

from django.urls import reverse

from referrals.models import Intervention
from referrals.pipeline import Stage, State, Status


def _formats(form) -> set[str]:
    return {intervention.format for intervention in form.fields["intervention"].queryset}


def test_starting_an_intervention_offers_the_pathways_format_only(referral_in, practitioner_client):
    for pathway in ("individual", "group"):
        referral = referral_in(State(Status.IN_PROGRESS, Stage.ASSESSMENT), pathway=pathway)
        move_forms = practitioner_client.get(referral.get_absolute_url()).context["move_forms"]
        [start] = [form for _, form in move_forms if "intervention" in form.fields]
        assert _formats(start) == {pathway}


def test_adding_an_intervention_offers_the_pathways_format_only(referral_in, practitioner_client):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.INTERVENTION), pathway="group")
    response = practitioner_client.get(reverse("referrals:episode_create", args=[referral.pk]))
    assert _formats(response.context["form"]) == {"group"}
    individual = Intervention.objects.filter(format="individual", is_active=True).first()
    refused = practitioner_client.post(
        reverse("referrals:episode_create", args=[referral.pk]), {"intervention": individual.pk}
    )
    assert "Select a valid choice" in refused.content.decode()
