"""The KPI engine on a hand-built service whose every figure is worked out here, in the test."""

import datetime
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outcomes.services import questionnaire_record
from pairs.cohorts import Cohort
from pairs.models import DisclosureControl, Role, Service
from pairs.periods import Period
from referrals import services as referral_services
from referrals.models import Appointment, DisengagementReason, HoldReason, Intervention
from referrals.pipeline import EventKind
from reports.kpis import DAYS_PER_MONTH, kpi_export, kpi_headline_exports
from reports.models import KpiTarget
from tests.factories import (
    AppointmentFactory,
    CaregiverFactory,
    ConsultationFactory,
    InfantFactory,
    MembershipFactory,
    ReferralFactory,
    TeamFactory,
    TrainingSessionFactory,
)

D = datetime.date
# A window that starts and ends mid-month, so that every target is pro-rated by days.
PERIOD = Period(D(2024, 1, 16), D(2024, 3, 10))
MONTHS = 16 / 31 + 1 + 10 / 31

pytestmark = pytest.mark.django_db


def make_referral(team, actor, *, reference, received_on, pathway="individual", antenatal=False, infant_born=None):
    referral = referral_services.referral_create(
        team=team,
        actor=actor,
        received_on=received_on,
        pathway=pathway,
        referrer_service=Service.objects.get(code="midwifery" if antenatal else "health_visiting"),
        caregivers=[{"role": "mother", "name": "Test Parent", "ethnicity": "white"}],
        reference=reference,
        is_antenatal=antenatal,
    )
    if infant_born:
        InfantFactory(referral=referral, date_of_birth=infant_born)
    return referral


def move(referral, actor, *moves):
    """Apply pipeline moves in order: ("accept", date), ("disengage", date, reason code), ..."""
    for kind, on, *reason in moves:
        service = {
            "accept": referral_services.referral_accept,
            "decline": partial(referral_services.referral_move, kind=EventKind.NOT_ACCEPTED),
            "assess": partial(referral_services.referral_move, kind=EventKind.ASSESSMENT_STARTED),
            "intervene": referral_services.intervention_start,
            "complete": referral_services.referral_complete,
            "disengage": partial(referral_services.referral_move, kind=EventKind.DISENGAGED),
            "hold": partial(referral_services.referral_move, kind=EventKind.ON_HOLD),
        }[kind]
        extra = {}
        if kind == "disengage":
            extra["reason"] = DisengagementReason.objects.get(code=reason[0])
        if kind == "hold":
            extra["reason"] = HoldReason.objects.get(code=reason[0])
        if kind == "decline":
            extra["reason"] = reason[0]
        if kind == "intervene" and reason:
            extra["intervention"] = Intervention.objects.get(code=reason[0])
        service(referral=referral, actor=actor, occurred_on=on, **extra)
        referral.refresh_from_db()


def attended_appointment(referral, actor, on):
    appointment = referral_services.appointment_book(
        referral=referral,
        actor=actor,
        practitioner=actor,
        starts_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0))),
        kind=Appointment.Kind.ASSESSMENT,
        mode=Appointment.Mode.HOME,
    )
    referral_services.appointment_record_outcome(
        appointment=appointment, actor=actor, outcome=Appointment.Outcome.ATTENDED
    )


def phq9(total_items: list[int]) -> dict[int, int]:
    return {number: answer for number, answer in enumerate(total_items, start=1)}


@pytest.fixture
def service_a(team_a, manager):
    """Seven referrals around the period, workforce activity inside and outside it."""
    from referrals.models import DeclineReason

    actor = manager
    r1 = make_referral(team_a, actor, reference="R1", received_on=D(2024, 1, 20), infant_born=D(2023, 7, 20))
    move(r1, actor, ("accept", D(2024, 1, 25)))
    attended_appointment(r1, actor, D(2024, 1, 30))  # first contact after 10 days; starts the assessment
    move(r1, actor, ("intervene", D(2024, 2, 10), "vig"))
    referral_services.intervention_episode_create(
        referral=r1,
        actor=actor,
        intervention=Intervention.objects.get(code="psychoeducation"),
        started_on=D(2024, 2, 15),
    )
    mother = r1.caregivers.get(position=1)
    father = CaregiverFactory(referral=r1, position=2, role="father")
    questionnaire_record(
        referral=r1,
        caregiver=mother,
        instrument="phq9",
        timepoint="T1",
        completed_on=D(2024, 2, 10),
        actor=actor,
        answers=phq9([2, 2, 2, 2, 2, 2, 1, 1, 1]),
    )  # 15
    questionnaire_record(
        referral=r1,
        caregiver=mother,
        instrument="phq9",
        timepoint="T2",
        completed_on=D(2024, 3, 1),
        actor=actor,
        answers=phq9([1, 1, 1, 1, 1, 1, 1, 1, 0]),
    )  # 8: a reliable improvement of 7
    questionnaire_record(
        referral=r1,
        caregiver=father,
        instrument="gad7",
        timepoint="T1",
        completed_on=D(2024, 2, 10),
        actor=actor,
        totals={"total": 12},
    )
    questionnaire_record(
        referral=r1,
        caregiver=father,
        instrument="gad7",
        timepoint="T2",
        completed_on=D(2024, 3, 1),
        actor=actor,
        totals={"total": 10},
    )
    move(r1, actor, ("complete", D(2024, 3, 1)))

    r2 = make_referral(team_a, actor, reference="R2", received_on=D(2024, 2, 1), infant_born=D(2023, 11, 1))
    r2.first_contact_on = D(2024, 2, 3)  # a contact by telephone, recorded without an appointment
    r2.save(update_fields=["first_contact_on"])
    move(r2, actor, ("accept", D(2024, 2, 5)), ("intervene", D(2024, 2, 20), "cft_pir"), ("complete", D(2024, 3, 20)))

    r3 = make_referral(team_a, actor, reference="R3", received_on=D(2024, 2, 10), pathway="group")
    move(r3, actor, ("decline", D(2024, 3, 15), DeclineReason.objects.first()))

    r4 = make_referral(
        team_a, actor, reference="R4", received_on=D(2024, 1, 17), pathway="group", infant_born=D(2021, 1, 17)
    )
    move(r4, actor, ("accept", D(2024, 1, 18)), ("disengage", D(2024, 2, 1), "childcare"))

    make_referral(team_a, actor, reference="R5", received_on=D(2024, 3, 11))
    make_referral(team_a, actor, reference="R6", received_on=D(2024, 1, 10))

    r7 = make_referral(team_a, actor, reference="R7", received_on=D(2024, 2, 20), antenatal=True)
    move(r7, actor, ("accept", D(2024, 2, 21)), ("hold", D(2024, 3, 1), HoldReason.objects.first().code))

    TrainingSessionFactory(
        team=team_a,
        date=D(2024, 2, 1),
        session_type="bitesize",
        participants=10,
        feedback_returned=8,
        feedback_positive=7,
    )
    TrainingSessionFactory(
        team=team_a,
        date=D(2024, 3, 10),
        session_type="introduction",
        participants=15,
        feedback_returned=0,
        feedback_positive=0,
    )
    TrainingSessionFactory(team=team_a, date=D(2024, 3, 11), session_type="introduction", participants=99)
    ConsultationFactory(team=team_a, date=D(2024, 1, 16), outcome="referred", children=2, sequence=1)
    ConsultationFactory(
        team=team_a,
        date=D(2024, 1, 16),
        outcome="action_plan",
        children=None,
        sequence=2,
        consultee_service=Service.objects.get(code="social_care"),
    )
    ConsultationFactory(team=team_a, date=D(2024, 1, 15), outcome="referred", children=5, sequence=1)
    return team_a


def test_every_figure_of_the_hand_built_service(service_a):
    report = kpi_export(teams=[service_a], period=PERIOD)

    assert report["team"] == "team-a"
    assert report["period"] == {"start": "2024-01-16", "end": "2024-03-10", "months": round(MONTHS, 2)}

    referrals = report["referrals"]
    assert referrals["received"] == 5
    assert referrals["accepted"] == 4
    assert referrals["antenatal"] == 1
    assert referrals["by_pathway"] == {
        "individual": {"received": 3, "accepted": 3},
        "group": {"received": 2, "accepted": 1},
    }
    assert referrals["engagement"]["total"] == {
        "awaiting_decision": 1,  # R3: declined only after the period's end
        "not_accepted": 0,
        "disengaged_at_referral": 1,
        "disengaged_at_assessment": 0,
        "disengaged_during_intervention": 0,
        "on_hold": 1,
        "completed": 1,
        "in_progress": 1,  # R2: completed only after the period's end
    }
    assert referrals["engagement"]["group"]["awaiting_decision"] == 1
    assert referrals["engagement"]["group"]["disengaged_at_referral"] == 1
    assert referrals["families_supported"] == 2
    assert referrals["by_referrer_service"] == {"health_visiting": 4, "midwifery": 1}
    assert list(referrals["by_referrer_service"]) == ["health_visiting", "midwifery"]  # the most referrals first
    assert referrals["timeliness"] == {
        "with_first_contact": 2,
        "median_days_to_first_contact": 6.0,
        "p90_days_to_first_contact": 10.0,
        "within_target": 1.0,
        "target_days": 14,
    }
    individual_days = ((D(2024, 1, 20) - D(2023, 7, 20)).days + (D(2024, 2, 1) - D(2023, 11, 1)).days) / 2
    assert referrals["mean_infant_age_months"]["individual"] == round(individual_days / DAYS_PER_MONTH, 1)
    assert referrals["mean_infant_age_months"]["group"] == round(
        (D(2024, 1, 17) - D(2021, 1, 17)).days / DAYS_PER_MONTH, 1
    )

    assert report["interventions"] == {
        "episodes": 2,
        "families": 1,
        "by_intervention": {"psychoeducation": 1, "vig": 1},
        "active_episodes": 1,
    }

    outcomes = report["outcomes"]
    assert (outcomes["completed"], outcomes["paired"], outcomes["pairing_rate"]) == (1, 1, 1.0)
    assert outcomes["instruments"]["phq9"] == {
        "n": 1,
        "mean_t1": 15.0,
        "mean_t2": 8.0,
        "mean_change": -7.0,
        "p_value": None,
        "effect_size": None,
        "reliably_improved": 1,
        "no_reliable_change": 0,
        "reliably_deteriorated": 0,
    }
    assert outcomes["instruments"]["gad7"]["n"] == 1
    assert outcomes["instruments"]["gad7"]["no_reliable_change"] == 1
    assert outcomes["instruments"]["mors_sf"]["warmth"]["n"] == 0
    assert outcomes["instruments"]["mors_sf"]["warmth"]["reliably_improved"] is None

    assert report["training"]["sessions"] == 2
    assert report["training"]["participants"] == 25
    assert report["training"]["by_type"]["bitesize"] == {"sessions": 1, "participants": 10}
    assert (report["training"]["feedback_returned"], report["training"]["feedback_positive"]) == (8, 7)
    assert report["consultations"]["total"] == 2
    assert report["consultations"]["by_outcome"] == {"referred": 1, "action_plan": 1, "signposted": 0, "advice_only": 0}
    assert (report["consultations"]["children_recorded_in"], report["consultations"]["children"]) == (1, 2)
    assert report["consultations"]["by_service"] == {"health_visiting": 1, "social_care": 1}


def test_kpis_are_pro_rated_and_rated(service_a):
    kpis = {entry["id"]: entry for entry in kpi_export(teams=[service_a], period=PERIOD)["kpis"]}
    # team_a has no recorded start date: an established service, on the steady-state targets.
    assert kpis["training_sessions"] == {
        "id": "training_sessions",
        "target": round(12 / 12 * MONTHS, 1),
        "target_to_date": None,
        "actual": 2,
        "rate": None,
        "status": "green",
    }
    assert kpis["training_participants"]["target"] == round(240 / 12 * MONTHS, 1)
    assert kpis["training_participants"]["status"] == "red"  # 25 against 36.8
    assert kpis["families_supported"]["target"] == round(60 / 12 * MONTHS, 1)
    assert kpis["families_supported"]["status"] == "red"
    assert kpis["outcome_pairing_rate"] == {
        "id": "outcome_pairing_rate",
        "target": 0.75,
        "target_to_date": None,
        "actual": 1,
        "rate": 1.0,
        "status": "too_few",
    }
    assert kpis["training_positive_feedback"]["rate"] == 0.875
    assert kpis["training_positive_feedback"]["status"] == "green"
    assert kpis["timeliness_first_contact"]["status"] == "too_few"


def test_a_team_target_replaces_the_default_from_its_service_year(service_a):
    KpiTarget.objects.create(team=service_a, kpi="training_participants", from_service_year=1, annual_target=100)
    kpis = {entry["id"]: entry for entry in kpi_export(teams=[service_a], period=PERIOD)["kpis"]}
    assert kpis["training_participants"]["target"] == round(100 / 12 * MONTHS, 1)


def test_teams_summed_each_bring_the_target_of_their_own_service_year(db):
    """Families supported: 40 a year in a service's first year, 60 from its second. Over January to March 2024,
    a team started in April 2023 is in its first year (10), one started in April 2022 in its second (15)."""
    teams = [
        TeamFactory(slug=slug, service_started_on=start)
        for slug, start in (("second-1", D(2022, 4, 1)), ("first", D(2023, 4, 1)), ("second-2", D(2022, 5, 1)))
    ]
    quarter = Period(D(2024, 1, 1), D(2024, 3, 31))
    kpis = {entry["id"]: entry for entry in kpi_export(teams=teams, period=quarter)["kpis"]}
    assert kpis["families_supported"]["target"] == 15 + 10 + 15


def test_the_commissioner_version_applies_the_teams_rule(service_a):
    report = kpi_export(teams=[service_a], period=PERIOD, commissioner=True)
    assert report["disclosure_control"] == "hes"
    assert report["referrals"]["received"] == "*"
    assert report["training"]["participants"] == 25
    assert report["training"]["by_type"]["introduction"]["participants"] == 15
    assert report["referrals"]["engagement"]["total"]["not_accepted"] == 0
    assert report["outcomes"]["instruments"]["phq9"]["mean_t1"] == "*"

    service_a.disclosure_control = DisclosureControl.MHSDS
    service_a.save()
    report = kpi_export(teams=[service_a], period=PERIOD, commissioner=True)
    assert report["disclosure_control"] == "mhsds"
    assert report["referrals"]["engagement"]["total"]["not_accepted"] == "*"


def test_several_teams_are_summed(service_a, team_b):
    TrainingSessionFactory(team=team_b, date=D(2024, 2, 2), session_type="imh_pir", participants=30)
    report = kpi_export(teams=[service_a, team_b], period=PERIOD)
    assert report["team"] == "team-a,team-b"
    assert report["training"]["participants"] == 55
    assert report["referrals"]["received"] == 5
    kpis = {entry["id"]: entry for entry in report["kpis"]}
    assert kpis["training_participants"]["target"] == round(2 * 240 / 12 * MONTHS, 1)


def _held_in(part, whole, path="report"):
    """Every key of `part` is in `whole`, with the same value all the way down."""
    if isinstance(part, dict):
        assert isinstance(whole, dict), path
        for key, value in part.items():
            assert key in whole, f"{path}.{key}"
            _held_in(value, whole[key], f"{path}.{key}")
    else:
        assert part == whole, path


@pytest.mark.parametrize("commissioner", [False, True])
@pytest.mark.parametrize("today", [D(2024, 6, 1), D(2024, 2, 20)], ids=["ended", "running"])
def test_the_headline_is_the_reports_kpis_and_their_figures(service_a, team_b, commissioner, today):
    TrainingSessionFactory(team=team_b, date=D(2024, 2, 2), session_type="imh_pir", participants=30)
    for teams in ([service_a], [service_a, team_b]):
        options = {"teams": teams, "period": PERIOD, "commissioner": commissioner, "today": today}
        headline = kpi_export(**options, headline=True)
        report = kpi_export(**options)
        _held_in(headline, report)
        assert headline["kpis"] == report["kpis"]
        assert [entry["status"] for entry in headline["kpis"]] != ["no_target"] * len(headline["kpis"])
        assert headline["referrals"]["received"] == report["referrals"]["received"] != 0
        assert headline["outcomes"]["paired"] == report["outcomes"]["paired"] != 0
    with CaptureQueriesContext(connection) as captured:
        kpi_export(teams=[service_a], period=PERIOD, headline=True, today=today)
    assert len(captured.captured_queries) == 6


@pytest.mark.parametrize("commissioner", [False, True])
def test_the_headlines_of_several_periods_are_each_periods_own(service_a, team_b, commissioner):
    """Asked together, each month is judged as at its own end: the referrals received in it, their status, clocks
    and questionnaires as at its last day, its own targets (the running month's to date), in 6 queries in all."""
    TrainingSessionFactory(team=team_b, date=D(2024, 2, 2), session_type="imh_pir", participants=30)
    months = [Period(D(2024, month, 1), D(2024, month + 1, 1) - datetime.timedelta(days=1)) for month in range(1, 7)]
    today = D(2024, 3, 20)
    for teams in ([service_a], [service_a, team_b]):
        options = {"commissioner": commissioner, "today": today}
        cohorts = [Cohort.of(teams, month) for month in months]
        with CaptureQueriesContext(connection) as captured:
            together = kpi_headline_exports(cohorts=cohorts, commissioner=[commissioner] * len(months), today=today)
        assert len(captured.captured_queries) == 6
        assert together == [kpi_export(teams=teams, period=month, headline=True, **options) for month in months]
        for month, headline in zip(months, together, strict=True):
            _held_in(headline, kpi_export(teams=teams, period=month, **options))
        backwards = kpi_headline_exports(cohorts=cohorts[::-1], commissioner=[commissioner] * len(months), today=today)
        assert backwards == together[::-1]
    received = [headline["referrals"]["received"] for headline in together]
    assert len(set(received)) > 1
    assert [entry["target_to_date"] is not None for entry in together[2]["kpis"]] == [True] * len(together[2]["kpis"])
    assert kpi_headline_exports(cohorts=[], commissioner=[]) == []


def test_the_headlines_of_teams_compared_are_each_teams_own(service_a, team_b):
    """Each team over the same period, asked together: its own referrals, workforce and targets, its own
    first-contact target, each shown exactly or under its own rule, in 6 queries however many teams."""
    TrainingSessionFactory(team=team_b, date=D(2024, 2, 2), session_type="imh_pir", participants=30)
    team_b.first_contact_target_days = 3
    team_b.save()
    manager_b = MembershipFactory(team=team_b, role=Role.MANAGER).user
    referral = make_referral(team_b, manager_b, reference="B1", received_on=D(2024, 1, 20))
    move(referral, manager_b, ("accept", D(2024, 1, 22)))
    attended_appointment(referral, manager_b, D(2024, 1, 24))  # first contact after 4 days: beyond team B's 3
    team_c = TeamFactory(slug="team-c", name="Team C")
    teams, today = [service_a, team_b, team_c], D(2024, 6, 1)
    flags = [True, False, True]
    cohorts = [Cohort.of([team], PERIOD) for team in teams]
    with CaptureQueriesContext(connection) as captured:
        together = kpi_headline_exports(cohorts=cohorts, commissioner=flags, today=today)
    assert len(captured.captured_queries) == 6
    alone = [
        kpi_export(teams=[team], period=PERIOD, commissioner=flag, headline=True, today=today)
        for team, flag in zip(teams, flags, strict=True)
    ]
    assert together == alone
    for team, flag, headline in zip(teams, flags, together, strict=True):
        _held_in(headline, kpi_export(teams=[team], period=PERIOD, commissioner=flag, today=today))
    timeliness = [headline["referrals"]["timeliness"] for headline in together]
    assert [block["target_days"] for block in timeliness] == [
        service_a.first_contact_target_days,
        3,
        team_c.first_contact_target_days,
    ]
    assert service_a.first_contact_target_days > 4
    assert timeliness[1]["within_target"] == 0
    assert together[0]["disclosure_control"] == "hes"
    assert "disclosure_control" not in together[1]
    assert [headline["team"] for headline in together] == ["team-a", "team-b", "team-c"]
    with pytest.raises(ValueError, match="share a team"):
        kpi_headline_exports(cohorts=[*cohorts, Cohort.of([service_a, team_c], PERIOD)], commissioner=[*flags, True])


def test_appointments_count_by_their_local_day_at_the_periods_edges(team_a):
    """A summer period (BST): 00:30 on its first day and 23:30 on its last are in it; 23:30 the evening before it
    and 00:15 the morning after are not, although in UTC the first falls on the day before."""
    summer = Period(D(2024, 6, 1), D(2024, 6, 30))
    referral = ReferralFactory(team=team_a)

    def at(day: datetime.date, hour: int, minute: int) -> None:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        AppointmentFactory(referral=referral, starts_at=moment, outcome=Appointment.Outcome.ATTENDED)

    at(D(2024, 6, 1), 0, 30)
    at(D(2024, 6, 30), 23, 30)
    at(D(2024, 5, 31), 23, 30)
    at(D(2024, 7, 1), 0, 15)
    appointments = kpi_export(teams=[team_a], period=summer)["appointments"]
    assert (appointments["offered"], appointments["attended"]) == (2, 2)


def test_the_number_of_queries_does_not_grow_with_the_data(service_a, manager):
    with CaptureQueriesContext(connection) as small:
        kpi_export(teams=[service_a], period=PERIOD)
    for n in range(10):
        referral = make_referral(
            service_a, manager, reference=f"MORE-{n}", received_on=D(2024, 2, 1), infant_born=D(2023, 12, 1)
        )
        move(referral, manager, ("accept", D(2024, 2, 2)), ("intervene", D(2024, 2, 3), "vig"))
        TrainingSessionFactory(team=service_a, date=D(2024, 2, 1) + datetime.timedelta(days=n))
    with CaptureQueriesContext(connection) as large:
        kpi_export(teams=[service_a], period=PERIOD)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_timeliness_takes_the_median_and_the_nearest_rank_90th_percentile(team_a, manager):
    """Waits of 1, 3, 3, 9, 14, 15 and 30 days: median 9, nearest rank for 90% is the 7th (30), 5 within 14 days."""
    received = D(2024, 1, 16)
    for number, wait in enumerate([14, 3, 30, 1, 15, 9, 3, None]):
        referral_services.referral_create(
            team=team_a,
            actor=manager,
            received_on=received,
            pathway="individual",
            referrer_service=Service.objects.get(code="health_visiting"),
            caregivers=[{"role": "mother"}],
            reference=f"W{number}",
            first_contact_on=received + datetime.timedelta(days=wait) if wait is not None else None,
        )

    timeliness = kpi_export(teams=[team_a], period=PERIOD)["referrals"]["timeliness"]

    assert timeliness == {
        "with_first_contact": 7,
        "median_days_to_first_contact": 9,
        "p90_days_to_first_contact": 30,
        "within_target": round(5 / 7, 4),
        "target_days": 14,
    }
