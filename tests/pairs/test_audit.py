"""The audit trail: who was given the keys, who looked at the trail, and who saw lists of families."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from pairs.models import Membership, Role
from tests.factories import (
    AppointmentFactory,
    CaregiverFactory,
    GroupPlaceFactory,
    MembershipFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SURNAME = "Quixotebury"


@pytest.fixture
def superuser(db):
    return UserFactory(username="administrator", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _entries_about(instance):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(instance), object_pk=str(instance.pk))


def _user_form(user, **changes) -> dict:
    """The admin's change form of `user`, as the browser would send it."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": f"{timezone.localtime(user.date_joined):%Y-%m-%d}",
        "date_joined_1": f"{timezone.localtime(user.date_joined):%H:%M:%S}",
        **changes,
    }


def test_making_someone_a_superuser_in_the_admin_is_in_the_audit_trail(admin_client, superuser, practitioner):
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[practitioner.pk]),
        _user_form(practitioner, is_staff="on", is_superuser="on"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = _entries_about(practitioner).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == superuser
    assert entry.changes_dict["is_superuser"] == ["False", "True"]
    assert entry.changes_dict["is_staff"] == ["False", "True"]


def test_a_new_superuser_and_a_withdrawn_account_are_in_the_audit_trail():
    user = get_user_model().objects.create_superuser("another.admin", "a@example.nhs.uk", "a-long-password-123")
    assert _entries_about(user).get(action=LogEntry.Action.CREATE).changes_dict["is_superuser"] == ["None", "True"]
    user.is_active = False
    user.save()
    assert _entries_about(user).get(action=LogEntry.Action.UPDATE).changes_dict == {"is_active": ["True", "False"]}


def test_signing_in_writes_no_audit_entry_about_the_account(client, practitioner, password):
    """Only the flags are audited: `last_login` changes at every sign-in and says nothing about access rights."""
    client.post(reverse("login"), {"username": practitioner.username, "password": password})
    assert not _entries_about(practitioner).filter(action=LogEntry.Action.UPDATE).exists()


def test_changing_a_membership_is_in_the_audit_trail(admin_client, superuser, practitioner, team_a):
    membership = Membership.objects.get(user=practitioner)
    response = admin_client.post(
        reverse("admin:pairs_membership_change", args=[membership.pk]),
        {"user": practitioner.pk, "team": team_a.pk, "role": Role.MANAGER, "is_active": "on"},
    )
    assert response.status_code == 302
    entry = _entries_about(membership).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == superuser
    assert entry.changes_dict["role"] == [Role.PRACTITIONER, Role.MANAGER]


@pytest.fixture
def family(team_a):
    return CaregiverFactory(referral=ReferralFactory(team=team_a), name=f"Ada {SURNAME}")


def test_the_audit_trail_cannot_be_searched_by_a_familys_name(admin_client, family):
    changelist = reverse("admin:auditlog_logentry_changelist")
    assert (
        LogEntry.objects.filter(changes_text__icontains=SURNAME).exists()
        or LogEntry.objects.filter(changes__icontains=SURNAME).exists()
    )
    response = admin_client.get(changelist, {"q": SURNAME})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert SURNAME not in response.content.decode().replace(f"q={SURNAME}", "").replace(f'value="{SURNAME}"', "")
    assert admin_client.get(changelist, {"q": family.referral.reference}).context["cl"].result_count > 0


def test_the_audit_trail_shows_which_fields_changed_never_their_values(admin_client, family):
    entry = _entries_about(family).get(action=LogEntry.Action.CREATE)
    listing = admin_client.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    page = admin_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).content.decode()
    assert SURNAME not in listing
    assert SURNAME not in page
    assert "name" in page


def test_reading_the_audit_trail_is_itself_an_access_entry(admin_client, superuser, family):
    entry = _entries_about(family).get(action=LogEntry.Action.CREATE)
    admin_client.get(reverse("admin:auditlog_logentry_changelist"))
    admin_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    reads = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=superuser, content_type=ContentType.objects.get_for_model(LogEntry)
    ).order_by("pk")
    assert [read.additional_data["page"] for read in reads] == [
        "admin:auditlog_logentry_changelist",
        "admin:auditlog_logentry_change",
    ]
    assert entry.pk in reads[0].additional_data["shown"]["auditlog.logentry"]
    assert reads[1].additional_data["shown"] == {"auditlog.logentry": [entry.pk]}


def _page_reads(user, page: str):
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=user, additional_data__page=page)


def test_the_caseload_and_waiting_list_are_access_entries_naming_the_referrals_shown(
    practitioner_client, practitioner, team_a, family
):
    practitioner_client.get(reverse("home:caseload"), {"cases": "team"})
    practitioner_client.get(reverse("home:waiting_list"))
    caseload = _page_reads(practitioner, "home:caseload").get()
    assert caseload.object_pk == str(team_a.pk)
    assert caseload.additional_data["shown"] == {"referrals.referral": [family.referral.pk]}
    assert _page_reads(practitioner, "home:waiting_list").count() == 1


def test_the_practitioners_home_page_is_an_access_entry_naming_their_open_cases(practitioner_client, practitioner):
    referral = ReferralFactory(team=Membership.objects.get(user=practitioner).team, assigned_practitioner=practitioner)
    CaregiverFactory(referral=referral, name=f"Ada {SURNAME}")
    practitioner_client.get(reverse("home:index"))
    home = _page_reads(practitioner, "home:index").get()
    assert home.additional_data["shown"] == {"referrals.referral": [referral.pk]}


def test_the_week_view_is_an_access_entry(practitioner_client, practitioner, family):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    starts = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(10)))
    AppointmentFactory(referral=family.referral, practitioner=practitioner, starts_at=starts)
    practitioner_client.get(reverse("referrals:appointments"))
    week = _page_reads(practitioner, "referrals:appointments").get()
    assert week.additional_data["shown"] == {"referrals.referral": [family.referral.pk]}


def test_the_group_register_is_an_access_entry(practitioner_client, practitioner, team_a):
    place = GroupPlaceFactory(programme__team=team_a)
    practitioner_client.get(reverse("referrals:group_detail", args=[place.programme.pk]))
    register = _page_reads(practitioner, "referrals:group_detail").get()
    assert register.object_repr == str(place.programme)
    assert register.additional_data["shown"] == {"referrals.referral": [place.referral.pk]}


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx"])
def test_each_kpi_download_is_an_access_entry(client, team_a, file_format):
    commissioner = UserFactory(username="commissioner_download")
    MembershipFactory(user=commissioner, team=team_a, role=Role.COMMISSIONER)
    client.force_login(commissioner)
    client.get(reverse("reports:kpi_download", args=[file_format]), {"period": "custom"})
    download = _page_reads(commissioner, "reports:kpi_download").get()
    assert download.object_pk == str(team_a.pk)
    assert {"start", "end"} <= set(download.additional_data)
