"""The hooks other apps join casework by: completion guards hold for every caller unless waived, record panels."""

import csv
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring.importer import monitoring_import
from monitoring.writers.casework import HISTORICAL_IMPORT
from outcomes.models import Timepoint
from referrals import hooks, services
from referrals.hooks import Requirement, Waived
from referrals.models import Referral
from referrals.pipeline import EventKind, Stage, State, Status
from tests.factories import QuestionnaireFactory
from tests.referrals.builders import TODAY

pytestmark = pytest.mark.django_db

IN_INTERVENTION = State(Status.IN_PROGRESS, Stage.INTERVENTION)


def status_of(referral: Referral) -> str:
    return Referral.objects.with_current_status().get(pk=referral.pk).status_as_at


@pytest.fixture
def guarded(monkeypatch):
    """One guard in place of those the apps registered: every referral needs 'a closing letter' first."""
    requirement = Requirement(message="Send the closing letter first.", url="/letters/")
    monkeypatch.setattr(hooks, "_completion_guards", [lambda referral: requirement])
    return requirement


def test_a_guard_refuses_completion_through_every_service(guarded, referral_in, manager):
    referral = referral_in(IN_INTERVENTION)
    with pytest.raises(ValidationError, match="Send the closing letter first") as refused:
        services.referral_complete(referral=referral, actor=manager, occurred_on=TODAY)
    assert [error.code for error in refused.value.error_list] == ["completion_requirement"]
    with pytest.raises(ValidationError, match="Send the closing letter first"):
        services.pipeline_history_extend(referral=referral, actor=manager, steps=[(EventKind.COMPLETED, TODAY, None)])
    received_on = referral.received_on
    steps = [(EventKind.ACCEPTED, received_on, None), (EventKind.INTERVENTION_STARTED, received_on, None)]
    with pytest.raises(ValidationError, match="Send the closing letter first"):
        services.pipeline_history_rewrite(
            referral=referral,
            actor=manager,
            received_on=received_on,
            steps=[*steps, (EventKind.COMPLETED, TODAY, None)],
        )
    assert status_of(referral) == Status.IN_PROGRESS
    assert hooks.completion_requirements(referral) == [guarded]


def test_only_an_explicit_waiver_sets_the_guards_aside(guarded, referral_in, manager):
    referral = referral_in(IN_INTERVENTION)
    with pytest.raises(ValueError, match="referral_complete"):
        services.referral_move(kind=EventKind.COMPLETED, referral=referral, actor=manager, occurred_on=TODAY)
    services.referral_complete(
        referral=referral, actor=manager, occurred_on=TODAY, completion_guards=Waived("closed in the old system")
    )
    assert status_of(referral) == Status.COMPLETED


def test_the_monitoring_import_waives_the_guards_for_its_history(guarded, team_a, manager, tmp_path):
    assert isinstance(HISTORICAL_IMPORT, Waived)
    assert HISTORICAL_IMPORT.reason
    row = {
        "reference": "H-1",
        "received_on": "2024-01-10",
        "pathway": "individual",
        "referrer_service": "health_visiting",
        "caregiver_role": "mother",
        "antenatal": "no",
        "decision": "accepted",
        "decision_on": "2024-01-12",
        "intervention_started_on": "2024-02-01",
        "status": "completed",
        "status_on": "2024-05-01",
    }
    with (tmp_path / "referrals.csv").open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    monitoring_import(path=tmp_path, team=team_a, actor=manager, today=datetime.date(2024, 6, 30))
    assert status_of(Referral.objects.get(reference="H-1")) == Status.COMPLETED


# The guard outcomes registers -----------------------------------------------------------------------------------


def test_the_t2_rule_holds_for_a_plain_service_call(referral_in, practitioner):
    referral = referral_in(IN_INTERVENTION)
    QuestionnaireFactory(referral=referral, instrument="phq9", completed_on=referral.received_on)
    [requirement] = hooks.completion_requirements(referral)
    assert requirement.url == reverse("outcomes:follow_up", args=[referral.pk])
    with pytest.raises(ValidationError, match="T2 questionnaires"):
        services.referral_complete(referral=referral, actor=practitioner, occurred_on=TODAY)
    assert status_of(referral) == Status.IN_PROGRESS

    QuestionnaireFactory(referral=referral, instrument="phq9", completed_on=TODAY, timepoint=Timepoint.T2)
    assert hooks.completion_requirements(referral) == []
    services.referral_complete(referral=referral, actor=practitioner, occurred_on=TODAY)
    assert status_of(referral) == Status.COMPLETED


def test_outcomes_adds_its_panel_to_the_record_page(practitioner_client, referral_in):
    assert "outcomes/_panel.html" in [panel.template_name for panel in hooks.record_panels()]
    referral = referral_in(IN_INTERVENTION)
    page = practitioner_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Outcome measures" in page
