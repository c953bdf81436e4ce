"""The search page (`/search/?q=`) and the header's search box: for each role and team B, the results, the "no
results" tips, the pages, the audit of every search, and a fixed number of queries."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pairs.models import Team
from tests.referrals.test_search import family

pytestmark = pytest.mark.django_db

SEARCH = reverse("home:search")


def searches(team) -> list[dict]:
    team_type = ContentType.objects.get_for_model(Team)
    entries = LogEntry.objects.filter(content_type=team_type, object_pk=str(team.pk), action=LogEntry.Action.ACCESS)
    return [entry.additional_data for entry in entries.order_by("pk")]


def test_a_practitioner_finds_a_family_with_its_reference_names_infant_status_and_practitioner(
    practitioner_client, team_a, practitioner
):
    amy = family(team_a, practitioner, names=("Zoë Ashbrook", "Dan Birchley"), infant="Noé")
    family(team_a, practitioner, names=("Kirsty Maplewell",))
    response = practitioner_client.get(SEARCH, {"q": "zoe"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 family found for <strong>zoe</strong>" in html
    assert f'href="{amy.get_absolute_url()}"' in html
    for shown in (amy.reference, "Zoë Ashbrook", "Dan Birchley", "Noé", "Awaiting decision", "Not assigned"):
        assert shown in html
    assert "Maplewell" not in html
    # The header's box keeps what was searched for.
    assert 'id="search-field" name="q" type="search" autocomplete="off" placeholder="Find a family" value="zoe"' in html


def test_every_search_is_an_audited_access_of_what_was_searched_and_what_was_shown(
    manager_client, team_a, practitioner, manager
):
    amy = family(team_a, practitioner)
    manager_client.get(SEARCH, {"q": " Amy  "})
    manager_client.get(SEARCH, {"q": "nobody"})
    assert searches(team_a) == [
        {"search": "Amy", "shown": [amy.reference], "shown_ids": [amy.pk]},
        {"search": "nobody", "shown": [], "shown_ids": []},
    ]
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk").actor == manager


def test_an_empty_search_shows_the_form_and_audits_nothing(practitioner_client, team_a):
    html = practitioner_client.get(SEARCH).content.decode()
    assert "<h1>Find a family</h1>" in html
    assert "found for" not in html
    assert "No families found" not in html
    assert searches(team_a) == []


def test_no_results_say_so_with_tips(practitioner_client, team_a, practitioner):
    family(team_a, practitioner)
    html = practitioner_client.get(SEARCH, {"q": "Quillstead"}).content.decode()
    assert "No families found for Quillstead" in html
    assert "check the spelling" in html
    assert "Search looks in the referrals of Team A only" in html


def test_too_short_a_search_asks_for_more(practitioner_client, team_a, practitioner):
    family(team_a, practitioner)
    html = practitioner_client.get(SEARCH, {"q": "a"}).content.decode()
    assert "Enter at least 2 letters or digits." in html


def test_results_come_a_page_at_a_time(practitioner_client, team_a, practitioner):
    for number in range(27):
        family(team_a, practitioner, names=(f"Amy Ashbrook{number}",), infant="")
    first = practitioner_client.get(SEARCH, {"q": "ashbrook"}).content.decode()
    assert "27 families found for <strong>ashbrook</strong>, page 1 of 2." in first
    second = practitioner_client.get(SEARCH, {"q": "ashbrook", "page": "2"}).content.decode()
    assert "page 2 of 2." in second
    assert [len(entry["shown"]) for entry in searches(team_a)] == [25, 2]
    assert practitioner_client.get(SEARCH, {"q": "ashbrook", "page": "x"}).status_code == 200


def test_team_b_finds_none_of_team_a_s_families(practitioner_b_client, team_a, team_b, practitioner):
    family(team_a, practitioner)
    html = practitioner_b_client.get(SEARCH, {"q": "amy"}).content.decode()
    assert "No families found for amy" in html
    assert "Search looks in the referrals of Team B only" in html


def test_a_commissioner_has_no_search_and_no_box(commissioner_client, team_a, practitioner):
    family(team_a, practitioner)
    assert commissioner_client.get(SEARCH, {"q": "amy"}).status_code == 403
    assert 'id="search-field"' not in commissioner_client.get(reverse("home:index")).content.decode()
    assert searches(team_a) == []


def test_signed_out_people_are_sent_to_sign_in_and_see_no_box(client):
    response = client.get(SEARCH, {"q": "amy"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert 'id="search-field"' not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("page", ["home:index", "home:caseload", "home:waiting_list", "referrals:create"])
def test_the_search_box_is_in_the_header_of_the_casework_pages(practitioner_client, page):
    html = practitioner_client.get(reverse(page)).content.decode()
    assert f'<form class="nhsuk-header__search-form" id="search" action="{SEARCH}" method="get" novalidate>' in html


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_number_of_families(
    practitioner_client, team_a, practitioner
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert practitioner_client.get(SEARCH, {"q": "ashbrook"}).status_code == 200
        return len(captured)

    family(team_a, practitioner, names=("Amy Ashbrook", "Dan Ashbrook"))
    few = queries()
    for number in range(12):
        family(team_a, practitioner, names=(f"Amy Ashbrook{number}", "Dan Ashbrook"))
    assert queries() == few
