"""The T2 due list: what each family in intervention owes and when, who is at risk of leaving without paired
measures, the team's interval, and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outcomes.selectors import t2_due_list
from outcomes.services import questionnaire_record_not_completed
from pairs.services import team_t2_interval_update
from referrals import services as referral_services
from referrals.models import HoldReason, Intervention
from referrals.selectors.clocks import LONG_HOLD_DAYS
from tests.factories import InterventionEpisodeFactory, QuestionnaireFactory
from tests.outcomes.conftest import days_ago, make_referral

TODAY = timezone.localdate()


def t1(referral, days: int, *, instrument: str = "phq9", caregiver: int = 1):
    return QuestionnaireFactory(
        referral=referral,
        caregiver=referral.caregivers.get(position=caregiver),
        instrument=instrument,
        timepoint="T1",
        completed_on=days_ago(days),
    )


def test_each_scored_t1_owes_a_t2_due_the_teams_weeks_after_it(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner, caregivers=2)
    t1(referral, 100)
    t1(referral, 40, instrument="gad7", caregiver=2)
    [row] = t2_due_list(user=manager, team=team_a, today=TODAY)
    assert [(due.caregiver.position, due.instrument.code) for due in row.owed] == [(1, "phq9"), (2, "gad7")]
    assert (row.due_on, row.is_overdue) == (days_ago(100) + datetime.timedelta(weeks=12), True)
    # A T2 recorded as not completed settles it as much as a scored one.
    questionnaire_record_not_completed(
        actor=practitioner,
        referral=referral,
        caregiver=referral.caregivers.get(position=1),
        instrument="phq9",
        timepoint="T2",
        recorded_on=TODAY,
        reason="declined",
    )
    [row] = t2_due_list(user=manager, team=team_a, today=TODAY)
    assert (row.due_on, row.is_overdue) == (days_ago(40) + datetime.timedelta(weeks=12), False)
    QuestionnaireFactory(
        referral=referral, caregiver=referral.caregivers.get(position=2), instrument="gad7", timepoint="T2"
    )
    assert t2_due_list(user=manager, team=team_a, today=TODAY) == []


def test_at_discharge_nothing_falls_due_before_it(team_a, practitioner, manager):
    team_t2_interval_update(team=team_a, actor=manager, t2_due_weeks_after_t1=None)
    team_a.refresh_from_db()
    t1(make_referral(team=team_a, actor=practitioner, received_days_ago=320), 300)
    [row] = t2_due_list(user=manager, team=team_a, today=TODAY)
    assert (row.due_on, row.is_overdue, row.risks) == (None, False, [])


def test_the_manager_sees_who_is_at_risk_of_leaving_without_pairs(team_a, practitioner, manager):
    no_t1 = make_referral(team=team_a, actor=practitioner)
    overdue = make_referral(team=team_a, actor=practitioner)
    t1(overdue, 100)
    ending = make_referral(team=team_a, actor=practitioner)
    t1(ending, 10)
    InterventionEpisodeFactory(referral=ending, started_on=days_ago(20), ended_on=days_ago(2))
    held = make_referral(team=team_a, actor=practitioner, received_days_ago=LONG_HOLD_DAYS + 60)
    t1(held, LONG_HOLD_DAYS + 40)
    referral_services.referral_move(
        kind="on_hold",
        referral=held,
        actor=practitioner,
        occurred_on=days_ago(LONG_HOLD_DAYS + 1),
        reason=HoldReason.objects.get(code="family_request"),
    )
    fine = make_referral(team=team_a, actor=practitioner)
    t1(fine, 10)
    risks = {row.referral.pk: row.risks for row in t2_due_list(user=manager, team=team_a, today=TODAY)}
    assert risks[no_t1.pk] == ["No T1 recorded: no T2 can be paired until one is."]
    assert risks[overdue.pk] == [f"T2 overdue since {days_ago(100) + datetime.timedelta(weeks=12):%-d %B %Y}."]
    assert risks[ending.pk] == ["Every intervention has ended: the family is about to be discharged."]
    assert (
        risks[held.pk][-1] == f"On hold for {LONG_HOLD_DAYS + 1} days: families on long holds often do not come back."
    )
    assert risks[fine.pk] == []


def test_a_practitioner_sees_their_own_families_and_the_list_reads_three_queries(
    team_a, practitioner, manager, django_assert_num_queries
):
    def add(count: int, holder):
        for _ in range(count):
            referral = make_referral(team=team_a, actor=practitioner, caregivers=2)
            referral.assigned_practitioner = holder
            referral.save()
            t1(referral, 50)
            t1(referral, 50, instrument="gad7", caregiver=2)

    add(2, practitioner)
    add(1, manager)
    with django_assert_num_queries(3):
        small = t2_due_list(user=practitioner, team=team_a, today=TODAY, practitioner=practitioner)
    add(10, practitioner)
    with django_assert_num_queries(3):
        large = t2_due_list(user=practitioner, team=team_a, today=TODAY, practitioner=practitioner)
    assert (len(small), len(large)) == (2, 12)
    assert len(t2_due_list(user=manager, team=team_a, today=TODAY)) == 13


def test_the_interval_is_the_managers_to_set(team_a, practitioner, manager):
    with pytest.raises(ValidationError, match="Only the team's service manager"):
        team_t2_interval_update(team=team_a, actor=practitioner, t2_due_weeks_after_t1=8)
    with pytest.raises(ValidationError):
        team_t2_interval_update(team=team_a, actor=manager, t2_due_weeks_after_t1=200)
    team_a.refresh_from_db()
    assert team_a.t2_due_weeks_after_t1 == 12
    assert team_t2_interval_update(team=team_a, actor=manager, t2_due_weeks_after_t1=12)[1] is False
    team, changed = team_t2_interval_update(team=team_a, actor=manager, t2_due_weeks_after_t1=8)
    assert (team.t2_due_weeks_after_t1, changed) == (8, True)


# Pages ------------------------------------------------------------------------------------------------------------


def test_the_t2_due_page_for_each_role_and_team(client, team_a, practitioner, manager, commissioner, practitioner_b):
    mine = make_referral(team=team_a, actor=practitioner)
    mine.assigned_practitioner = practitioner
    mine.save()
    t1(mine, 100)
    theirs = make_referral(team=team_a, actor=practitioner)
    t1(theirs, 10)
    url = reverse("outcomes:t2_due")
    client.force_login(practitioner)
    page = client.get(url).content.decode()
    assert mine.reference in page
    assert "Overdue" in page
    assert theirs.reference not in page
    assert url in client.get(reverse("home:index")).content.decode()
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert (mine.reference in page, theirs.reference in page) == (True, True)
    assert "At risk of leaving without paired measures" in page
    assert url in client.get(reverse("home:index")).content.decode()
    client.force_login(practitioner_b)
    assert "No T2 questionnaire is due" in client.get(url).content.decode()
    client.force_login(commissioner)
    assert client.get(url).status_code == 403


def test_the_manager_sets_when_t2s_are_due(client, team_a, practitioner, manager):
    url = reverse("outcomes:t2_interval")
    client.force_login(practitioner)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    refused = client.post(url, {"when": "after_t1", "weeks": ""})
    assert "Enter how many weeks after T1" in refused.content.decode()
    assert client.post(url, {"when": "after_t1", "weeks": "0"}).status_code == 200
    team_a.refresh_from_db()
    assert team_a.t2_due_weeks_after_t1 == 12
    assert client.post(url, {"when": "at_discharge", "weeks": "8"}).status_code == 302
    team_a.refresh_from_db()
    assert team_a.t2_due_weeks_after_t1 is None
    assert "The team asks for T2s at discharge." in client.get(reverse("outcomes:t2_due")).content.decode()


def test_an_episode_still_open_means_not_about_to_leave(team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    t1(referral, 10)
    InterventionEpisodeFactory(referral=referral, started_on=days_ago(20), ended_on=days_ago(2))
    InterventionEpisodeFactory(
        referral=referral, intervention=Intervention.objects.get(code="vig"), started_on=days_ago(5)
    )
    [row] = t2_due_list(user=manager, team=team_a, today=TODAY)
    assert row.risks == []
