import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Questionnaire, QuestionnaireStatus, SafetyAlert, Timepoint
from pairs.middleware import CurrentTeamMiddleware
from tests.factories import QuestionnaireFactory
from tests.outcomes.conftest import days_ago, make_referral

PHQ9_TWELVE = {1: 2, 2: 3, 3: 1, 4: 0, 5: 2, 6: 1, 7: 3, 8: 0, 9: 0}


def _post_data(answers, *, caregiver=None, timepoint="T1", on=None, **extra):
    on = on or days_ago(3)
    data = {"completed_on_day": on.day, "completed_on_month": on.month, "completed_on_year": on.year}
    if caregiver is not None:
        data.update({"caregiver": caregiver.pk, "timepoint": timepoint})
    data.update({f"item_{n}": "" if v is None else v for n, v in answers.items()})
    data.update(extra)
    return data


def _record_url(referral, instrument="phq9"):
    return reverse("outcomes:record", args=[referral.pk, instrument])


def test_the_entry_page_shows_each_item_as_a_radio_group(practitioner_client, referral):
    response = practitioner_client.get(_record_url(referral) + "?caregiver=1&timepoint=T1")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">') >= 9
    assert "9. Thoughts that you would be better off dead" in html
    assert "More than half the days" in html
    assert 'value="T1" checked' in html
    assert "Not answered" not in html


def test_recording_a_complete_questionnaire_scores_it_and_shows_it_back(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    response = practitioner_client.post(_record_url(referral), _post_data(PHQ9_TWELVE, caregiver=caregiver))
    questionnaire = Questionnaire.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("outcomes:questionnaire_detail", args=[questionnaire.pk])
    assert questionnaire.status == QuestionnaireStatus.COMPLETE
    page = practitioner_client.get(response.url).content.decode()
    assert "PHQ-9 T1 saved. Score: 12 (moderate)." in page
    assert "<strong>12</strong> out of 27 (moderate)" in page


def test_reading_a_questionnaire_or_the_outcomes_page_is_logged(practitioner_client, practitioner, referral):
    questionnaire = QuestionnaireFactory(referral=referral)
    practitioner_client.get(questionnaire.get_absolute_url())
    practitioner_client.get(reverse("outcomes:referral", args=[referral.pk]))
    accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=practitioner)
    assert accesses.filter(object_pk=str(questionnaire.pk), additional_data={"referral_id": referral.pk}).exists()
    assert accesses.filter(object_pk=str(referral.pk), content_type__model="referral").exists()


def test_a_missing_item_is_flagged_incomplete_and_can_be_completed(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    practitioner_client.post(_record_url(referral), _post_data({**PHQ9_TWELVE, 5: None}, caregiver=caregiver))
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.status == QuestionnaireStatus.INCOMPLETE
    page = practitioner_client.get(questionnaire.get_absolute_url()).content.decode()
    assert "Incomplete: not scored" in page
    assert "Not answered: item 5." in page
    edit_url = reverse("outcomes:questionnaire_edit", args=[questionnaire.pk])
    form = practitioner_client.get(edit_url).content.decode()
    assert "Not answered" in form
    response = practitioner_client.post(edit_url, _post_data({**PHQ9_TWELVE, 5: 3}, version=questionnaire.version))
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.COMPLETE
    assert questionnaire.scores.get().value == 13


def test_a_stale_edit_shows_an_error(practitioner_client, referral):
    questionnaire = QuestionnaireFactory(referral=referral, answers=PHQ9_TWELVE)
    edit_url = reverse("outcomes:questionnaire_edit", args=[questionnaire.pk])
    response = practitioner_client.post(edit_url, _post_data(PHQ9_TWELVE, version=questionnaire.version + 1))
    assert response.status_code == 200
    assert "Someone else changed this questionnaire" in response.content.decode()


def test_an_answer_out_of_range_is_shown_against_the_item(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    response = practitioner_client.post(_record_url(referral), _post_data({**PHQ9_TWELVE, 3: 7}, caregiver=caregiver))
    assert response.status_code == 200
    assert response.context["form"].errors["item_3"]
    assert not Questionnaire.objects.exists()


def test_nothing_answered_is_refused(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    response = practitioner_client.post(_record_url(referral), _post_data({}, caregiver=caregiver))
    assert "Answer at least one item, or record the questionnaire as not completed." in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_a_future_date_is_refused(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    response = practitioner_client.post(
        _record_url(referral), _post_data(PHQ9_TWELVE, caregiver=caregiver, on=days_ago(-2))
    )
    assert response.context["form"].errors["completed_on"] == ["The date cannot be in the future."]


def test_gbo_goals_need_the_parent_s_words_when_rated(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    url = _record_url(referral, "gbo")
    response = practitioner_client.post(url, _post_data({1: 3, 2: 5}, caregiver=caregiver, goal_1="Bond with baby"))
    assert response.context["form"].errors["goal_2"]
    response = practitioner_client.post(
        url, _post_data({1: 3, 2: 5}, caregiver=caregiver, goal_1="Bond with baby", goal_2="Feel confident")
    )
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.scores.get().value == 4
    page = practitioner_client.get(questionnaire.get_absolute_url()).content.decode()
    assert "Goal 2: Feel confident" in page


def test_phq9_item_9_shows_an_alert_until_acted_on(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    practitioner_client.post(_record_url(referral), _post_data({**PHQ9_TWELVE, 9: 1}, caregiver=caregiver))
    alert = SafetyAlert.objects.get()
    panel = practitioner_client.get(reverse("outcomes:referral", args=[referral.pk])).content.decode()
    assert "Thoughts of self-harm (PHQ-9 item 9)" in panel
    assert "answered “Several days”" in panel
    url = reverse("outcomes:alert_act", args=[alert.pk])
    response = practitioner_client.post(url, {"action_taken": ""})
    assert response.status_code == 200
    response = practitioner_client.post(url, {"action_taken": "Discussed with the GP; crisis numbers given."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert not alert.is_open
    panel = practitioner_client.get(reverse("outcomes:referral", args=[referral.pk])).content.decode()
    assert "Thoughts of self-harm (PHQ-9 item 9)" not in panel


def test_the_manager_home_include_lists_the_team_s_open_alerts(rf, referral, manager, commissioner):
    QuestionnaireFactory(referral=referral, answers={**PHQ9_TWELVE, 9: 2})
    template = Template('{% include "outcomes/_alerts.html" %}')

    def render(user):
        request = rf.get("/")
        request.user = user
        request.session = {}
        CurrentTeamMiddleware(lambda r: None)(request)
        return template.render(Context({"request": request}))

    assert f"{referral.reference}: Thoughts of self-harm (PHQ-9 item 9)" in render(manager)
    assert "1 alert waiting for action" in render(manager)
    assert referral.reference not in render(commissioner)


def test_not_completed_is_recorded_with_its_reason(practitioner_client, referral):
    caregiver = referral.caregivers.get()
    on = days_ago(1)
    response = practitioner_client.post(
        reverse("outcomes:not_completed", args=[referral.pk]),
        {
            "instrument": "gad7",
            "caregiver": caregiver.pk,
            "timepoint": "T1",
            "reason": "declined",
            "recorded_on_day": on.day,
            "recorded_on_month": on.month,
            "recorded_on_year": on.year,
        },
    )
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get()
    assert (questionnaire.status, questionnaire.not_completed_reason) == ("not_completed", "declined")


def test_the_follow_up_page_asks_for_t2_or_a_reason(practitioner_client, referral):
    QuestionnaireFactory(referral=referral, instrument="gad7")
    url = reverse("outcomes:follow_up", args=[referral.pk]) + "?next=/referrals/"
    page = practitioner_client.get(url).content.decode()
    assert "T2 questionnaires due before completion" in page
    assert "timepoint=T2" in page
    on = days_ago(0)
    response = practitioner_client.post(
        url,
        {"reason": "disengaged", "recorded_on_day": on.day, "recorded_on_month": on.month, "recorded_on_year": on.year},
    )
    assert response.status_code == 302
    assert response.url == "/referrals/"
    t2 = Questionnaire.objects.get(timepoint=Timepoint.T2)
    assert (t2.instrument, t2.status, t2.not_completed_reason) == ("gad7", "not_completed", "disengaged")
    assert practitioner_client.get(url).url == "/referrals/"


def test_the_follow_up_page_ignores_an_outside_next(practitioner_client, referral):
    response = practitioner_client.get(
        reverse("outcomes:follow_up", args=[referral.pk]) + "?next=https://evil.example/"
    )
    assert response.url == referral.get_absolute_url()


def test_the_chart_is_an_svg_of_the_referral_s_scores(practitioner_client, referral):
    url = reverse("outcomes:chart", args=[referral.pk, "phq9"])
    assert practitioner_client.get(url).status_code == 404
    QuestionnaireFactory(referral=referral, totals={"total": 18}, completed_on=days_ago(90))
    QuestionnaireFactory(referral=referral, totals={"total": 7}, completed_on=days_ago(5), timepoint=Timepoint.T2)
    response = practitioner_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "no-cache" in response["Cache-Control"]
    assert response.content.startswith(b"<?xml")
    assert b"<svg" in response.content


def test_the_panel_shows_scores_change_and_chart(practitioner_client, referral):
    QuestionnaireFactory(referral=referral, totals={"total": 18}, completed_on=days_ago(90))
    QuestionnaireFactory(referral=referral, totals={"total": 7}, completed_on=days_ago(5), timepoint=Timepoint.T2)
    html = practitioner_client.get(reverse("outcomes:referral", args=[referral.pk])).content.decode()
    assert "PHQ-9 scores" in html
    assert "18 (moderately severe)" in html
    assert "7 (mild)" in html
    assert "Change from first T1 to last T2" in html
    assert "-11" in html
    assert "Reliable improvement" in html
    assert reverse("outcomes:chart", args=[referral.pk, "phq9"]) in html


def test_the_panel_takes_a_fixed_number_of_queries(practitioner_client, referral, team_a, practitioner):
    url = reverse("outcomes:referral", args=[referral.pk])
    QuestionnaireFactory(referral=referral, totals={"total": 18}, completed_on=days_ago(90))
    with CaptureQueriesContext(connection) as few:
        practitioner_client.get(url)
    for instrument in ("gad7", "mors_sf", "gbo"):
        for timepoint in ("T1", "MID", "T2"):
            QuestionnaireFactory(referral=referral, instrument=instrument, timepoint=timepoint)
    QuestionnaireFactory(referral=referral, answers={**PHQ9_TWELVE, 9: 1}, timepoint=Timepoint.T2)
    with CaptureQueriesContext(connection) as many:
        practitioner_client.get(url)
    assert len(many) == len(few)


def test_the_index_lists_what_the_team_owes(practitioner_client, team_a, practitioner):
    active = make_referral(team=team_a, actor=practitioner)
    QuestionnaireFactory(referral=active, instrument="gad7", answers={1: 1})
    html = practitioner_client.get(reverse("outcomes:index")).content.decode()
    assert active.reference in html
    assert "GAD-7 T1" in html
    assert "PHQ-9, MORS-SF, GBO" in html


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("outcomes:referral", ["referral"]),
        ("outcomes:record", ["referral", "phq9"]),
        ("outcomes:not_completed", ["referral"]),
        ("outcomes:follow_up", ["referral"]),
        ("outcomes:chart", ["referral", "phq9"]),
        ("outcomes:questionnaire_detail", ["questionnaire"]),
        ("outcomes:questionnaire_edit", ["questionnaire"]),
        ("outcomes:alert_act", ["alert"]),
    ],
)
def test_other_teams_get_404_and_commissioners_403(client, practitioner_b, commissioner, referral, name, args):
    questionnaire = QuestionnaireFactory(referral=referral, answers={**PHQ9_TWELVE, 9: 1})
    objects = {
        "referral": referral.pk,
        "questionnaire": questionnaire.pk,
        "alert": questionnaire.alerts.get().pk,
        "phq9": "phq9",
    }
    url = reverse(name, args=[objects[arg] for arg in args])
    client.force_login(practitioner_b)
    assert client.get(url).status_code == 404
    client.force_login(commissioner)
    assert client.get(url).status_code == 403


def test_commissioners_cannot_open_the_outcomes_index(commissioner_client):
    assert commissioner_client.get(reverse("outcomes:index")).status_code == 403


def test_an_unknown_instrument_is_404(practitioner_client, referral):
    assert practitioner_client.get(_record_url(referral, "epds")).status_code == 404


def test_historical_totals_cannot_be_edited_in_the_browser(practitioner_client, referral):
    questionnaire = QuestionnaireFactory(referral=referral, totals={"total": 9})
    url = reverse("outcomes:questionnaire_edit", args=[questionnaire.pk])
    assert practitioner_client.get(url).status_code == 404
