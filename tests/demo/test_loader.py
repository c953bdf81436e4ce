"""The demo service, loaded through the monitoring import, reproduces the published Blackpool evaluation."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outcomes.models import Questionnaire, SafetyAlert, Score
from pairs.database import planner_statistics_refresh
from pairs.models import Membership, Team
from pairs.periods import Period
from referrals.models import (
    Appointment,
    Caregiver,
    GroupPlace,
    GroupSession,
    Infant,
    InterventionEpisode,
    PipelineEvent,
    Referral,
)
from referrals.pipeline import Stage, Status
from reports.kpis import kpi_export
from tests.demo_snapshot import demo_load
from training.models import AwarenessEvent, Consultation, TrainingSession

pytestmark = pytest.mark.django_db

ENGAGEMENT = {
    # status: (individual, group), Table 2 of the evaluation report
    "awaiting_decision": (0, 0),
    "not_accepted": (9, 5),
    "disengaged_at_referral": (3, 16),
    "disengaged_at_assessment": (14, 0),
    "disengaged_during_intervention": (2, 2),
    "on_hold": (0, 4),
    "completed": (17, 4),
    "in_progress": (19, 4),
}


def kpi_report_json(*args: str) -> dict:
    out = StringIO()
    call_command("kpi_report", "--team", "blackpool", "--start", "2023-03-01", "--end", "2024-05-31", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_reproduces_every_published_figure():
    demo_load()
    report = kpi_report_json("--format", "json")

    assert report["team"] == "blackpool"
    assert report["period"] == {"start": "2023-03-01", "end": "2024-05-31", "months": 15.0}

    training = report["training"]
    assert (training["sessions"], training["participants"]) == (80, 691)
    assert training["by_type"] == {
        "bitesize": {"sessions": 1, "participants": 40},
        "introduction": {"sessions": 70, "participants": 589},
        "imh_pir": {"sessions": 9, "participants": 62},
        "other": {"sessions": 0, "participants": 0},
    }
    assert report["awareness"]["people_engaged"] == 666
    assert report["universal"]["dyads"] == 60

    consultations = report["consultations"]
    assert consultations["total"] == 94
    assert consultations["by_outcome"] == {"referred": 45, "action_plan": 25, "signposted": 24, "advice_only": 0}
    assert (consultations["children_recorded_in"], consultations["children"]) == (55, 64)
    assert consultations["by_service"]["health_visiting"] == 49
    assert consultations["by_service"]["social_care"] == 20
    assert len(consultations["by_service"]) == 16
    assert sum(consultations["by_service"].values()) == 94

    referrals = report["referrals"]
    assert (referrals["received"], referrals["accepted"], referrals["antenatal"]) == (99, 85, 10)
    assert referrals["by_pathway"] == {
        "individual": {"received": 64, "accepted": 55},
        "group": {"received": 35, "accepted": 30},
    }
    for status, (individual, group) in ENGAGEMENT.items():
        assert referrals["engagement"]["individual"][status] == individual, status
        assert referrals["engagement"]["group"][status] == group, status
        assert referrals["engagement"]["total"][status] == individual + group, status
    assert referrals["families_supported"] == 48
    assert referrals["mean_infant_age_months"] == {"individual": 9.4, "group": 40.0}

    interventions = report["interventions"]
    assert (interventions["episodes"], interventions["families"]) == (55, 25)
    assert interventions["by_intervention"]["cft_pir"] == 17
    assert interventions["by_intervention"]["psychoeducation"] == 11
    assert interventions["by_intervention"]["vig"] == 9
    assert sum(interventions["by_intervention"].values()) == 55

    outcomes = report["outcomes"]
    assert (outcomes["completed"], outcomes["paired"], outcomes["pairing_rate"]) == (21, 16, 0.7619)
    gbo = outcomes["instruments"]["gbo"]
    assert (gbo["n"], gbo["mean_t1"], gbo["mean_t2"], gbo["reliably_improved"]) == (15, 3.0, 9.7, 15)
    for instrument in ("phq9", "gad7"):
        figures = outcomes["instruments"][instrument]
        assert figures["mean_t2"] < figures["mean_t1"], instrument
        assert figures["p_value"] < 0.05, instrument
    warmth, invasion = (outcomes["instruments"]["mors_sf"][scale] for scale in ("warmth", "invasion"))
    assert warmth["mean_t2"] > warmth["mean_t1"]
    assert warmth["p_value"] < 0.05
    assert invasion["mean_t2"] < invasion["mean_t1"]
    assert invasion["p_value"] < 0.05

    # Ethnicity is a share of caregivers, not a KPI of the export: 96 of the 99 first caregivers are white.
    cohort = Caregiver.objects.filter(
        referral__team__slug="blackpool", position=1, referral__received_on__range=("2023-03-01", "2024-05-31")
    )
    assert (cohort.filter(ethnicity="white").count(), cohort.count()) == (96, 99)

    kpis = {entry["id"]: entry for entry in report["kpis"]}
    assert kpis["training_participants"]["target"] == 300.0
    assert kpis["families_supported"]["target"] == 55.0
    assert kpis["families_supported"]["actual"] == 48

    commissioner = kpi_report_json("--commissioner")
    assert commissioner["disclosure_control"] == "hes"
    assert commissioner["referrals"]["received"] == 100
    assert commissioner["referrals"]["engagement"]["individual"]["disengaged_at_referral"] == "*"

    # Loading again changes nothing, and the demo accounts can sign in to their team.
    counts = {
        model: model.objects.count()
        for model in (Referral, PipelineEvent, Questionnaire, TrainingSession, Appointment, GroupPlace, GroupSession)
    }
    call_command("load_demo", stdout=StringIO())
    assert counts == {model: model.objects.count() for model in counts}
    assert set(Membership.objects.filter(team__slug="blackpool").values_list("role", flat=True)) == {
        "practitioner",
        "manager",
        "commissioner",
    }
    assert not Caregiver.objects.filter(referral__team__slug="blackpool", name="").exists()

    # Every accepted family has a practitioner; each open case has its next appointment booked, and the diary
    # starts after the published window, so the figures above hold.
    today = timezone.localdate()
    accepted = Referral.objects.filter(team__slug="blackpool").with_status_as_at(today)
    accepted = accepted.exclude(status_as_at__in=[Status.AWAITING_DECISION, Status.NOT_ACCEPTED])
    assert not accepted.filter(assigned_practitioner=None).exists()
    open_cases = accepted.filter(status_as_at=Status.IN_PROGRESS)
    assert open_cases.filter(assigned_practitioner__username="demo.practitioner").exists()
    in_groups = open_cases.filter(pathway="group", stage_as_at=Stage.INTERVENTION)
    upcoming = Appointment.objects.filter(starts_at__gt=timezone.now(), outcome="")
    assert set(open_cases.exclude(pk__in=in_groups).values_list("pk", flat=True)) == set(
        upcoming.values_list("referral", flat=True)
    )
    # The group families in intervention are on a run of their latest intervention; every session held had families.
    for referral in in_groups.prefetch_related("interventions", "group_places__programme"):
        latest = max(referral.interventions.all(), key=lambda episode: episode.started_on)
        places = [place for place in referral.group_places.all() if place.status == "taken_up"]
        assert [place.programme.intervention_id for place in places] == [latest.intervention_id], referral.reference
    assert GroupSession.objects.exists()
    assert not GroupSession.objects.annotate(families=Count("attendees")).filter(families=0).exists()
    assert Appointment.objects.filter(outcome="attended").exists()
    assert not Appointment.objects.filter(starts_at__date__lte="2024-05-31").exists()
    double_booked = Appointment.objects.values("practitioner", "starts_at").annotate(n=Count("pk")).filter(n__gt=1)
    assert not double_booked.exists()

    # The history's safety alerts are acted on; only a recent one may still wait for action.
    alerts = SafetyAlert.objects.filter(questionnaire__referral__team__slug="blackpool")
    assert alerts.exclude(acted_on_at=None).exists()
    fortnight_ago = today - datetime.timedelta(days=14)
    assert not alerts.filter(acted_on_at=None, questionnaire__completed_on__lt=fortnight_ago).exists()


def _multiply(team: Team, times: int) -> None:
    """Copies of every record of the team, for measuring queries against data size (test data, not the import)."""
    referrals = list(Referral.objects.in_team(team))
    for copy in range(1, times):
        clones = {}
        for referral in referrals:
            original = referral.pk
            referral.pk = None
            referral.reference = f"{referral.reference}-x{copy}"
            referral.submission_token = None
            clones[original] = referral
        Referral.objects.bulk_create(clones.values())
        for model in (Caregiver, Infant, PipelineEvent, InterventionEpisode):
            rows = list(model.objects.filter(referral_id__in=clones.keys()))
            for row in rows:
                row.pk = None
                row.referral_id = clones[row.referral_id].pk
            model.objects.bulk_create(rows)
        questionnaires = list(Questionnaire.objects.filter(referral_id__in=clones.keys()).prefetch_related("scores"))
        for questionnaire in questionnaires:
            scores = list(questionnaire.scores.all())
            caregiver = Caregiver.objects.get(
                referral=clones[questionnaire.referral_id], position=questionnaire.caregiver.position
            )
            questionnaire.pk = None
            questionnaire.referral_id = clones[questionnaire.referral_id].pk
            questionnaire.caregiver = caregiver
            questionnaire.save()
            for score in scores:
                score.pk = None
                score.questionnaire = questionnaire
            Score.objects.bulk_create(scores)
        for model, field in ((TrainingSession, "title"), (AwarenessEvent, "title")):
            rows = list(model.objects.in_team(team).exclude(**{f"{field}__contains": " (copy "}))
            for row in rows:
                row.pk = None
                setattr(row, field, f"{getattr(row, field)} (copy {copy})")
            model.objects.bulk_create(rows)
        rows = list(Consultation.objects.in_team(team).filter(sequence__lt=100))
        for row in rows:
            row.pk = None
            row.sequence += 100 * copy
        Consultation.objects.bulk_create(rows)
        referrals = list(Referral.objects.in_team(team).exclude(reference__contains="-x"))
    planner_statistics_refresh()  # as the import does after its writes


def test_the_engine_uses_the_same_queries_on_three_times_the_demo():
    demo_load()
    team = Team.objects.get(slug="blackpool")
    period = Period(datetime.date(2023, 3, 1), datetime.date(2024, 5, 31))
    with CaptureQueriesContext(connection) as demo:
        demo_figures = kpi_export(teams=[team], period=period)
    _multiply(team, 3)
    with CaptureQueriesContext(connection) as three_times:
        three_times_figures = kpi_export(teams=[team], period=period)
    assert three_times_figures["referrals"]["received"] == 3 * demo_figures["referrals"]["received"]
    assert three_times_figures["training"]["participants"] == 3 * demo_figures["training"]["participants"]
    assert len(three_times.captured_queries) == len(demo.captured_queries)
