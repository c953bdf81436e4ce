"""Outcome measures on the referrals pages: the record's panel, the caseload's column, the T1 prompt when an
intervention starts, the T2 prompt on completion, and the alerts on the manager's home page."""

from django.urls import reverse

from outcomes.models import Questionnaire, QuestionnaireStatus, Timepoint
from outcomes.selectors import t1_due_by_referral, t1_due_for
from referrals.models import Intervention, Referral
from referrals.pipeline import Status
from tests.factories import QuestionnaireFactory
from tests.outcomes.conftest import days_ago, make_referral


def _date(name, on):
    return {f"{name}_day": on.day, f"{name}_month": on.month, f"{name}_year": on.year}


def test_the_record_page_shows_the_outcomes_panel(practitioner_client, referral):
    QuestionnaireFactory(referral=referral, totals={"total": 18}, completed_on=days_ago(90))
    QuestionnaireFactory(referral=referral, totals={"total": 7}, completed_on=days_ago(5), timepoint=Timepoint.T2)
    html = practitioner_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert '<h2 id="outcomes-panel-heading">Outcome measures</h2>' in html
    assert "Reliable improvement" in html
    assert reverse("outcomes:chart", args=[referral.pk, "phq9"]) in html
    assert "T1 questionnaires due." in html


def test_the_panel_reads_the_t1s_due_from_what_the_record_loaded(referral):
    QuestionnaireFactory(referral=referral, instrument="gad7")
    questionnaires = list(referral.questionnaires.all())
    by_list = t1_due_by_referral(Referral.objects.filter(pk=referral.pk))[referral.pk]
    assert [(d.caregiver, d.instrument) for d in t1_due_for(referral, questionnaires)] == [
        (d.caregiver, d.instrument) for d in by_list
    ]


def test_the_caseload_shows_the_questionnaires_due(practitioner_client, team_a, practitioner):
    active = make_referral(team=team_a, actor=practitioner)
    waiting = make_referral(team=team_a, actor=practitioner, stage="referral")
    QuestionnaireFactory(referral=active, instrument="gbo")
    html = practitioner_client.get(reverse("home:caseload") + "?cases=team").content.decode()
    assert (
        f'<a class="nhsuk-link" href="{reverse("outcomes:referral", args=[active.pk])}">3 questionnaires due'
        f'<span class="nhsuk-u-visually-hidden"> for {active.reference}</span></a>'
    ) in html
    assert reverse("outcomes:referral", args=[waiting.pk]) not in html


def test_starting_an_intervention_prompts_for_the_t1s(practitioner_client, team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner, stage="referral")
    data = {
        "start-intervention-version": referral.version,
        "start-intervention-intervention": Intervention.objects.get(code="vig").pk,
        **_date("start-intervention-occurred_on", days_ago(0)),
    }
    response = practitioner_client.post(
        reverse("referrals:move", args=[referral.pk, "start-intervention"]), data, follow=True
    )
    html = response.content.decode()
    assert "The T1 questionnaires are now due" in html
    assert "T1 questionnaires due." in html


def test_completing_without_the_t2s_asks_for_them_or_a_reason(practitioner_client, referral):
    QuestionnaireFactory(referral=referral, instrument="phq9", completed_on=days_ago(90))
    move_url = reverse("referrals:move", args=[referral.pk, "complete"])
    data = {"complete-version": referral.version, **_date("complete-occurred_on", days_ago(0))}
    response = practitioner_client.post(move_url, data)
    assert response.status_code == 302
    assert response.url == f"{reverse('outcomes:follow_up', args=[referral.pk])}?next={move_url}"
    assert Referral.objects.with_current_status().get(pk=referral.pk).status_as_at == Status.IN_PROGRESS

    response = practitioner_client.post(response.url, {"reason": "declined", **_date("recorded_on", days_ago(0))})
    assert response.url == move_url
    t2 = Questionnaire.objects.get(timepoint=Timepoint.T2)
    assert (t2.instrument, t2.status, t2.not_completed_reason) == (
        "phq9",
        QuestionnaireStatus.NOT_COMPLETED,
        "declined",
    )

    assert practitioner_client.get(move_url).status_code == 200
    response = practitioner_client.post(move_url, data)
    assert response.status_code == 302
    assert Referral.objects.with_current_status().get(pk=referral.pk).status_as_at == Status.COMPLETED


def test_completing_with_the_t2s_recorded_goes_straight_through(practitioner_client, referral):
    QuestionnaireFactory(referral=referral, instrument="phq9", completed_on=days_ago(90))
    QuestionnaireFactory(referral=referral, instrument="phq9", completed_on=days_ago(1), timepoint=Timepoint.T2)
    data = {"complete-version": referral.version, **_date("complete-occurred_on", days_ago(0))}
    response = practitioner_client.post(reverse("referrals:move", args=[referral.pk, "complete"]), data)
    assert response.url == referral.get_absolute_url()
    assert Referral.objects.with_current_status().get(pk=referral.pk).status_as_at == Status.COMPLETED


def test_the_manager_s_home_page_lists_the_open_alerts(manager_client, referral):
    QuestionnaireFactory(referral=referral, answers={**{n: 0 for n in range(1, 9)}, 9: 3})
    html = manager_client.get(reverse("home:index")).content.decode()
    assert "1 alert waiting for action" in html
    assert f"{referral.reference}: Thoughts of self-harm (PHQ-9 item 9)" in html
