"""The outcome chart of a family: what its axes show."""

import datetime
import re

import pytest

from outcomes.charts import instrument_chart_svg
from outcomes.registry import get_instrument
from tests.factories import QuestionnaireFactory
from tests.outcomes.conftest import days_ago

pytestmark = pytest.mark.django_db


def _axis_dates(svg: str) -> list[datetime.date]:
    # matplotlib draws text as paths and keeps each text as a comment beside it.
    return [
        datetime.datetime.strptime(text, "%d %b %Y").date()
        for text in re.findall(r"<!-- (\d{1,2} \w{3} \d{4}) -->", svg)
    ]


def test_a_single_questionnaire_is_shown_in_the_weeks_around_it_not_years_of_empty_axis(referral):
    questionnaire = QuestionnaireFactory(referral=referral, totals={"total": 12}, completed_on=days_ago(30))
    dates = _axis_dates(instrument_chart_svg(get_instrument("phq9"), [questionnaire]))
    assert dates
    assert all(abs((date - questionnaire.completed_on).days) <= 42 for date in dates)


def test_questionnaires_weeks_apart_are_shown_from_the_first_to_the_last(referral):
    first = QuestionnaireFactory(referral=referral, totals={"total": 18}, completed_on=days_ago(110))
    last = QuestionnaireFactory(referral=referral, totals={"total": 7}, completed_on=days_ago(5), timepoint="T2")
    dates = _axis_dates(instrument_chart_svg(get_instrument("phq9"), [first, last]))
    assert min(dates) >= first.completed_on - datetime.timedelta(days=62)
    assert max(dates) <= last.completed_on + datetime.timedelta(days=62)
