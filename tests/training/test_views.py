"""The workforce pages: who may open each URL, team scoping, what a POST saves, and a fixed number of queries."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.models import Service
from pairs.periods import service_quarter_of
from tests.factories import (
    AwarenessEventFactory,
    ConsultationFactory,
    FeedbackFactory,
    ReferralFactory,
    TrainingSessionFactory,
    UniversalOfferContactFactory,
)
from training.models import Consultation, TrainingAttendance, TrainingSession

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
NOTE = "Worried about the mother's low mood and the baby's weight."
FEEDBACK_TEXT = "The practitioner's visits helped us both."

FACTORIES = {
    "session": TrainingSessionFactory,
    "consultation": lambda **kw: ConsultationFactory(note=NOTE, **kw),
    "awareness_event": AwarenessEventFactory,
    "universal_contact": UniversalOfferContactFactory,
    "feedback": lambda **kw: FeedbackFactory(text=FEEDBACK_TEXT, **kw),
}
ACTIVITY_NAMES = list(FACTORIES)


@pytest.fixture
def records(team_a):
    """One record of each kind in team A."""
    return {name: factory(team=team_a) for name, factory in FACTORIES.items()}


def every_url(records) -> list[tuple[str, str]]:
    urls = [("index", reverse("training:index")), ("quick_entry", reverse("training:session_quick_entry"))]
    for name, record in records.items():
        urls += [
            (f"{name}_list", reverse(f"training:{name}_list")),
            (f"{name}_new", reverse(f"training:{name}_new")),
            (f"{name}_edit", reverse(f"training:{name}_edit", args=[record.pk])),
            (f"{name}_delete", reverse(f"training:{name}_delete", args=[record.pk])),
        ]
    return urls


def date_data(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


# Roles and scope ----------------------------------------------------------------------------------------------


def test_a_manager_opens_every_page(manager_client, records):
    for name, url in every_url(records):
        assert manager_client.get(url).status_code == 200, name


def test_a_practitioner_records_and_lists_but_neither_deletes_nor_enters_in_bulk(practitioner_client, records):
    for name, url in every_url(records):
        expected = 403 if name.endswith("_delete") or name == "quick_entry" else 200
        assert practitioner_client.get(url).status_code == expected, name
        if expected == 403:
            assert practitioner_client.post(url).status_code == 403, name
    assert TrainingSession.objects.count() == 1


def test_a_commissioner_reaches_no_record_nor_list(commissioner_client, records):
    for name, url in every_url(records):
        for method in (commissioner_client.get, commissioner_client.post):
            response = method(url)
            assert response.status_code == 403, name
            assert NOTE not in response.content.decode()
            assert FEEDBACK_TEXT not in response.content.decode()
    assert Consultation.objects.get().note == NOTE


def test_another_teams_practitioner_gets_not_found_for_our_records_and_sees_only_their_own(
    practitioner_b_client, records, team_b
):
    for name, record in records.items():
        for action in ("edit", "delete"):
            url = reverse(f"training:{name}_{action}", args=[record.pk])
            assert practitioner_b_client.get(url).status_code == 404, url
        assert practitioner_b_client.post(reverse(f"training:{name}_edit", args=[record.pk])).status_code == 404
        response = practitioner_b_client.get(reverse(f"training:{name}_list"))
        assert response.status_code == 200
        assert response.context["table"].totals["records"] == 0
    own = TrainingSessionFactory(team=team_b, title="Team B's own session")
    response = practitioner_b_client.get(reverse("training:session_list"))
    assert [row.record for row in response.context["table"].page.object_list] == [own]


def test_a_manager_of_another_team_cannot_delete_our_records(client, records, team_b):
    from tests.factories import MembershipFactory, UserFactory

    manager_b = UserFactory(username="manager_b")
    MembershipFactory(user=manager_b, team=team_b, role="manager")
    client.force_login(manager_b)
    for name, record in records.items():
        url = reverse(f"training:{name}_delete", args=[record.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert all(type(record).objects.filter(pk=record.pk).exists() for record in records.values())


def test_a_person_without_a_team_is_refused(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("training:index")).status_code == 403


# Lists ---------------------------------------------------------------------------------------------------------


def test_the_list_shows_the_period_with_totals_in_the_footer(manager_client, team_a):
    inside, outside = datetime.date(2025, 6, 1), datetime.date(2024, 6, 1)
    TrainingSessionFactory(team=team_a, date=inside, participants=10, places_offered=12)
    TrainingSessionFactory(team=team_a, date=inside, participants=7, places_offered=None)
    TrainingSessionFactory(team=team_a, date=outside, participants=99)
    response = manager_client.get(reverse("training:session_list"), {"period": "2025"})
    html = response.content.decode()
    assert response.context["period"].label == "Service year 2025 to 2026"
    assert response.context["table"].totals == {
        "records": 2,
        "places_offered": 12,
        "participants": 17,
        "feedback_returned": 16,
        "feedback_positive": 14,
    }
    footer = html[html.index("<tfoot>") : html.index("</tfoot>")]
    assert "Total: 2 sessions" in footer
    assert "<strong>17</strong>" in footer

    both = {"period": "custom", **date_data("start", outside), **date_data("end", inside)}
    response = manager_client.get(reverse("training:session_list"), both)
    assert response.context["table"].totals["participants"] == 116
    assert "Total: 3 sessions" in response.content.decode()


def test_an_invalid_custom_period_shows_its_error_and_the_current_quarter(manager_client, team_a):
    response = manager_client.get(reverse("training:consultation_list"), {"period": "custom"})
    assert response.status_code == 200
    assert "Enter the first day of the custom period" in response.content.decode()
    assert response.context["period"] == service_quarter_of(TODAY, team_a.year_start_month)


@pytest.mark.parametrize("name", ACTIVITY_NAMES)
def test_a_list_takes_the_same_number_of_queries_for_3_or_30_records(manager_client, team_a, name):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(reverse(f"training:{name}_list")).status_code == 200
        return len(captured)

    for _ in range(3):
        FACTORIES[name](team=team_a)
    few = queries()
    for _ in range(27):
        FACTORIES[name](team=team_a)
    assert queries() == few


def test_the_overview_takes_the_same_number_of_queries_whatever_the_data(manager_client, team_a, records):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(reverse("training:index")).status_code == 200
        return len(captured)

    few = queries()
    for code in ("gp", "midwifery", "social_care"):
        ConsultationFactory(team=team_a, consultee_service=Service.objects.get(code=code))
    TrainingSessionFactory.create_batch(5, team=team_a)
    assert queries() == few


def test_the_overview_shows_the_periods_figures(manager_client, team_a):
    TrainingSessionFactory(
        team=team_a, session_type="bitesize", participants=40, feedback_returned=20, feedback_positive=15
    )
    ConsultationFactory(team=team_a, consultee_service=Service.objects.get(code="social_care"), outcome="referred")
    response = manager_client.get(reverse("training:index"))
    html = response.content.decode()
    assert response.context["figures"]["training"]["by_type"]["bitesize"] == {"sessions": 1, "participants": 40}
    assert "20 returned, 15 rated positive (75%)" in html
    assert "Children&#x27;s social care: 1" in html


# Writes --------------------------------------------------------------------------------------------------------


def session_data(**overrides):
    return {
        **date_data("date", LAST_WEEK),
        "session_type": "introduction",
        "title": "Introduction to parent-infant relationships",
        "trainers": "",
        "places_offered": "",
        "participants": "18",
        "feedback_returned": "",
        "feedback_positive": "",
        **overrides,
    }


def test_recording_a_session_with_its_breakdown_redirects_to_its_period(manager_client, team_a):
    response = manager_client.post(
        reverse("training:session_new"),
        session_data(attendance_health_visiting="10", attendance_midwifery="8", attendance_gp="0"),
    )
    quarter = service_quarter_of(LAST_WEEK, team_a.year_start_month)
    assert response.status_code == 302
    assert response.url == f"{reverse('training:session_list')}?period={quarter.key}"
    session = TrainingSession.objects.get()
    assert dict(session.attendance.values_list("service__code", "participants")) == {
        "health_visiting": 10,
        "midwifery": 8,
    }
    entry = LogEntry.objects.get_for_object(session).get()
    assert entry.actor.username == "manager_a"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"attendance_health_visiting": "10", "attendance_gp": "5"},
            "The participants by service add up to 15, not 18",
        ),
        (
            {"feedback_returned": "4", "feedback_positive": "5"},
            "Forms rated positive (5) cannot be more than the forms",
        ),
        (date_data("date", TODAY + datetime.timedelta(days=1)), "The date must be today or in the past"),
        ({"participants": "-1"}, "Participants must be 0 or more"),
        ({"places_offered": "many"}, "Enter places offered as a whole number, like 12"),
        (date_data("date", datetime.date(2025, 2, 1)) | {"date_day": "30"}, "Enter a real date, like 27 3 2025"),
        ({"participants": ""}, "Enter the number of participants"),
    ],
)
def test_an_invalid_session_shows_a_clear_error_and_saves_nothing(manager_client, overrides, message):
    response = manager_client.post(reverse("training:session_new"), session_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert html.count("<title>Error: ") == 1
    assert not TrainingSession.objects.exists()
    assert not TrainingAttendance.objects.exists()


def test_a_duplicate_session_is_refused_by_the_form(manager_client, team_a):
    TrainingSessionFactory(team=team_a, date=LAST_WEEK, session_type="introduction", title="Same")
    response = manager_client.post(reverse("training:session_new"), session_data(title="Same"))
    assert "A session of this type with this title is already recorded on this date" in response.content.decode()
    assert TrainingSession.objects.count() == 1


def test_changing_a_session(practitioner_client, team_a):
    session = TrainingSessionFactory(team=team_a, date=LAST_WEEK)
    TrainingAttendance.objects.create(session=session, service=Service.objects.get(code="gp"), participants=10)
    response = practitioner_client.get(reverse("training:session_edit", args=[session.pk]))
    assert response.context["form"]["attendance_gp"].value() == 10
    response = practitioner_client.post(
        reverse("training:session_edit", args=[session.pk]), session_data(participants="12", attendance_gp="12")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.participants == 12
    assert session.attendance.get().participants == 12


def consultation_data(**overrides):
    return {
        **date_data("date", LAST_WEEK),
        "consultee_service": Service.objects.get(code="health_visiting").pk,
        "mode": "telephone",
        "outcome": "action_plan",
        "children": "",
        "note": "",
        "referral": "",
        **overrides,
    }


def test_consultations_recorded_in_the_browser_take_the_next_number(practitioner_client, team_a):
    for _ in range(2):
        response = practitioner_client.post(
            reverse("training:consultation_new"), consultation_data(children="2", children_aged_unborn="1")
        )
        assert response.status_code == 302
    assert list(Consultation.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]
    assert Consultation.objects.first().child_ages.get().age == "unborn"


def test_a_consultation_links_the_referral_by_its_reference(practitioner_client, team_a, team_b):
    ReferralFactory(team=team_b, reference="REF-0042", received_on=TODAY)
    ours = ReferralFactory(team=team_a, reference="REF-0042", received_on=TODAY)
    response = practitioner_client.post(
        reverse("training:consultation_new"), consultation_data(outcome="referred", referral="ref-0042")
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.referral == ours
    response = practitioner_client.get(reverse("training:consultation_edit", args=[consultation.pk]))
    assert 'value="REF-0042"' in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"referral": "REF-9999", "outcome": "referred"}, "No referral of this team has the reference REF-9999"),
        ({"children": "1", "children_aged_2": "2"}, "You have given the ages of 2 children, more than the 1 discussed"),
        ({"children_aged_0": "1"}, "Enter how many children were discussed, as you have given their ages"),
        ({"children_aged_3": "-2"}, "Children aged 3 years must be 0 or more"),
        ({"outcome": ""}, "Select the outcome"),
    ],
)
def test_an_invalid_consultation_shows_a_clear_error_and_saves_nothing(practitioner_client, overrides, message):
    response = practitioner_client.post(reverse("training:consultation_new"), consultation_data(**overrides))
    assert message in response.content.decode()
    assert not Consultation.objects.exists()


def test_opening_a_consultation_or_feedback_is_logged_but_a_session_is_not(practitioner_client, records):
    for name in ACTIVITY_NAMES:
        practitioner_client.get(reverse(f"training:{name}_edit", args=[records[name].pk]))
    accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor__username="practitioner_a")
    assert sorted(entry.content_type.model for entry in accesses) == ["consultation", "feedback"]


def test_recording_awareness_universal_and_feedback(practitioner_client, team_a):
    from referrals.models import Intervention

    posts = {
        "awareness_event": {
            **date_data("date", LAST_WEEK),
            "title": "Stall",
            "audience": "Parents",
            "people_engaged": "30",
        },
        "universal_contact": {
            **date_data("date", LAST_WEEK),
            "offer": Intervention.objects.get(code="infant_massage").pk,
            "dyads": "7",
        },
        "feedback": {
            **date_data("date", LAST_WEEK),
            "kind": "complaint",
            "theme": "access",
            "text": "Long wait",
            "response": "",
            **{"resolved_on_day": "", "resolved_on_month": "", "resolved_on_year": ""},
        },
    }
    for name, data in posts.items():
        response = practitioner_client.post(reverse(f"training:{name}_new"), data)
        assert response.status_code == 302, (name, response.context and response.context["form"].errors)
    response = practitioner_client.get(reverse("training:feedback_list"))
    assert "Open" in response.content.decode()


def test_a_non_universal_offer_is_not_offered(practitioner_client):
    response = practitioner_client.get(reverse("training:universal_contact_new"))
    offers = [offer.code for offer in response.context["form"].fields["offer"].queryset]
    assert offers == ["infant_massage"]


def test_a_manager_deletes_a_record_entered_in_error(manager_client, records):
    session = records["session"]
    response = manager_client.post(reverse("training:session_delete", args=[session.pk]))
    assert response.status_code == 302
    assert not TrainingSession.objects.filter(pk=session.pk).exists()
    assert LogEntry.objects.filter(action=LogEntry.Action.DELETE, actor__username="manager_a").count() == 1


# Quick entry ---------------------------------------------------------------------------------------------------


def row(n: int, **fields) -> dict:
    data = {
        **date_data("date", LAST_WEEK),
        "session_type": "introduction",
        "title": f"Session {n}",
        "trainers": "",
        "places_offered": "",
        "participants": "10",
        "feedback_returned": "",
        "feedback_positive": "",
        **fields,
    }
    return {f"form-{n}-{name}": value for name, value in data.items()}


def formset_data(*rows: dict, total: int = 5) -> dict:
    data = {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    for entered in rows:
        data.update(entered)
    return data


def test_quick_entry_saves_the_rows_entered_and_ignores_empty_ones(manager_client, team_a):
    response = manager_client.post(
        reverse("training:session_quick_entry"), formset_data(row(0), row(1, session_type="bitesize"), row(3))
    )
    assert response.status_code == 302
    assert sorted(TrainingSession.objects.values_list("title", flat=True)) == ["Session 0", "Session 1", "Session 3"]
    assert LogEntry.objects.filter(action=LogEntry.Action.CREATE, actor__username="manager_a").count() == 3


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (row(1, feedback_returned="2", feedback_positive="3"), "Forms rated positive (3) cannot be more than"),
        (row(1, participants="-4"), "Participants must be 0 or more"),
        (row(1, **date_data("date", TODAY + datetime.timedelta(days=3))), "The date must be today or in the past"),
        (row(1, title="Session 0"), "Row 1 has the same date, type and title"),
        (row(1, session_type=""), "Select the type of session"),
    ],
)
def test_quick_entry_with_one_bad_row_saves_no_row(manager_client, bad_row, message):
    response = manager_client.post(reverse("training:session_quick_entry"), formset_data(row(0), bad_row, row(2)))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "There is a problem" in html
    assert not TrainingSession.objects.exists()


def test_quick_entry_needs_one_row(manager_client):
    response = manager_client.post(reverse("training:session_quick_entry"), formset_data())
    assert "Enter at least one training session" in response.content.decode()


def test_quick_entry_offers_more_rows_up_to_a_limit(manager_client):
    assert len(manager_client.get(reverse("training:session_quick_entry")).context["formset"].forms) == 5
    assert len(manager_client.get(reverse("training:session_quick_entry"), {"rows": 20}).context["formset"].forms) == 20
    assert (
        len(manager_client.get(reverse("training:session_quick_entry"), {"rows": 500}).context["formset"].forms) == 30
    )
    assert len(manager_client.get(reverse("training:session_quick_entry"), {"rows": "x"}).context["formset"].forms) == 5


def test_quick_entry_refuses_more_rows_than_the_limit(manager_client):
    response = manager_client.post(reverse("training:session_quick_entry"), formset_data(row(0), total=31))
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()


def test_a_consultation_moved_to_another_day_in_the_browser_takes_the_next_number_there(practitioner_client, team_a):
    ConsultationFactory(team=team_a, date=TODAY, sequence=1)
    moving = ConsultationFactory(team=team_a, date=LAST_WEEK, sequence=1)
    response = practitioner_client.post(
        reverse("training:consultation_edit", args=[moving.pk]), consultation_data(**date_data("date", TODAY))
    )
    assert response.status_code == 302
    moving.refresh_from_db()
    assert (moving.date, moving.sequence) == (TODAY, 2)
