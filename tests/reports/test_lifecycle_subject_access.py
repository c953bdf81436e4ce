import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import BackgroundJob, JobFile, JobStatus
from monitoring.export_rows import ROWS
from pairs.models import Role
from pairs.periods import custom_period
from referrals.models import Appointment, Caregiver
from referrals.pipeline import Stage, State, Status
from referrals.services import lifecycle
from reports.kpis import kpi_export
from reports.subject_access.data import FORMAT, VERSION, subject_access_data
from reports.subject_access.services import subject_access_export, subject_access_html
from tests.factories import (
    AppointmentFactory,
    CaregiverFactory,
    GroupPlaceFactory,
    GroupProgrammeFactory,
    MembershipFactory,
    QuestionnaireFactory,
    UserFactory,
)
from tests.referrals.builders import TODAY, make_referral
from tests.reports.pdftext import flowing

pytestmark = pytest.mark.django_db

IN_INTERVENTION = State(Status.IN_PROGRESS, Stage.INTERVENTION)


@pytest.fixture
def family(team_a, practitioner, manager):
    """A referral in intervention with everything a subject access export holds: a second caregiver (another
    person), an appointment, a group place, questionnaires of both caregivers and a correction."""
    referral = make_referral(team=team_a, actor=practitioner, state=IN_INTERVENTION, reason="Low mood after birth.")
    mother = referral.caregivers.get()
    lifecycle.caregiver_rectify(actor=practitioner, caregiver=mother, reason="Misspelt", name="Amy Sample")
    father = CaregiverFactory(referral=referral, position=2, role=Caregiver.Role.FATHER, name="Ben Otherperson")
    AppointmentFactory(referral=referral, practitioner=practitioner, outcome=Appointment.Outcome.ATTENDED)
    GroupPlaceFactory(programme=GroupProgrammeFactory(team=team_a, created_by=practitioner), referral=referral)
    QuestionnaireFactory(referral=referral, caregiver=mother, instrument="phq9", completed_on=TODAY)
    QuestionnaireFactory(referral=referral, caregiver=father, instrument="gad7", completed_on=TODAY)
    mother.refresh_from_db()
    return referral, mother, father


def test_the_export_holds_everything_about_the_person_and_nothing_of_the_other(family, manager):
    referral, mother, _ = family
    data = subject_access_data(caregiver=mother, generated_by=manager)
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert data["subject"]["name"] == "Amy Sample"
    assert data["team"] == {"name": "Team A", "slug": "team-a"}
    [held] = data["referrals"]
    assert held["reference"] == referral.reference
    assert held["caregiver"]["position"] == 1
    assert [move["event"] for move in held["stage_moves"]] == [
        "Referral received",
        "Accepted",
        "Assessment started",
        "Intervention started",
    ]
    assert held["infants"][0]["date_of_birth"] == referral.infants.get().date_of_birth.isoformat()
    assert [appointment["outcome"] for appointment in held["appointments"]] == ["Attended"]
    assert len(held["interventions"]) == 1
    assert len(held["group_places"]) == 1
    [questionnaire] = held["questionnaires"]
    assert questionnaire["instrument"] == "PHQ-9"
    assert len(questionnaire["items"]) == 9
    assert questionnaire["items"][0]["answer_label"] == "Not at all"
    assert questionnaire["scores"][0]["scale"] == "total"
    assert held["notes"][0] == {
        "date": referral.received_on.isoformat(),
        "about": "Reason for referral",
        "text": "Low mood after birth.",
    }
    changes = [change for row in held["audit_history"] for change in row["changes"]]
    assert {"field": "name", "before": mother_name_before(held), "after": "Amy Sample"} in changes
    text = json.dumps(data)
    assert "Ben Otherperson" not in text
    assert "GAD-7" not in text
    assert all(row["action"] != "Viewed" for row in held["audit_history"])


def mother_name_before(held) -> str:
    created = next(row for row in held["audit_history"] if row["record"] == "Caregiver" and row["action"] == "Created")
    return next(change["after"] for change in created["changes"] if change["field"] == "name")


def test_the_same_person_on_another_referral_is_found_by_nhs_number(team_a, team_b, practitioner, practitioner_b):
    first = make_referral(team=team_a, actor=practitioner)
    second = make_referral(team=team_a, actor=practitioner)
    elsewhere = make_referral(team=team_b, actor=practitioner_b)
    for referral in (first, second, elsewhere):
        Caregiver.objects.filter(referral=referral).update(nhs_number="9434765919")
    unrelated = make_referral(team=team_a, actor=practitioner)
    data = subject_access_data(caregiver=first.caregivers.get(), generated_by=practitioner)
    assert [held["reference"] for held in data["referrals"]] == [first.reference, second.reference]
    assert unrelated.reference not in json.dumps(data)


def test_the_export_reads_a_fixed_number_of_queries(team_a, practitioner, manager):
    def queries_for(caregiver) -> int:
        with CaptureQueriesContext(connection) as queries:
            subject_access_data(caregiver=caregiver, generated_by=manager)
        return len(queries)

    def add_referral():
        referral = make_referral(team=team_a, actor=practitioner, state=IN_INTERVENTION)
        Caregiver.objects.filter(referral=referral).update(nhs_number="9434765919")
        AppointmentFactory(referral=referral, practitioner=practitioner)
        QuestionnaireFactory(referral=referral, caregiver=referral.caregivers.get(), completed_on=TODAY)
        return referral

    caregiver = add_referral().caregivers.get()
    queries_for(caregiver)  # content types cached
    one = queries_for(caregiver)
    for _ in range(3):
        add_referral()
    assert queries_for(caregiver) == one
    assert one <= 30


def test_only_the_teams_manager_may_export_and_each_export_is_an_access_entry(family, manager, practitioner):
    _, mother, _ = family
    with pytest.raises(ValidationError) as refused:
        subject_access_export(actor=practitioner, caregiver=mother, file_format="json")
    assert refused.value.messages == [
        "Only the service manager of the caregiver's team can produce a subject access export."
    ]
    accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert not accesses.exists()
    exported = subject_access_export(actor=manager, caregiver=mother, file_format="json")
    assert exported.name.endswith(".json")
    entry = accesses.get()
    assert entry.actor == manager
    assert entry.additional_data["download"] == "subject access export (json)"
    assert entry.additional_data["referral_id"] == mother.referral_id


def test_a_commissioner_or_another_teams_manager_cannot_export(family, commissioner, team_b):
    _, mother, _ = family
    manager_b = UserFactory(username="manager_b")
    MembershipFactory(user=manager_b, team=team_b, role=Role.MANAGER)
    for actor in (commissioner, manager_b):
        with pytest.raises(ValidationError):
            subject_access_export(actor=actor, caregiver=mother, file_format="pdf")
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_an_unknown_format_is_refused(family, manager):
    with pytest.raises(ValidationError):
        subject_access_export(actor=manager, caregiver=family[1], file_format="xml")


def test_the_pdf_names_the_person_and_team_on_its_cover_and_numbers_its_pages(family, manager):
    exported = subject_access_export(actor=manager, caregiver=family[1], file_format="pdf")
    assert exported.content.startswith(b"%PDF")
    text = flowing(exported.content)
    assert "Subject access export Team A Amy Sample" in text
    assert "Page 1 of" in text
    assert "Ben Otherperson" not in text
    assert "Feeling down, depressed, or hopeless" in text


def test_the_pdf_lays_out_the_same_dictionary_as_the_json(family, manager):
    data = subject_access_data(caregiver=family[1], generated_by=manager)
    html = subject_access_html(data, generated_on=TODAY)
    [held] = data["referrals"]
    for text in (
        held["reference"],
        held["reason"],
        *(move["event"] for move in held["stage_moves"]),
        *(item["text"] for questionnaire in held["questionnaires"] for item in questionnaire["items"]),
        *(appointment["practitioner"] for appointment in held["appointments"]),
    ):
        assert text in html


# Views -----------------------------------------------------------------------------------------------------------


def test_the_manager_downloads_the_json_uncached(manager_client, family):
    response = manager_client.get(reverse("reports:subject_access_json", args=[family[1].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["subject"]["name"] == "Amy Sample"


def test_the_manager_has_the_pdf_made_by_a_job(manager_client, family, manager):
    response = manager_client.post(reverse("reports:subject_access_pdf", args=[family[1].pk]))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    assert job.status == JobStatus.DONE
    assert job.requested_by == manager
    output = job.files.get(purpose=JobFile.Purpose.OUTPUT)
    assert output.name.endswith(".pdf")
    assert bytes(output.content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["practitioner", "commissioner"])
def test_the_teams_practitioner_and_commissioner_are_refused(client, request, who, family):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reports:subject_access_json", args=[family[1].pk])).status_code == 403
    assert client.post(reverse("reports:subject_access_pdf", args=[family[1].pk])).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_another_teams_staff_get_404(client, family, practitioner_b, team_b):
    manager_b = UserFactory(username="manager_b")
    MembershipFactory(user=manager_b, team=team_b, role=Role.MANAGER)
    for user in (practitioner_b, manager_b):
        client.force_login(user)
        assert client.get(reverse("reports:subject_access_json", args=[family[1].pk])).status_code == 404
        assert client.post(reverse("reports:subject_access_pdf", args=[family[1].pk])).status_code == 404
    assert not BackgroundJob.objects.exists()


def test_the_pdf_is_asked_for_by_post_only(manager_client, family):
    assert manager_client.get(reverse("reports:subject_access_pdf", args=[family[1].pk])).status_code == 405


def test_the_record_page_offers_the_export_to_the_manager_only(client, family, manager, practitioner):
    referral, mother, _ = family
    client.force_login(manager)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert reverse("reports:subject_access_json", args=[mother.pk]) in page
    client.force_login(practitioner)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert reverse("reports:subject_access_json", args=[mother.pk]) not in page
    assert "Subject access request" not in page


# Restriction and the other exports ------------------------------------------------------------------------------


def test_a_restricted_family_stays_in_its_subject_access_export_but_leaves_the_monitoring_export(
    family, manager, team_a
):
    referral, mother, _ = family
    lifecycle.restriction_place(actor=manager, referral=referral, reason="Objected to processing")
    assert [row["reference"] for row in ROWS["referrals.csv"](team_a, None)] == []
    assert list(ROWS["appointments.csv"](team_a, None)) == []
    data = subject_access_data(caregiver=mother, generated_by=manager)
    assert data["referrals"][0]["restrictions"][0]["reason"] == "Objected to processing"


def test_a_restriction_leaves_the_aggregate_figures_as_they_were(family, manager, team_a):
    period = custom_period(family[0].received_on, TODAY)
    before = kpi_export(teams=[team_a], period=period, today=TODAY)
    lifecycle.restriction_place(actor=manager, referral=family[0], reason="Objected to processing")
    assert kpi_export(teams=[team_a], period=period, today=TODAY) == before
    assert before["referrals"]["received"] >= 1


def test_the_structure_is_the_one_documented(family, manager):
    """The keys of version 1, as reports/subject_access/data.py documents them: a change raises the version."""
    data = subject_access_data(caregiver=family[1], generated_by=manager)
    assert list(data) == ["format", "version", "generated_at", "generated_by", "team", "subject", "referrals"]
    assert list(data["subject"]) == [
        "name",
        "date_of_birth",
        "birth_year",
        "role",
        "ethnicity",
        "postcode",
        "nhs_number",
    ]
    assert list(data["referrals"][0]) == [
        "reference",
        "received_on",
        "pathway",
        "referrer_service",
        "reason",
        "consent_to_share",
        "antenatal",
        "first_contact_on",
        "safeguarding_level",
        "risk_count",
        "thrive_level",
        "imd_decile",
        "complexities",
        "assigned_practitioner",
        "caregiver",
        "infants",
        "stage_moves",
        "levels_history",
        "appointments",
        "interventions",
        "group_places",
        "questionnaires",
        "notes",
        "restrictions",
        "retention_reviews",
        "audit_history",
    ]
