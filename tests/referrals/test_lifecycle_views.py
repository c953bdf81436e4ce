import datetime

import pytest
from django.urls import reverse

from pairs.models import Role
from referrals.models import Correction, DeclineReason, Infant, Restriction, RetentionReview
from referrals.pipeline import EventKind
from referrals.services import lifecycle, referral_move
from tests.conftest import SignedInClient
from tests.factories import MembershipFactory, UserFactory
from tests.referrals.builders import TODAY, date_data, make_referral, reason
from tests.referrals.test_views import errors_of

pytestmark = pytest.mark.django_db

RECORD_PAGES = ["restrict", "restriction_lift", "retention_review"]
TEAM_PAGES = ["retention", "retention_settings"]


@pytest.fixture
def manager_b(team_b):
    user = UserFactory(username="manager_b")
    MembershipFactory(user=user, team=team_b, role=Role.MANAGER)
    return user


@pytest.fixture
def old_referral(team_a, practitioner):
    """Declined in 2000, its infant born in 1999: past the default retention date."""
    referral = make_referral(team=team_a, actor=practitioner, received_on=datetime.date(2000, 1, 3))
    Infant.objects.filter(referral=referral).update(date_of_birth=datetime.date(1999, 5, 1))
    referral_move(
        actor=practitioner,
        referral=referral,
        kind=EventKind.NOT_ACCEPTED,
        occurred_on=datetime.date(2000, 1, 10),
        reason=reason(DeclineReason, "outside_area"),
    )
    return referral


def urls_for(referral) -> list[str]:
    return [reverse(f"referrals:{name}", args=[referral.pk]) for name in RECORD_PAGES] + [
        reverse(f"referrals:{name}") for name in TEAM_PAGES
    ]


def test_the_manager_reaches_every_lifecycle_page(manager_client, old_referral):
    for url in urls_for(old_referral):
        assert manager_client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["practitioner", "commissioner"])
def test_the_teams_practitioner_and_commissioner_are_refused(client, who, request, old_referral):
    client.force_login(request.getfixturevalue(who))
    for url in urls_for(old_referral):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x", "lift_reason": "x"}).status_code == 403, url
    assert not Restriction.objects.exists()


@pytest.mark.parametrize("who", ["practitioner_b", "manager_b"])
def test_another_teams_staff_get_404_for_a_record(client, who, request, old_referral):
    client.force_login(request.getfixturevalue(who))
    for name in RECORD_PAGES:
        url = reverse(f"referrals:{name}", args=[old_referral.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"reason": "x", "decision": "delete"}).status_code == 404, name
    assert not Restriction.objects.exists()
    assert not RetentionReview.objects.exists()


def test_another_teams_manager_sees_none_of_team_as_records_past_retention(client, manager_b, old_referral):
    client.force_login(manager_b)
    page = client.get(reverse("referrals:retention")).content.decode()
    assert old_referral.reference not in page
    assert "No records are due for review." in page


def test_signed_out_visitors_are_sent_to_sign_in(client, old_referral):
    for url in urls_for(old_referral):
        assert client.get(url).status_code == 302, url


def test_a_manager_restricts_and_the_record_shows_the_notice(team_a, practitioner, manager):
    manager_client, practitioner_client = SignedInClient(), SignedInClient()
    manager_client.force_login(manager)
    practitioner_client.force_login(practitioner)
    referral = make_referral(team=team_a, actor=practitioner)
    response = manager_client.post(reverse("referrals:restrict", args=[referral.pk]), {"reason": "Contests details"})
    assert response.status_code == 302
    assert response.url == referral.get_absolute_url()
    page = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert "Processing restricted" in page
    assert "Reason: Contests details" in page
    assert reverse("referrals:restriction_lift", args=[referral.pk]) not in page  # the practitioner cannot lift it
    manager_page = manager_client.get(referral.get_absolute_url()).content.decode()
    assert reverse("referrals:restriction_lift", args=[referral.pk]) in manager_page


def test_a_restricted_record_offers_nothing_its_save_would_refuse_until_the_restriction_is_lifted(
    practitioner_client, team_a, practitioner, manager
):
    referral = make_referral(team=team_a, actor=practitioner)
    writes = [
        reverse("referrals:edit", args=[referral.pk]),
        reverse("referrals:levels", args=[referral.pk]),
        reverse("referrals:infant_create", args=[referral.pk]),
        reverse("referrals:appointment_book", args=[referral.pk]),
        f"/referrals/{referral.pk}/move/",  # the forms of the pipeline's moves
        reverse("outcomes:not_completed", args=[referral.pk]),  # the outcomes panel's
    ]
    before = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert all(write in before for write in writes)

    lifecycle.restriction_place(actor=manager, referral=referral, reason="Contests details")
    restricted = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert [write for write in writes if write in restricted] == []
    assert "None while the records are restricted." in restricted

    lifecycle.restriction_lift(actor=manager, referral=referral, reason="Details corrected")
    after = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert all(write in after for write in writes)


def test_a_restriction_without_a_reason_is_shown_the_error_and_not_saved(manager_client, team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    response = manager_client.post(reverse("referrals:restrict", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 200
    assert errors_of(response) == ["Enter why processing of these records is restricted"]
    assert not Restriction.objects.exists()


def test_a_restricted_record_refuses_an_edit_with_the_reason_why(practitioner_client, team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    lifecycle.restriction_place(actor=manager, referral=referral, reason="Objected")
    caregiver = referral.caregivers.get()
    response = practitioner_client.post(
        reverse("referrals:caregiver_edit", args=[referral.pk, caregiver.pk]),
        {"version": caregiver.version, "name": "Other Name", "role": "mother", "reason": "Misspelt"},
    )
    assert response.status_code == 200
    assert any("are restricted" in error for error in errors_of(response))
    caregiver.refresh_from_db()
    assert caregiver.name != "Other Name"


def test_a_manager_lifts_a_restriction_with_a_reason(manager_client, team_a, practitioner, manager):
    referral = make_referral(team=team_a, actor=practitioner)
    lifecycle.restriction_place(actor=manager, referral=referral, reason="Objected")
    url = reverse("referrals:restriction_lift", args=[referral.pk])
    assert errors_of(manager_client.post(url, {"lift_reason": ""})) == ["Enter why the restriction is lifted"]
    assert manager_client.post(url, {"lift_reason": "Resolved"}).status_code == 302
    assert not Restriction.objects.active().exists()
    assert "Processing restricted" not in manager_client.get(referral.get_absolute_url()).content.decode()


def test_a_correction_asks_why_and_the_record_shows_its_history(practitioner_client, team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    caregiver = referral.caregivers.get()
    url = reverse("referrals:caregiver_edit", args=[referral.pk, caregiver.pk])
    data = {
        "version": caregiver.version,
        "name": "Amy Sample",
        "role": "mother",
        "ethnicity": "white",
        "postcode": caregiver.postcode,
        **date_data("date_of_birth", caregiver.date_of_birth),
    }
    missing = practitioner_client.post(url, data)
    assert errors_of(missing) == ["Enter why the details are being corrected"]
    assert not Correction.objects.exists()
    assert practitioner_client.post(url, {**data, "reason": "Misspelt at referral"}).status_code == 302
    page = practitioner_client.get(referral.get_absolute_url()).content.decode()
    assert "Corrections to the family&#x27;s details" in page or "Corrections to the family's details" in page
    assert "Misspelt at referral" in page
    assert "to Amy Sample" in page


def test_an_infant_correction_asks_why(practitioner_client, team_a, practitioner):
    referral = make_referral(team=team_a, actor=practitioner)
    infant = referral.infants.get()
    url = reverse("referrals:infant_edit", args=[referral.pk, infant.pk])
    data = {"version": infant.version, "name": "Isla", **date_data("date_of_birth", infant.date_of_birth)}
    assert errors_of(practitioner_client.post(url, data)) == ["Enter why the details are being corrected"]
    assert practitioner_client.post(url, {**data, "reason": "Named since"}).status_code == 302
    assert Correction.objects.get().reason == "Named since"


def test_the_retention_page_lists_the_record_and_a_review_is_recorded(manager_client, old_referral):
    page = manager_client.get(reverse("referrals:retention")).content.decode()
    assert old_referral.reference in page
    assert "25 years after the youngest infant&#x27;s birth on 1 May 1999" in page
    review_url = reverse("referrals:retention_review", args=[old_referral.pk])
    assert review_url in page
    bad = manager_client.post(review_url, {"decision": "keep", "reason": "Review open"})
    assert errors_of(bad) == ["Enter the date until which the records are kept"]
    assert not RetentionReview.objects.exists()
    keep_until = TODAY + datetime.timedelta(days=90)
    response = manager_client.post(
        review_url, {"decision": "keep", "reason": "Review open", **date_data("keep_until", keep_until)}
    )
    assert response.status_code == 302
    assert response.url == reverse("referrals:retention")
    page = manager_client.get(reverse("referrals:retention")).content.decode()
    assert "No records are due for review." in page
    assert f"Keep until {keep_until.day} " in page


def test_the_manager_changes_the_retention_periods(manager_client, team_a):
    url = reverse("referrals:retention_settings")
    bad = manager_client.post(url, {"years_after_birth": "0", "years_after_closure": "eight"})
    assert set(errors_of(bad)) == {
        "Ensure this value is greater than or equal to 1.",
        "Enter the years as a whole number, like 8",
    }
    assert manager_client.post(url, {"years_after_birth": "26", "years_after_closure": "9"}).status_code == 302
    team_a.refresh_from_db()
    assert (team_a.retention_years_after_birth, team_a.retention_years_after_closure) == (26, 9)


def test_the_managers_home_links_to_the_retention_review(manager_client):
    assert reverse("referrals:retention") in manager_client.get(reverse("home:index")).content.decode()
