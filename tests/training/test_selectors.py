"""The workforce figures of kpis.md, on a hand-built data set whose totals are worked out here."""

import datetime

import pytest

from pairs.models import Service, Team
from pairs.periods import custom_period, service_quarter
from referrals.models import Intervention
from tests.factories import (
    AwarenessEventFactory,
    ConsultationFactory,
    FeedbackFactory,
    TrainingSessionFactory,
    UniversalOfferContactFactory,
)
from training import selectors

pytestmark = pytest.mark.django_db

D = datetime.date
# Quarter 1 of 2024 to 2025 for teams whose service year starts in April (the factories' default).
PERIOD = service_quarter(2024, 1, 4)
INSIDE, FIRST_DAY, LAST_DAY = D(2024, 5, 15), D(2024, 4, 1), D(2024, 6, 30)
BEFORE, AFTER = D(2024, 3, 31), D(2024, 7, 1)


def service(code):
    return Service.objects.get(code=code)


@pytest.fixture
def data_set(team_a, team_b):
    """Records of team A inside the period, on its edges and outside it, and records of team B inside it."""
    session = TrainingSessionFactory
    session(
        team=team_a,
        date=FIRST_DAY,
        session_type="bitesize",
        participants=40,
        feedback_returned=30,
        feedback_positive=28,
    )
    session(
        team=team_a,
        date=INSIDE,
        session_type="introduction",
        participants=12,
        feedback_returned=10,
        feedback_positive=9,
    )
    session(
        team=team_a,
        date=INSIDE,
        session_type="introduction",
        participants=9,
        feedback_returned=None,
        feedback_positive=None,
    )
    session(
        team=team_a, date=LAST_DAY, session_type="imh_pir", participants=7, feedback_returned=7, feedback_positive=7
    )
    session(team=team_a, date=BEFORE, session_type="introduction", participants=100)
    session(team=team_a, date=AFTER, session_type="other", participants=100)
    session(team=team_b, date=INSIDE, session_type="other", participants=5, feedback_returned=5, feedback_positive=1)

    consultation = ConsultationFactory
    consultation(
        team=team_a, date=FIRST_DAY, consultee_service=service("health_visiting"), outcome="referred", children=2
    )
    consultation(
        team=team_a, date=INSIDE, consultee_service=service("health_visiting"), outcome="action_plan", children=None
    )
    consultation(
        team=team_a, date=INSIDE, consultee_service=service("health_visiting"), outcome="signposted", children=0
    )
    consultation(team=team_a, date=INSIDE, consultee_service=service("social_care"), outcome="referred", children=1)
    consultation(team=team_a, date=LAST_DAY, consultee_service=service("gp"), outcome="referred", children=3)
    consultation(team=team_a, date=AFTER, consultee_service=service("health_visiting"), outcome="referred", children=9)
    consultation(team=team_b, date=INSIDE, consultee_service=service("midwifery"), outcome="advice_only", children=4)

    AwarenessEventFactory(team=team_a, date=FIRST_DAY, people_engaged=25)
    AwarenessEventFactory(team=team_a, date=LAST_DAY, people_engaged=41)
    AwarenessEventFactory(team=team_a, date=BEFORE, people_engaged=500)
    AwarenessEventFactory(team=team_b, date=INSIDE, people_engaged=10)

    UniversalOfferContactFactory(team=team_a, date=FIRST_DAY, dyads=6)
    UniversalOfferContactFactory(team=team_a, date=INSIDE, dyads=9)
    UniversalOfferContactFactory(team=team_a, date=AFTER, dyads=100)
    UniversalOfferContactFactory(team=team_b, date=INSIDE, dyads=3)

    FeedbackFactory(team=team_a, date=INSIDE, kind="compliment")
    FeedbackFactory(team=team_a, date=INSIDE, kind="complaint")
    FeedbackFactory(team=team_a, date=INSIDE, kind="complaint", response="Apology", resolved_on=LAST_DAY)
    FeedbackFactory(team=team_a, date=AFTER, kind="complaint")


def test_training_figures_of_one_team(data_set, team_a):
    assert selectors.training_figures(teams=team_a, period=PERIOD) == {
        "sessions": 4,
        "participants": 40 + 12 + 9 + 7,
        "by_type": {
            "bitesize": {"sessions": 1, "participants": 40},
            "introduction": {"sessions": 2, "participants": 21},
            "imh_pir": {"sessions": 1, "participants": 7},
            "other": {"sessions": 0, "participants": 0},
        },
        "feedback_returned": 30 + 10 + 7,
        "feedback_positive": 28 + 9 + 7,
    }


def test_consultation_figures_of_one_team(data_set, team_a):
    figures = selectors.consultation_figures(teams=team_a, period=PERIOD)
    assert figures == {
        "total": 5,
        "by_outcome": {"referred": 3, "action_plan": 1, "signposted": 1, "advice_only": 0},
        # A recorded 0 counts as recorded; the consultation with no count does not.
        "children_recorded_in": 4,
        "children": 2 + 0 + 1 + 3,
        "by_service": {"health_visiting": 3, "gp": 1, "social_care": 1},
    }
    # The most consulted service first, then the vocabulary's order (GP before social care).
    assert list(figures["by_service"]) == ["health_visiting", "gp", "social_care"]


def test_awareness_universal_and_feedback_figures_of_one_team(data_set, team_a):
    assert selectors.awareness_figures(teams=team_a, period=PERIOD) == {"events": 2, "people_engaged": 66}
    assert selectors.universal_figures(teams=team_a, period=PERIOD) == {"dyads": 15}
    assert selectors.feedback_figures(teams=team_a, period=PERIOD) == {
        "total": 3,
        "by_kind": {"compliment": 1, "complaint": 2, "service_user": 0},
        "open_complaints": 1,
    }


def test_a_set_of_teams_is_summed(data_set, team_a, team_b):
    figures = selectors.workforce_figures(teams=Team.objects.filter(pk__in=[team_a.pk, team_b.pk]), period=PERIOD)
    assert figures["training"]["sessions"] == 5
    assert figures["training"]["by_type"]["other"] == {"sessions": 1, "participants": 5}
    assert figures["training"]["feedback_positive"] == 45
    assert figures["consultations"]["total"] == 6
    assert figures["consultations"]["children"] == 10
    assert figures["consultations"]["by_service"] == {"health_visiting": 3, "midwifery": 1, "gp": 1, "social_care": 1}
    assert figures["awareness"] == {"events": 3, "people_engaged": 76}
    assert figures["universal"] == {"dyads": 18}
    assert selectors.workforce_figures(teams=[team_a, team_b], period=PERIOD) == figures


def test_an_empty_period_gives_zeros_with_every_key(data_set, team_a):
    empty = custom_period(D(2020, 1, 1), D(2020, 12, 31))
    assert selectors.workforce_figures(teams=team_a, period=empty) == {
        "training": {
            "sessions": 0,
            "participants": 0,
            "by_type": {
                kind: {"sessions": 0, "participants": 0} for kind in ("bitesize", "introduction", "imh_pir", "other")
            },
            "feedback_returned": 0,
            "feedback_positive": 0,
        },
        "consultations": {
            "total": 0,
            "by_outcome": {"referred": 0, "action_plan": 0, "signposted": 0, "advice_only": 0},
            "children_recorded_in": 0,
            "children": 0,
            "by_service": {},
        },
        "awareness": {"events": 0, "people_engaged": 0},
        "universal": {"dyads": 0},
    }


def test_the_keys_are_those_of_the_kpi_export(team_a):
    """data-contract.md section 2: the blocks' keys, exactly, so that the KPI engine can use them as they are."""
    figures = selectors.workforce_figures(teams=team_a, period=PERIOD)
    assert list(figures) == ["training", "consultations", "awareness", "universal"]
    assert list(figures["training"]) == [
        "sessions",
        "participants",
        "by_type",
        "feedback_returned",
        "feedback_positive",
    ]
    assert list(figures["training"]["by_type"]) == ["bitesize", "introduction", "imh_pir", "other"]
    assert list(figures["consultations"]) == ["total", "by_outcome", "children_recorded_in", "children", "by_service"]
    assert list(figures["consultations"]["by_outcome"]) == ["referred", "action_plan", "signposted", "advice_only"]
    assert list(figures["awareness"]) == ["events", "people_engaged"]
    assert list(figures["universal"]) == ["dyads"]


def test_the_figures_take_four_queries_whatever_the_number_of_records(team_a, django_assert_num_queries):
    def count_queries():
        with django_assert_num_queries(4):
            return selectors.workforce_figures(teams=team_a, period=PERIOD)

    count_queries()
    services = list(Service.objects.all())
    for n in range(40):
        TrainingSessionFactory(team=team_a, date=INSIDE, session_type=["bitesize", "other"][n % 2])
        ConsultationFactory(team=team_a, date=INSIDE, consultee_service=services[n % len(services)], children=n)
        AwarenessEventFactory(team=team_a, date=INSIDE)
        UniversalOfferContactFactory(team=team_a, date=INSIDE - datetime.timedelta(days=n))
    figures = count_queries()
    assert figures["training"]["sessions"] == 40
    assert figures["consultations"]["children"] == sum(range(40))
    assert len(figures["consultations"]["by_service"]) == len(services)
    assert figures["universal"]["dyads"] == 40 * 6


def test_the_universal_offer_is_counted_whatever_universal_offer_it_was(team_a):
    other_universal = Intervention.objects.create(code="baby_yoga", label="Baby yoga", level="universal")
    UniversalOfferContactFactory(team=team_a, date=INSIDE, dyads=4)
    UniversalOfferContactFactory(team=team_a, date=INSIDE, offer=other_universal, dyads=5)
    assert selectors.universal_figures(teams=team_a, period=PERIOD) == {"dyads": 9}
