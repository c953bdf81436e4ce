import datetime
import html
import re
import uuid

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from pairs.models import Service
from referrals import services, urls
from referrals.audit import access_record, audit_history
from referrals.models import (
    Appointment,
    DisengagementReason,
    GroupPlace,
    GroupSession,
    HoldReason,
    Intervention,
    PipelineEvent,
    Referral,
)
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.views.lifecycle import AUDIT_PAGE_ENTRIES
from referrals.views.referral import RECORD_AUDIT_ENTRIES
from tests.factories import (
    AppointmentFactory,
    CaregiverFactory,
    GroupPlaceFactory,
    GroupProgrammeFactory,
    InterventionEpisodeFactory,
)
from tests.referrals.builders import TODAY, add_referrals, date_data, make_referral, reason

pytestmark = pytest.mark.django_db


def errors_of(response) -> list[str]:
    """The texts of the page's error summary."""
    summary = re.search(r'nhsuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S)
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


# Team scoping ---------------------------------------------------------------------------------------------------


@pytest.fixture
def team_a_records(team_a, practitioner):
    """One of every record a referral URL can name, all in team A."""
    referral = make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.INTERVENTION))
    programme = GroupProgrammeFactory(team=team_a, created_by=practitioner)
    place = GroupPlaceFactory(programme=programme, referral=referral)
    session = GroupSession.objects.create(programme=programme, number=1, held_on=TODAY)
    return {
        "pk": referral.pk,
        "caregiver_pk": referral.caregivers.get().pk,
        "infant_pk": referral.infants.get().pk,
        "move": "complete",
        "appointment_pk": AppointmentFactory(referral=referral, practitioner=practitioner).pk,
        "episode_pk": referral.interventions.get().pk,
        "place_pk": place.pk,
        "session_pk": session.pk,
        "programme_pk": programme.pk,
    }


def url_of(pattern: URLPattern, records: dict) -> str:
    # Group URLs name their programme `pk`.
    lookup = {**records, "pk": records["programme_pk"]} if pattern.name.startswith("group") else records
    arguments = {name: lookup[name] for name in pattern.pattern.converters}
    return reverse(f"referrals:{pattern.name}", kwargs=arguments)


RECORD_URLS = [pattern for pattern in urls.urlpatterns if pattern.pattern.converters]
# The service manager's pages (the records' lifecycle, the team's case references) have their own tests
# (tests/referrals/test_lifecycle_views.py, test_references.py).
MANAGERS_PAGES = {"referrals.views.lifecycle", "referrals.views.references"}
CASEWORK_URLS = [pattern for pattern in urls.urlpatterns if pattern.callback.__module__ not in MANAGERS_PAGES]
LIST_URLS = [pattern for pattern in CASEWORK_URLS if not pattern.pattern.converters]


def test_every_record_url_is_404_to_another_team_for_reads_and_writes(client, practitioner_b, team_a_records):
    client.force_login(practitioner_b)
    writes_before = (PipelineEvent.objects.count(), LogEntry.objects.count())
    for pattern in RECORD_URLS:
        url = url_of(pattern, team_a_records)
        assert client.get(url).status_code == 404, pattern.name
        assert client.post(url, {"version": 1}).status_code == 404, pattern.name
    assert (PipelineEvent.objects.count(), LogEntry.objects.count()) == writes_before


def test_commissioners_are_refused_every_referral_url(client, commissioner, team_a_records):
    client.force_login(commissioner)
    for pattern in urls.urlpatterns:
        url = url_of(pattern, team_a_records)
        assert client.get(url).status_code == 403, pattern.name
        assert client.post(url, {"version": 1}).status_code == 403, pattern.name


def test_the_practitioners_own_team_reaches_every_page(practitioner_client, team_a_records):
    for pattern in CASEWORK_URLS:
        if pattern.name == "move":
            continue  # one move page per move, below
        assert practitioner_client.get(url_of(pattern, team_a_records)).status_code == 200, pattern.name
    for move in ("complete", "disengage", "hold"):
        url = reverse("referrals:move", args=[team_a_records["pk"], move])
        assert practitioner_client.get(url).status_code == 200


def test_list_pages_show_nothing_of_another_team(practitioner_b_client, team_a_records):
    for pattern in LIST_URLS:
        response = practitioner_b_client.get(reverse(f"referrals:{pattern.name}") + "?cases=team&status=all")
        assert response.status_code == 200
        assert "FAC-" not in response.content.decode(), pattern.name


# Query counts ---------------------------------------------------------------------------------------------------


def test_the_record_reads_the_same_number_of_queries_however_much_it_holds(
    manager_client, manager, team_a, django_assert_num_queries
):
    """The manager's view, with the audit history: one query per kind of record, whatever their number."""

    def add_to(referral, count):
        for _ in range(count):
            AppointmentFactory(referral=referral, practitioner=manager)
            InterventionEpisodeFactory(referral=referral)
            GroupPlaceFactory(programme=GroupProgrammeFactory(team=team_a), referral=referral)

    add_referrals(team_a, manager, 5)
    referral = make_referral(team=team_a, actor=manager, state=State(Status.ON_HOLD, Stage.INTERVENTION))
    add_to(referral, 1)
    url = reverse("referrals:detail", args=[referral.pk])
    manager_client.get(url)
    with CaptureQueriesContext(connection) as small:
        manager_client.get(url)
    add_referrals(team_a, manager, 45)
    CaregiverFactory(referral=referral, position=2)
    add_to(referral, 10)
    services.referral_move(kind=EventKind.RESUMED, referral=referral, actor=manager, occurred_on=TODAY)
    services.referral_move(
        kind=EventKind.ON_HOLD, referral=referral, actor=manager, occurred_on=TODAY, reason=reason(HoldReason)
    )
    with CaptureQueriesContext(connection) as large:
        response = manager_client.get(url)
    assert response.status_code == 200
    # The audit history names the records its latest entries change, one query per kind of record: the latest
    # entries of the larger record are about fewer kinds (mostly views), so fewer queries, never more.
    assert len(large) <= len(small)
    # A budget, not a count: 30 today, with the two-factor device, the clocks and the lifecycle's panels.
    assert len(small) <= 32


# New referral ---------------------------------------------------------------------------------------------------


def new_referral_data(token, **overrides) -> dict:
    data = {
        **date_data("received_on", TODAY),
        "referrer_service": str(Service.objects.get(code="health_visiting").pk),
        "pathway": "individual",
        "reason": "Struggling to bond; low mood since the birth.",
        "consent_to_share": "True",
        "assigned_practitioner": "",
        "submission_token": str(token),
        "caregivers-TOTAL_FORMS": "2",
        "caregivers-INITIAL_FORMS": "0",
        "caregivers-MIN_NUM_FORMS": "1",
        "caregivers-MAX_NUM_FORMS": "2",
        "caregivers-0-name": "Amy Bell",
        "caregivers-0-role": "mother",
        **date_data("caregivers-0-date_of_birth", datetime.date(1995, 3, 14)),
        "caregivers-0-ethnicity": "white",
        "caregivers-0-postcode": "FY1 1AD",
        "caregivers-0-nhs_number": "943 476 5919",
        "infants-TOTAL_FORMS": "2",
        "infants-INITIAL_FORMS": "0",
        "infants-MIN_NUM_FORMS": "1",
        "infants-MAX_NUM_FORMS": "3",
        "infants-0-name": "Ben",
        **date_data("infants-0-date_of_birth", TODAY - datetime.timedelta(days=90)),
    }
    data.update(overrides)
    return data


def test_the_new_referral_form_shows_every_mistake_in_the_error_summary(practitioner_client):
    response = practitioner_client.get(reverse("referrals:create"))
    token = response.context["form"]["submission_token"].value()
    data = new_referral_data(
        token, **{"caregivers-0-name": "", "caregivers-0-nhs_number": "943 476 5918", "reason": "", "pathway": ""}
    )
    response = practitioner_client.post(reverse("referrals:create"), data)
    assert response.status_code == 200
    assert "<title>Error: New referral" in response.content.decode()
    assert errors_of(response) == [
        "Choose individual or group work",
        "Enter the reason for referral",
        "First caregiver: Enter the caregiver's name",
        "First caregiver: Enter a valid NHS number: the last digit does not match the others. "
        "Check it against the letter or record",
    ]
    assert 'href="#id_caregivers-0-nhs_number"' in response.content.decode()
    assert not Referral.objects.exists()


def test_a_new_referral_is_saved_once_however_often_the_form_is_sent(practitioner_client, practitioner):
    token = uuid.uuid4()
    data = new_referral_data(token, assigned_practitioner=str(practitioner.pk))
    first = practitioner_client.post(reverse("referrals:create"), data)
    referral = Referral.objects.get()
    assert first.url == referral.get_absolute_url()
    again = practitioner_client.post(reverse("referrals:create"), data)
    assert again.url == referral.get_absolute_url()
    assert Referral.objects.count() == 1
    assert (referral.reference, referral.assigned_practitioner, referral.is_antenatal) == (
        "REF-000001",
        practitioner,
        False,
    )
    assert referral.caregivers.get().nhs_number == "9434765919"


def test_an_open_referral_of_the_same_family_is_flagged_before_saving(practitioner_client, referral_in):
    existing = referral_in(State(Status.IN_PROGRESS, Stage.ASSESSMENT))
    CaregiverFactory(referral=existing, position=2, name="amy bell", date_of_birth=datetime.date(1995, 3, 14))
    token = uuid.uuid4()
    data = new_referral_data(token, **{"caregivers-0-nhs_number": ""})
    warned = practitioner_client.post(reverse("referrals:create"), data)
    assert warned.status_code == 200
    assert "may already have an open referral" in warned.content.decode()
    assert existing.reference in warned.content.decode()
    assert Referral.objects.count() == 1
    confirmed = practitioner_client.post(reverse("referrals:create"), {**data, "confirm_new": "on"})
    assert confirmed.status_code == 302
    assert Referral.objects.count() == 2


def test_the_same_nhs_number_is_flagged_but_a_closed_referral_is_not(practitioner_client, referral_in):
    open_one = referral_in(State(Status.ON_HOLD, Stage.REFERRAL))
    open_one.caregivers.update(nhs_number="9434765919")
    closed = referral_in(State(Status.COMPLETED, Stage.INTERVENTION))
    closed.caregivers.update(nhs_number="4010232137")
    warned = practitioner_client.post(reverse("referrals:create"), new_referral_data(uuid.uuid4()))
    assert open_one.reference in warned.content.decode()
    other = new_referral_data(uuid.uuid4(), **{"caregivers-0-nhs_number": "4010232137"})
    assert practitioner_client.post(reverse("referrals:create"), other).status_code == 302


# The record -----------------------------------------------------------------------------------------------------


def test_every_view_of_a_record_is_logged_without_clinical_content(practitioner_client, practitioner, referral_in):
    referral = referral_in()
    practitioner_client.get(reverse("referrals:detail", args=[referral.pk]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk, entry.object_repr) == (practitioner, str(referral.pk), referral.reference)
    assert entry.changes is None
    assert entry.serialized_data is None


def test_only_a_service_manager_reads_the_audit_history(practitioner_client, client, manager, referral_in):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL))
    url = reverse("referrals:detail", args=[referral.pk])
    assert "Audit history" not in practitioner_client.get(url).content.decode()
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "Audit history" in page
    assert "Viewed: referral" in page
    assert "Created: pipeline event" in page
    assert reverse("referrals:audit_history", args=[referral.pk]) not in page


def test_the_record_shows_the_latest_audit_entries_and_the_full_history_pages_them_all(manager_client, referral_in):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL))
    record_url = reverse("referrals:detail", args=[referral.pk])
    history_url = reverse("referrals:audit_history", args=[referral.pk])
    for _ in range(RECORD_AUDIT_ENTRIES + AUDIT_PAGE_ENTRIES):
        access_record(instance=referral, actor=referral.created_by)

    page = manager_client.get(record_url).content.decode()
    assert f"the latest {RECORD_AUDIT_ENTRIES} entries" in page
    assert page.count('aria-hidden="true">When </span>') == RECORD_AUDIT_ENTRIES
    assert f'href="{history_url}"' in page

    # Each page lists its own view of the record too.
    first = manager_client.get(history_url)
    assert first.status_code == 200
    entries = audit_history(referral).count()
    assert f"{entries} entries, 1 to {AUDIT_PAGE_ENTRIES} on this page" in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()
    last = manager_client.get(history_url, {"page": 2}).content.decode()
    assert f"{AUDIT_PAGE_ENTRIES + 1} to {audit_history(referral).count()} on this page" in last
    assert "Created: pipeline event" in last
    assert 'rel="next"' not in last
    assert manager_client.post(history_url).status_code == 405


def test_a_move_from_the_record_page(practitioner_client, referral_in):
    referral = referral_in()
    url = reverse("referrals:move", args=[referral.pk, "accept"])
    data = {**date_data("accept-occurred_on", TODAY), "accept-version": str(referral.version)}
    response = practitioner_client.post(url, {**data, "accept-safeguarding_level": "2"})
    assert response.url == referral.get_absolute_url()
    referral.refresh_from_db()
    assert referral.safeguarding_level == 2
    assert Referral.objects.with_current_status().get().status_as_at == Status.IN_PROGRESS


def test_a_forbidden_move_is_explained_and_changes_nothing(practitioner_client, referral_in):
    referral = referral_in()
    url = reverse("referrals:move", args=[referral.pk, "disengage"])
    data = {
        **date_data("disengage-occurred_on", TODAY),
        "disengage-version": str(referral.version),
        "disengage-disengagement_reason": str(reason(DisengagementReason).pk),
    }
    response = practitioner_client.post(url, data)
    assert errors_of(response) == ["You cannot record a disengagement for a referral that is awaiting decision."]
    assert referral.events.count() == 1


def test_reopening_is_refused_to_practitioners(practitioner_client, referral_in):
    referral = referral_in(State(Status.NOT_ACCEPTED, Stage.REFERRAL))
    assert practitioner_client.get(reverse("referrals:move", args=[referral.pk, "reopen"])).status_code == 403
    assert "Reopen" not in practitioner_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()


def test_a_stale_edit_is_refused_with_a_message(practitioner_client, manager, referral_in):
    referral = referral_in()
    url = reverse("referrals:edit", args=[referral.pk])
    opened = practitioner_client.get(url).context["form"].initial
    services.referral_levels_record(
        referral=referral,
        actor=manager,
        recorded_on=TODAY,
        safeguarding_level=1,
        risk_count=0,
        thrive_level=None,
        imd_decile=None,
    )
    data = {
        "version": str(opened["version"]),
        "referrer_service": str(referral.referrer_service_id),
        "pathway": "group",
        "reason": "Changed in a stale form",
        "consent_to_share": "True",
        "assigned_practitioner": "",
    }
    response = practitioner_client.post(url, data)
    assert response.status_code == 200
    assert errors_of(response)[0].startswith("Someone else changed this referral after you opened the form")
    referral.refresh_from_db()
    assert referral.pathway == "individual"


# Lists ----------------------------------------------------------------------------------------------------------


def test_the_week_view_shows_a_practitioners_appointments_day_by_day(practitioner_client, practitioner, referral_in):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.ASSESSMENT))
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    at = timezone.make_aware(datetime.datetime.combine(monday + datetime.timedelta(days=2), datetime.time(10, 30)))
    AppointmentFactory(referral=referral, practitioner=practitioner, starts_at=at)
    AppointmentFactory(referral=referral, practitioner=practitioner, starts_at=at + datetime.timedelta(days=7))
    response = practitioner_client.get(reverse("referrals:appointments"))
    days = dict(response.context["days"])
    assert [appointment.starts_at for appointment in days[monday + datetime.timedelta(days=2)]] == [at]
    assert sum(len(appointments) for appointments in days.values()) == 1
    following = practitioner_client.get(
        reverse("referrals:appointments"), {"week": f"{monday + datetime.timedelta(days=7):%Y-%m-%d}"}
    )
    assert sum(len(appointments) for _, appointments in following.context["days"]) == 1


def test_booking_and_recording_an_appointment_through_the_pages(practitioner_client, practitioner, referral_in):
    referral = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL))
    day = TODAY - datetime.timedelta(days=1)
    book = {
        "practitioner": str(practitioner.pk),
        **date_data("day", day),
        "time": "09:30",
        "kind": "assessment",
        "mode": "home",
    }
    assert practitioner_client.post(reverse("referrals:appointment_book", args=[referral.pk]), book).status_code == 302
    appointment = Appointment.objects.get()
    assert timezone.localtime(appointment.starts_at).time() == datetime.time(9, 30)
    url = reverse("referrals:appointment_outcome", args=[referral.pk, appointment.pk])
    response = practitioner_client.post(url, {"version": "1", "outcome": "attended"})
    assert response.status_code == 302
    assert Referral.objects.with_current_status().get().stage_as_at == Stage.ASSESSMENT


def test_a_group_programme_through_the_pages(practitioner_client, practitioner, team_a, referral_in):
    created = practitioner_client.post(
        reverse("referrals:group_create"),
        {
            "intervention": str(Intervention.objects.get(code="circle_of_security").pk),
            "title": "Autumn, Layton",
            **date_data("starts_on", TODAY - datetime.timedelta(days=3)),
            "places_offered": "8",
            "sessions_planned": "8",
            "facilitators": [str(practitioner.pk)],
        },
    )
    programme = team_a.group_programmes.get()
    assert created.url == programme.get_absolute_url()
    referral = referral_in(State(Status.IN_PROGRESS, Stage.REFERRAL), pathway="group")
    offered = practitioner_client.post(
        reverse("referrals:group_offer", args=[programme.pk]),
        {
            "referral": str(referral.pk),
            **date_data("waiting_since", referral.received_on),
            **date_data("offered_on", TODAY),
        },
    )
    assert offered.status_code == 302
    place = programme.places.get()
    practitioner_client.post(
        reverse("referrals:group_place_respond", args=[programme.pk, place.pk]),
        {"version": "1", "status": "taken_up", **date_data("responded_on", TODAY)},
    )
    programme.refresh_from_db()
    practitioner_client.post(
        reverse("referrals:group_session_record", args=[programme.pk]),
        {"version": str(programme.version), "number": "1", **date_data("held_on", TODAY), "attendees": [str(place.pk)]},
    )
    place.refresh_from_db()
    assert place.status == GroupPlace.Status.TAKEN_UP
    assert list(programme.sessions.get().attendees.all()) == [place]
    page = practitioner_client.get(reverse("referrals:group_detail", args=[programme.pk])).content.decode()
    assert "1 of 8 held" in page


def test_a_family_of_two_caregivers_and_an_unborn_baby(practitioner_client):
    data = new_referral_data(
        uuid.uuid4(),
        **{
            "caregivers-1-name": "Dan Bell",
            "caregivers-1-role": "father",
            **date_data("caregivers-1-date_of_birth", datetime.date(1993, 7, 1)),
            "caregivers-1-ethnicity": "not_stated",
            "caregivers-1-postcode": "FY1 1AD",
            "infants-0-name": "",
            "infants-0-date_of_birth_day": "",
            "infants-0-date_of_birth_month": "",
            "infants-0-date_of_birth_year": "",
            **date_data("infants-0-due_date", TODAY + datetime.timedelta(days=70)),
        },
    )
    assert practitioner_client.post(reverse("referrals:create"), data).status_code == 302
    referral = Referral.objects.get()
    assert list(referral.caregivers.values_list("position", "role")) == [(1, "mother"), (2, "father")]
    assert referral.is_antenatal is True
    assert referral.infants.get().is_unborn
