"""Generated input (Hypothesis) for the KPI pages' period parameters and the reporting forms: a period, a problem
shown on the page, or a form error, never an exception; the targets forms save only what is valid."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from pairs.models import Team
from pairs.services import team_reporting_update
from reports.forms import KpiTargetForm, ReportingForm
from reports.presenters.period import eight_quarters_to, requested_period
from reports.presenters.trend import trend_periods
from reports.services import kpi_target_set
from reports.targets import KPI_DEFINITIONS
from tests.strategies import EDGE_YEARS, JUNK, assert_actionable, assert_all_valid, date_boxes, form_data, form_messages
from tests.strategies import iso_dates as iso_date_texts

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 6, 1)

period_keys = st.one_of(
    st.sampled_from(["ytd", "custom", "2024", "2024-q1", "2023-q4", "2024-q5", "2024-q0", *EDGE_YEARS, *JUNK]),
    st.builds(lambda year, q: f"{year}-q{q}", st.sampled_from(EDGE_YEARS), st.integers(-1, 9)),
    st.text(max_size=12),
)


@st.composite
def period_queries(draw) -> str:
    """A query string as a link or the picker sends it: stable dates, a period key, custom boxes, or a mix."""
    query = QueryDict(mutable=True)
    if draw(st.booleans()):
        query["start"], query["end"] = draw(iso_date_texts), draw(iso_date_texts)
    if draw(st.booleans()):
        query["period"] = draw(period_keys)
        query.update(draw(date_boxes("start")))
        query.update(draw(date_boxes("end")))
    return query.urlencode()


@pytest.fixture
def team(team_a):
    # A start saved before the bounds existed: the pages must still answer whatever the period asked for.
    Team.objects.filter(pk=team_a.pk).update(service_started_on=datetime.date(1, 1, 1))
    team_a.refresh_from_db()
    return team_a


def test_generated_period_parameters_give_a_period_or_a_problem_never_an_exception(team):
    @given(query=period_queries())
    def check(query):
        choice = requested_period(QueryDict(query), team=team, today=TODAY)
        for link in (*choice.shortcuts, *choice.neighbours):
            assert link.href.startswith("?start=")
        assert eight_quarters_to(choice.period, year_start_month=team.year_start_month, since=choice.period.start)
        assert isinstance(trend_periods(choice.period, team=team), list)  # a start outside the bounds never raises
        if choice.form.is_bound and not choice.form.is_valid():
            assert_actionable(form_messages(choice.form))

    check()


# Each request computes the whole KPI export: the 200 generated periods go through `requested_period` above, the
# code every KPI page runs first; these 20 prove the pages answer for them too.
@settings(max_examples=20)
@given(query=period_queries())
def test_generated_period_parameters_on_the_dashboard_never_answer_a_server_error(query, manager_client, team):
    response = manager_client.get(f"{reverse('reports:kpi_download', args=['json'])}?{query}")
    assert response.status_code in (200, 302, 400), response.status_code


def test_generated_reporting_settings_are_saved_valid_or_refused_in_words(team_a, manager):
    @given(data=form_data(ReportingForm()))
    def check(data):
        form = ReportingForm(data)
        if form.is_valid():
            try:
                team_reporting_update(team=team_a, actor=manager, **form.cleaned_data)
            except ValidationError as error:
                assert_actionable(error.messages)
        else:
            assert_actionable(form_messages(form))

    check()
    assert_all_valid(Team.objects.all())


@pytest.mark.parametrize("kpi", [KPI_DEFINITIONS[0], next(kpi for kpi in KPI_DEFINITIONS if kpi.is_rate)])
def test_generated_targets_are_saved_valid_or_refused_in_words(team_a, manager, kpi):
    from reports.models import KpiTarget

    @given(data=form_data(KpiTargetForm(kpi=kpi)))
    def check(data):
        form = KpiTargetForm(data, kpi=kpi)
        if form.is_valid():
            try:
                kpi_target_set(
                    team=team_a,
                    actor=manager,
                    kpi=kpi.id,
                    from_service_year=form.cleaned_data["from_service_year"],
                    annual_target=form.target_value(),
                )
            except ValidationError as error:
                assert_actionable(error.messages)
        else:
            assert_actionable(form_messages(form))

    check()
    assert_all_valid(KpiTarget.objects.all())
