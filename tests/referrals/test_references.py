"""Case references (`referrals.services.references`): the team's scheme for new referrals, imports keeping their
own, and two referrals created at the same time never sharing one."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from pairs.models import ReferencePattern, Team
from pairs.services import team_reference_scheme_update
from referrals.models import Referral
from referrals.services.references import reference_allocate
from tests.referrals.builders import TODAY
from tests.referrals.test_search import family

pytestmark = pytest.mark.django_db


def new_referral(team, actor, *, received_on=None, reference=""):
    referral = family(team, actor, infant="", reference=reference)
    if received_on is not None:
        Referral.objects.filter(pk=referral.pk).update(received_on=received_on)
    return referral.reference


def yearly(team, prefix="BPL-") -> Team:
    Team.objects.filter(pk=team.pk).update(reference_prefix=prefix, reference_pattern=ReferencePattern.YEAR_NUMBER)
    team.refresh_from_db()
    return team


def test_by_default_a_team_numbers_its_referrals_ref_and_six_digits_each_team_its_own(
    team_a, team_b, practitioner, practitioner_b
):
    assert [new_referral(team_a, practitioner) for _ in range(2)] == ["REF-000001", "REF-000002"]
    assert new_referral(team_b, practitioner_b) == "REF-000001"


def test_a_yearly_scheme_carries_the_year_received(team_a, practitioner):
    yearly(team_a)
    this_year = family(team_a, practitioner, infant="").received_on.year
    assert Referral.objects.in_team(team_a).get().reference == f"BPL-{this_year}-0001"
    assert new_referral(team_a, practitioner) == f"BPL-{this_year}-0002"


def test_a_yearly_scheme_numbers_afresh_each_year(team_a):
    yearly(team_a)
    assert reference_allocate(team_a, datetime.date(2024, 12, 31)) == "BPL-2024-0001"
    assert reference_allocate(team_a, datetime.date(2025, 1, 1)) == "BPL-2025-0001"
    assert reference_allocate(team_a, datetime.date(2024, 6, 1)) == "BPL-2024-0002"


def test_imported_references_are_kept_and_new_numbers_pass_them(team_a, practitioner):
    yearly(team_a)
    this_year = (TODAY - datetime.timedelta(days=10)).year  # when `family` receives its referrals
    imported = new_referral(team_a, practitioner, reference=f"BPL-{this_year}-0041")
    assert imported == f"BPL-{this_year}-0041"
    new_referral(team_a, practitioner, reference="OLD-7")
    assert new_referral(team_a, practitioner) == f"BPL-{this_year}-0042"


def test_a_reference_given_twice_is_refused_with_nothing_saved(team_a, practitioner):
    new_referral(team_a, practitioner, reference="BPL-2023-0001")
    with pytest.raises(ValidationError, match="already exists"):
        new_referral(team_a, practitioner, reference="BPL-2023-0001")
    assert Referral.objects.in_team(team_a).count() == 1


# The scheme, a team setting -------------------------------------------------------------------------------------


def test_the_service_manager_sets_the_scheme_and_new_referrals_follow_it(team_a, manager, practitioner):
    new_referral(team_a, practitioner)
    team_reference_scheme_update(team=team_a, actor=manager, prefix="PIP/", pattern=ReferencePattern.NUMBER)
    team_a.refresh_from_db()
    assert new_referral(team_a, practitioner) == "PIP/000001"
    assert Referral.objects.in_team(team_a).filter(reference="REF-000001").exists()


@pytest.mark.parametrize("prefix", ["", "ref-", "REF 1", "-REF", "A" * 13])
def test_a_prefix_that_is_not_capitals_digits_hyphens_or_slashes_is_refused(team_a, manager, prefix):
    with pytest.raises(ValidationError) as refused:
        team_reference_scheme_update(team=team_a, actor=manager, prefix=prefix, pattern=ReferencePattern.NUMBER)
    assert "reference_prefix" in refused.value.message_dict
    team_a.refresh_from_db()
    assert team_a.reference_prefix == "REF-"


def test_a_scheme_that_is_not_one_of_the_patterns_is_refused(team_a, manager):
    with pytest.raises(ValidationError) as refused:
        team_reference_scheme_update(team=team_a, actor=manager, prefix="BPL-", pattern="NNNN")
    assert "reference_pattern" in refused.value.message_dict
    team_a.refresh_from_db()
    assert (team_a.reference_prefix, team_a.reference_pattern) == ("REF-", ReferencePattern.NUMBER)


@pytest.mark.parametrize("who", ["practitioner", "commissioner", "practitioner_b"])
def test_only_the_team_s_service_manager_sets_the_scheme(request, team_a, who):
    with pytest.raises(ValidationError, match="Only the team's service manager"):
        team_reference_scheme_update(
            team=team_a, actor=request.getfixturevalue(who), prefix="BPL-", pattern=ReferencePattern.NUMBER
        )


# At the same time -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pattern", list(ReferencePattern))
def test_referrals_created_at_the_same_time_never_share_a_reference(vocabularies, team_a, practitioner, pattern):
    """Each thread has its own connection: on PostgreSQL the counter's row lock makes the second wait; on SQLite the
    IMMEDIATE transactions do (config/settings.py)."""
    Team.objects.filter(pk=team_a.pk).update(reference_pattern=pattern)
    team_a.refresh_from_db()
    start = threading.Barrier(4)
    references, errors = [], []

    def create():
        try:
            start.wait()
            references.append(new_referral(team_a, practitioner))
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(references)) == 4
    assert Referral.objects.in_team(team_a).count() == 4


# The page where the service manager sets the scheme (referrals.views.references) --------------------------------


def test_the_manager_sets_the_scheme_and_the_next_referral_follows_it(manager_client, team_a, practitioner):
    url = reverse("referrals:reference_scheme")
    page = manager_client.get(url).content.decode()
    assert "Case references of new referrals" in page
    assert 'value="REF-"' in page
    response = manager_client.post(url, {"reference_prefix": "ncl/", "reference_pattern": ReferencePattern.NUMBER})
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert (team_a.reference_prefix, team_a.reference_pattern) == ("NCL/", ReferencePattern.NUMBER)
    assert new_referral(team_a, practitioner) == "NCL/000001"


def test_a_prefix_the_scheme_cannot_use_is_refused_in_words_and_nothing_is_saved(manager_client, team_a):
    response = manager_client.post(
        reverse("referrals:reference_scheme"), {"reference_prefix": "-X", "reference_pattern": "sometimes"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    response = manager_client.post(
        reverse("referrals:reference_scheme"), {"reference_prefix": "-X", "reference_pattern": ReferencePattern.NUMBER}
    )
    assert "Enter capital letters, digits, hyphens or slashes" in response.content.decode()
    team_a.refresh_from_db()
    assert team_a.reference_prefix == "REF-"


@pytest.mark.parametrize("client_fixture", ["practitioner_client", "commissioner_client"])
def test_only_the_service_manager_sets_the_scheme(request, client_fixture, team_a):
    client = request.getfixturevalue(client_fixture)
    url = reverse("referrals:reference_scheme")
    assert client.get(url).status_code == 403
    assert client.post(url, {"reference_prefix": "X-", "reference_pattern": ReferencePattern.NUMBER}).status_code == 403
    team_a.refresh_from_db()
    assert team_a.reference_prefix == "REF-"
