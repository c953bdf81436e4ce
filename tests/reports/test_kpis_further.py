"""The further figures of kpis.md (data-contract.md section 2.1) on hand-built services, each worked out here."""

import datetime

import pytest
from django.utils import timezone

from pairs.periods import Period
from referrals.models import Appointment, Complexity, DisengagementReason, GroupPlace, PipelineEvent
from referrals.pipeline import EventKind, Stage, Status
from referrals.services import referral_levels_record
from reports.kpis import kpi_export
from tests.factories import (
    AppointmentFactory,
    CaregiverFactory,
    ConsultationFactory,
    GroupPlaceFactory,
    GroupProgrammeFactory,
    InfantFactory,
    QuestionnaireFactory,
    ReferralFactory,
    TeamFactory,
    TrainingSessionFactory,
    referral_with_history,
)

D = datetime.date
# The fourth quarter of team A's service year 2023 (years from April): 1 January to 31 March 2024, three months.
PERIOD = Period(D(2024, 1, 1), D(2024, 3, 31))
END = PERIOD.end

pytestmark = pytest.mark.django_db

ACCEPTED = EventKind.ACCEPTED
NOT_ACCEPTED = EventKind.NOT_ACCEPTED
ASSESSMENT = EventKind.ASSESSMENT_STARTED
INTERVENTION = EventKind.INTERVENTION_STARTED
COMPLETED = EventKind.COMPLETED
DISENGAGED = EventKind.DISENGAGED
ON_HOLD = EventKind.ON_HOLD
REOPENED = EventKind.REOPENED


def figures(team, **options) -> dict:
    return kpi_export(teams=[team], period=PERIOD, **options)


def non_zero(counts: dict) -> dict:
    return {code: n for code, n in counts.items() if n}


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def test_the_accepted_rate_and_the_consultation_outcome_shares(team_a, manager):
    for n, steps in enumerate([[(ACCEPTED, D(2024, 1, 5))], [(ACCEPTED, D(2024, 1, 6))], [], []]):
        referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, 2 + n), steps=steps)
    # Accepted after the period's end: awaiting a decision as at the end, so not accepted in the period.
    referral_with_history(
        actor=manager, team=team_a, received_on=D(2024, 3, 30), steps=[(NOT_ACCEPTED, D(2024, 4, 2), "other")]
    )
    for sequence, outcome in enumerate(["referred", "referred", "signposted"], start=1):
        ConsultationFactory(team=team_a, date=D(2024, 2, 1), sequence=sequence, outcome=outcome)

    report = figures(team_a)

    assert report["referrals"]["accepted_rate"] == round(2 / 5, 4)
    assert report["consultations"]["by_outcome_share"] == {
        "referred": round(2 / 3, 4),
        "action_plan": 0.0,
        "signposted": round(1 / 3, 4),
        "advice_only": 0.0,
    }
    assert list(report["consultations"])[:3] == ["total", "by_outcome", "by_outcome_share"]


def test_nothing_to_share_gives_nulls(team_a):
    report = figures(team_a)
    assert report["referrals"]["accepted_rate"] is None
    assert set(report["consultations"]["by_outcome_share"].values()) == {None}


@pytest.fixture
def clocked(team_a, manager):
    """Referrals in the period with their clocks, and referrals open at its end (31 March 2024)."""
    return {
        # 2 days to the decision, 5 to a recorded first contact, 10 to assessment, 30 to intervention.
        "r1": referral_with_history(
            actor=manager,
            team=team_a,
            received_on=D(2024, 1, 10),
            first_contact_on=D(2024, 1, 15),
            steps=[(ACCEPTED, D(2024, 1, 12)), (ASSESSMENT, D(2024, 1, 20)), (INTERVENTION, D(2024, 2, 9))],
        ),
        # Declined the same day it came: a decision after 0 days.
        "r2": referral_with_history(
            actor=manager, team=team_a, received_on=D(2024, 1, 20), steps=[(NOT_ACCEPTED, D(2024, 1, 20), "other")]
        ),
        # 4 days to the decision, 14 to assessment; still in assessment at the end (45 days).
        "r3": referral_with_history(
            actor=manager,
            team=team_a,
            received_on=D(2024, 2, 1),
            steps=[(ACCEPTED, D(2024, 2, 5)), (ASSESSMENT, D(2024, 2, 15))],
        ),
        # Decided only after the end: no decision clock, awaiting a decision at the end (11 days).
        "r4": referral_with_history(
            actor=manager, team=team_a, received_on=D(2024, 3, 20), steps=[(ACCEPTED, D(2024, 4, 2))]
        ),
        # 1 day to the decision; waiting for assessment at the end (49 days since accepted); its assessment after
        # the end starts no clock.
        "r5": referral_with_history(
            actor=manager,
            team=team_a,
            received_on=D(2024, 2, 10),
            steps=[(ACCEPTED, D(2024, 2, 11)), (ASSESSMENT, D(2024, 4, 3))],
        ),
        # Received before the period: no clock of the period, but on hold at its end since 1 March (30 days).
        "r6": referral_with_history(
            actor=manager,
            team=team_a,
            received_on=D(2023, 12, 1),
            steps=[(ACCEPTED, D(2023, 12, 5)), (ON_HOLD, D(2024, 3, 1), "family_request")],
        ),
        # Received before the period, waiting for assessment since 11 December (111 days).
        "r7": referral_with_history(
            actor=manager, team=team_a, received_on=D(2023, 12, 10), steps=[(ACCEPTED, D(2023, 12, 11))]
        ),
        # Closed before the end, and received after it: on no waiting list.
        "closed": referral_with_history(
            actor=manager,
            team=team_a,
            received_on=D(2023, 11, 1),
            steps=[(ACCEPTED, D(2023, 11, 2)), (INTERVENTION, D(2023, 11, 20)), (COMPLETED, D(2024, 2, 1))],
        ),
        "later": referral_with_history(actor=manager, team=team_a, received_on=D(2024, 4, 5)),
    }


def test_the_four_clocks(clocked, team_a):
    clocks = figures(team_a)["referrals"]["clocks"]

    # Decisions after 0, 1, 2 and 4 days: an even number, so the median is the mean of the middle two, (1 + 2) / 2;
    # the 90th percentile is the nearest rank, the ceil(0.9 x 4) = 4th.
    assert clocks["to_decision"] == {"n": 4, "median_days": 1.5, "p90_days": 4.0}
    assert clocks["to_first_contact"] == {"n": 1, "median_days": 5.0, "p90_days": 5.0}
    # 10 and 14 days: median 12, nearest rank ceil(1.8) = 2nd.
    assert clocks["to_assessment"] == {"n": 2, "median_days": 12.0, "p90_days": 14.0}
    assert clocks["to_intervention"] == {"n": 1, "median_days": 30.0, "p90_days": 30.0}


def test_the_first_contact_clock_is_the_timeliness_rule(clocked, team_a, manager):
    """An attended appointment before a recorded contact is the first contact; one after the end is not."""
    AppointmentFactory(referral=clocked["r1"], starts_at=at(D(2024, 1, 13)), outcome=Appointment.Outcome.ATTENDED)
    AppointmentFactory(referral=clocked["r3"], starts_at=at(D(2024, 4, 2)), outcome=Appointment.Outcome.ATTENDED)
    AppointmentFactory(referral=clocked["r5"], starts_at=at(D(2024, 2, 25)), outcome=Appointment.Outcome.ATTENDED)

    referrals = figures(team_a)["referrals"]

    # r1 after 3 days (the appointment), r5 after 15: median 9, nearest rank for 90% the 2nd; 1 of 2 within 14 days.
    assert referrals["clocks"]["to_first_contact"] == {"n": 2, "median_days": 9.0, "p90_days": 15.0}
    assert referrals["timeliness"] == {
        "with_first_contact": 2,
        "median_days_to_first_contact": 9.0,
        "p90_days_to_first_contact": 15.0,
        "within_target": 0.5,
        "target_days": 14,
    }


def test_waiting_at_the_periods_end_by_stage(clocked, team_a):
    waiting = figures(team_a)["referrals"]["waiting_at_end"]

    assert waiting == {
        "awaiting_decision": {"n": 1, "median_days": 11.0, "longest_days": 11.0},
        # 49 and 111 days since accepted.
        "waiting_for_assessment": {"n": 2, "median_days": 80.0, "longest_days": 111.0},
        "in_assessment": {"n": 1, "median_days": 45.0, "longest_days": 45.0},
        # r1, since its intervention started on 9 February.
        "in_intervention": {"n": 1, "median_days": 51.0, "longest_days": 51.0},
        "on_hold": {"n": 1, "median_days": 30.0, "longest_days": 30.0},
    }


def test_no_waits_give_nulls(team_a):
    referrals = figures(team_a)["referrals"]
    assert referrals["clocks"]["to_decision"] == {"n": 0, "median_days": None, "p90_days": None}
    assert referrals["waiting_at_end"]["on_hold"] == {"n": 0, "median_days": None, "longest_days": None}


def test_the_profile_at_referral(team_a, manager):
    def referral(received_on, **fields):
        return ReferralFactory(team=team_a, received_on=received_on, **fields)

    first = referral(D(2024, 2, 28), imd_decile=1)
    CaregiverFactory(referral=first, position=1, role="mother", ethnicity="white")
    # A second caregiver known only from outcomes.csv has nothing recorded.
    CaregiverFactory(referral=first, position=2, role="father", ethnicity="")
    # Born 30 November: the third month completes on 29 February, the last day of the shorter month, not before.
    InfantFactory(referral=first, date_of_birth=D(2023, 11, 30))

    second = referral(D(2024, 2, 29), imd_decile=1)
    CaregiverFactory(referral=second, position=1, role="father", ethnicity="not_stated")
    InfantFactory(referral=second, date_of_birth=D(2023, 11, 30))

    third = referral(D(2024, 3, 15), imd_decile=10)
    CaregiverFactory(referral=third, position=1, role="other", ethnicity="white")
    CaregiverFactory(referral=third, position=2, role="co_parent", ethnicity="black")
    for born in (D(2023, 12, 15), D(2023, 12, 16), D(2023, 3, 15), D(2022, 3, 15)):  # siblings: one count each
        InfantFactory(referral=third, date_of_birth=born)

    fourth = referral(D(2024, 3, 14))
    CaregiverFactory(referral=fourth, position=1, role="mother", ethnicity="")
    InfantFactory(referral=fourth, date_of_birth=D(2023, 3, 15))

    # Antenatal: its infant is antenatal though born since.
    antenatal = referral(D(2024, 1, 10), is_antenatal=True)
    InfantFactory(referral=antenatal, date_of_birth=D(2024, 3, 1))
    # Its one caregiver is at position 2, with none at 1: the first all the same.
    CaregiverFactory(referral=antenatal, position=2, role="co_parent", ethnicity="mixed")
    referral(D(2024, 1, 11))  # no caregiver and no infant recorded
    outside = referral(D(2023, 12, 31), imd_decile=5)
    CaregiverFactory(referral=outside, position=1, role="mother", ethnicity="asian")
    InfantFactory(referral=outside, date_of_birth=D(2023, 12, 1))

    profile = figures(team_a)["referrals"]["profile"]

    assert profile["caregiver_role"] == {"mother": 2, "father": 1, "co_parent": 1, "other": 1, "not_recorded": 1}
    assert profile["ethnicity"] == {
        "white": 2,
        "mixed": 1,
        "asian": 0,
        "black": 1,
        "other": 0,
        "not_stated": 1,
        "not_recorded": 2,
    }
    assert profile["imd_decile"] == {
        **{str(decile): 0 for decile in range(1, 11)},
        "1": 2,
        "10": 1,
        "not_recorded": 3,
    }
    assert profile["infant_age_at_referral"] == {
        "antenatal": 1,
        # 28 February 2024 from 30 November (2 months: not the last day of February 2024), 15 March from
        # 16 December (2).
        "under_3_months": 2,
        # 29 February from 30 November (3), 15 March from 15 December (3).
        "3_to_5_months": 2,
        # 14 March 2024 from 15 March 2023 (11).
        "6_to_11_months": 1,
        "12_to_23_months": 1,
        "24_months_and_over": 1,
        "not_recorded": 1,
    }


@pytest.fixture
def accepted_with_levels(team_a, manager):
    """Accepted referrals with levels recorded around their decision, and one not accepted."""

    def levels(referral, on, safeguarding=None, risks=None):
        referral.refresh_from_db()
        referral_levels_record(
            referral=referral,
            actor=manager,
            recorded_on=on,
            safeguarding_level=safeguarding,
            risk_count=risks,
            thrive_level=None,
            imd_decile=None,
        )

    mental_health, abuse = (Complexity.objects.get(code=code) for code in ("parental_mental_health", "domestic_abuse"))
    a = referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, 5), steps=[(ACCEPTED, D(2024, 1, 10))])
    levels(a, D(2024, 1, 10), safeguarding=2, risks=0)  # on the decision date
    levels(a, D(2024, 2, 1), safeguarding=3, risks=1)  # later: not the level at acceptance
    a.complexities.set([mental_health, abuse])
    b = referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, 6), steps=[(ACCEPTED, D(2024, 1, 15))])
    levels(b, D(2024, 2, 1), safeguarding=4, risks=7)  # recorded only after acceptance: the first after it counts
    levels(b, D(2024, 3, 1), safeguarding=1, risks=2)
    b.complexities.set([abuse])
    c = referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, 7), steps=[(ACCEPTED, D(2024, 1, 20))])
    levels(c, D(2024, 4, 5), safeguarding=1, risks=3)  # after the period's end: not recorded as at the end
    d = referral_with_history(
        actor=manager,
        team=team_a,
        received_on=D(2024, 1, 3),
        steps=[(ACCEPTED, D(2024, 1, 12)), (DISENGAGED, D(2024, 2, 1), "childcare")],
    )
    levels(d, D(2024, 1, 5), safeguarding=3, risks=4)
    levels(d, D(2024, 1, 12), safeguarding=1)  # the last on or before the decision; its risks are from 5 January
    declined = referral_with_history(
        actor=manager, team=team_a, received_on=D(2024, 1, 8), steps=[(NOT_ACCEPTED, D(2024, 1, 9), "other")]
    )
    levels(declined, D(2024, 1, 9), safeguarding=4, risks=9)
    declined.complexities.set([mental_health])
    # Declined, reopened and then accepted: its levels are those at the acceptance, not at the first decision.
    reconsidered = referral_with_history(
        actor=manager,
        team=team_a,
        received_on=D(2024, 1, 4),
        steps=[(NOT_ACCEPTED, D(2024, 1, 9), "other"), (REOPENED, D(2024, 1, 20)), (ACCEPTED, D(2024, 1, 25))],
    )
    levels(reconsidered, D(2024, 1, 9), safeguarding=4, risks=9)
    levels(reconsidered, D(2024, 1, 25), safeguarding=2, risks=2)
    return team_a


def test_complexity_at_acceptance(accepted_with_levels):
    at_acceptance = figures(accepted_with_levels)["referrals"]["at_acceptance"]

    assert at_acceptance["safeguarding_level"] == {"1": 1, "2": 2, "3": 0, "4": 1, "not_recorded": 1}
    assert at_acceptance["risk_count"] == {
        "0": 1,
        "1": 0,
        "2": 1,
        "3": 0,
        "4": 1,
        "5_or_more": 1,
        "not_recorded": 1,
    }
    complexities = at_acceptance["complexities"]
    assert list(complexities) == [
        *Complexity.objects.order_by("sort_order", "code").values_list("code", flat=True),
        "not_recorded",
    ]
    assert non_zero(complexities) == {
        "parental_mental_health": 1,
        "domestic_abuse": 2,
        "not_recorded": 3,
    }


def test_a_record_without_a_level_is_not_a_level_recorded(team_a, manager):
    """A referral created with its IMD decile gets a levels record on receipt with no safeguarding level: the level
    at acceptance is then the first recorded after it."""
    referral = referral_with_history(
        actor=manager, team=team_a, received_on=D(2024, 1, 5), steps=[(ACCEPTED, D(2024, 1, 8))]
    )
    for on, level in ((D(2024, 1, 5), None), (D(2024, 1, 20), 3)):
        referral.refresh_from_db()
        referral_levels_record(
            referral=referral,
            actor=manager,
            recorded_on=on,
            safeguarding_level=level,
            risk_count=None,
            thrive_level=None,
            imd_decile=2,
        )
    at_acceptance = figures(team_a)["referrals"]["at_acceptance"]
    assert at_acceptance["safeguarding_level"] == {"1": 0, "2": 0, "3": 1, "4": 0, "not_recorded": 0}
    assert at_acceptance["risk_count"]["not_recorded"] == 1


def test_disengagement_reasons(team_a, manager):
    def disengaged(received_on, steps):
        return referral_with_history(actor=manager, team=team_a, received_on=received_on, steps=steps)

    disengaged(D(2024, 1, 2), [(ACCEPTED, D(2024, 1, 3)), (DISENGAGED, D(2024, 1, 20), "childcare")])
    disengaged(D(2024, 1, 3), [(ACCEPTED, D(2024, 1, 4)), (DISENGAGED, D(2024, 2, 20), "childcare")])
    disengaged(
        D(2024, 1, 4),
        [(ACCEPTED, D(2024, 1, 5)), (ASSESSMENT, D(2024, 1, 6)), (DISENGAGED, D(2024, 2, 1), "waiting_time")],
    )
    disengaged(
        D(2024, 1, 5),
        [(ACCEPTED, D(2024, 1, 6)), (INTERVENTION, D(2024, 1, 7)), (DISENGAGED, D(2024, 3, 1), "moved_away")],
    )
    # Disengaged only after the end: in progress as at the end, so not counted.
    disengaged(D(2024, 1, 6), [(ACCEPTED, D(2024, 1, 7)), (DISENGAGED, D(2024, 4, 2), "not_ready")])
    # Imported without a reason (the retired code `not_recorded`), and older data that kept none at all.
    disengaged(D(2024, 1, 8), [(ACCEPTED, D(2024, 1, 9)), (DISENGAGED, D(2024, 1, 10), "not_recorded")])
    legacy = disengaged(D(2024, 1, 7), [(ACCEPTED, D(2024, 1, 8))])
    # Written as an older import left it, past the services' checks; the acceptance it follows is superseded.
    legacy.events.filter(sequence=2).update(superseded_on=D(2024, 1, 9))
    PipelineEvent.objects.create(
        referral=legacy,
        team=legacy.team,
        kind=EventKind.DISENGAGED,
        occurred_on=D(2024, 1, 9),
        sequence=3,
        status=Status.DISENGAGED_AT_REFERRAL,
        stage=Stage.REFERRAL,
        recorded_by=manager,
    )

    reasons = figures(team_a)["referrals"]["disengagement_reasons"]

    codes = DisengagementReason.objects.exclude(code="not_recorded").order_by("sort_order", "code")
    assert list(reasons) == ["disengaged_at_referral", "disengaged_at_assessment", "disengaged_during_intervention"]
    assert list(reasons["disengaged_at_referral"]) == [*codes.values_list("code", flat=True), "not_recorded"]
    assert non_zero(reasons["disengaged_at_referral"]) == {"childcare": 2, "not_recorded": 2}
    assert non_zero(reasons["disengaged_at_assessment"]) == {"waiting_time": 1}
    assert non_zero(reasons["disengaged_during_intervention"]) == {"moved_away": 1}


def test_appointments(team_a, team_b):
    earlier = ReferralFactory(team=team_a, received_on=D(2023, 10, 1))  # any referral of the team, not the cohort
    recent = ReferralFactory(team=team_a, received_on=D(2024, 1, 5))
    outcomes = Appointment.Outcome
    for referral, day, outcome in [
        (earlier, D(2024, 1, 2), outcomes.ATTENDED),
        (earlier, D(2024, 1, 9), outcomes.ATTENDED),
        (recent, D(2024, 3, 31), outcomes.ATTENDED),
        (recent, D(2024, 2, 1), outcomes.DID_NOT_ATTEND),
        (recent, D(2024, 2, 8), outcomes.CANCELLED_BY_FAMILY),
        (recent, D(2024, 2, 15), outcomes.CANCELLED_BY_SERVICE),
        (recent, D(2024, 2, 22), ""),
        (recent, D(2024, 4, 1), outcomes.ATTENDED),  # after the end
        (earlier, D(2023, 12, 31), outcomes.DID_NOT_ATTEND),  # before the start
    ]:
        AppointmentFactory(referral=referral, starts_at=at(day), outcome=outcome)
    AppointmentFactory(referral=ReferralFactory(team=team_b), starts_at=at(D(2024, 2, 1)), outcome=outcomes.ATTENDED)

    assert figures(team_a)["appointments"] == {
        "offered": 7,
        "attended": 3,
        "did_not_attend": 1,
        "cancelled_by_family": 1,
        "cancelled_by_service": 1,
        "not_recorded": 1,
        "attendance_rate": 0.75,
        "families_seen": 2,
    }


def test_group_places_as_they_stood_at_the_end(team_a, team_b):
    programme = GroupProgrammeFactory(team=team_a, starts_on=D(2024, 1, 8))

    def place(offered_on, status=GroupPlace.Status.OFFERED, responded_on=None, on=programme):
        return GroupPlaceFactory(
            programme=on,
            referral=ReferralFactory(team=on.team, received_on=D(2023, 12, 1)),
            waiting_since=D(2023, 12, 1),
            offered_on=offered_on,
            status=status,
            responded_on=responded_on,
        )

    place(D(2024, 1, 10), GroupPlace.Status.TAKEN_UP, D(2024, 1, 15))
    place(D(2024, 2, 1), GroupPlace.Status.DECLINED, D(2024, 2, 3))
    place(D(2024, 3, 20), GroupPlace.Status.TAKEN_UP, D(2024, 4, 2))  # the reply came after the end: still awaited
    place(D(2024, 3, 25))
    place(D(2023, 12, 20), GroupPlace.Status.TAKEN_UP, D(2024, 1, 2))  # offered before the period
    place(D(2024, 2, 1), on=GroupProgrammeFactory(team=team_b))

    assert figures(team_a)["group_places"] == {
        "offered": 4,
        "taken_up": 1,
        "declined": 1,
        "awaiting_reply": 2,
        "take_up_rate": 0.25,
    }


T2_ON = D(2024, 3, 1)


def _pair(referral, caregiver, instrument, t1, t2, *, t2_on=T2_ON):
    """A T1 on the referral's day and a T2 (None for none), from totals."""
    QuestionnaireFactory(
        referral=referral,
        caregiver=caregiver,
        instrument=instrument,
        timepoint="T1",
        completed_on=referral.received_on,
        totals=t1,
    )
    if t2 is not None:
        QuestionnaireFactory(
            referral=referral, caregiver=caregiver, instrument=instrument, timepoint="T2", completed_on=t2_on, totals=t2
        )


def _family(team, day, *roles):
    referral = ReferralFactory(team=team, received_on=D(2024, 1, day))
    return referral, [
        CaregiverFactory(referral=referral, position=position, role=role) for position, role in enumerate(roles, 1)
    ]


def test_the_family_outcome_roll_up(team_a):
    # Improved: PHQ-9 down 7 (reliable at 6), GAD-7 down 2 (no reliable change); the caregiver improved.
    referral, [mother] = _family(team_a, 2, "mother")
    _pair(referral, mother, "phq9", {"total": 15}, {"total": 8})
    _pair(referral, mother, "gad7", {"total": 12}, {"total": 10})
    # The mother improved, the father showed no reliable change: the family takes the worse of the two.
    referral, [mother, father] = _family(team_a, 3, "mother", "father")
    _pair(referral, mother, "phq9", {"total": 15}, {"total": 8})
    _pair(referral, father, "gad7", {"total": 12}, {"total": 10})
    # PHQ-9 improved but GAD-7 up 5 (reliable at 4): deteriorated.
    referral, [mother] = _family(team_a, 4, "mother")
    _pair(referral, mother, "phq9", {"total": 15}, {"total": 8})
    _pair(referral, mother, "gad7", {"total": 5}, {"total": 10})
    # Not counted: MORS-SF has no reliable-change threshold; a T1 alone; a T2 after the period's end.
    referral, [mother] = _family(team_a, 5, "mother")
    _pair(referral, mother, "mors_sf", {"warmth": 15, "invasion": 20}, {"warmth": 25, "invasion": 10})
    referral, [mother] = _family(team_a, 6, "mother")
    _pair(referral, mother, "phq9", {"total": 15}, None)
    referral, [mother] = _family(team_a, 7, "mother")
    _pair(referral, mother, "phq9", {"total": 15}, {"total": 3}, t2_on=D(2024, 4, 2))

    assert figures(team_a)["outcomes"]["families"] == {
        "n": 3,
        "improved": 1,
        "no_reliable_change": 1,
        "deteriorated": 1,
    }


def test_recovery_and_reliable_recovery(team_a):
    """Caseness at T1 is PHQ-9 10 or more or GAD-7 8 or more; reliable change is 6 on PHQ-9 and 4 on GAD-7."""
    for day, phq9, gad7 in [
        (2, (15, 8), (12, 7)),  # at caseness; recovered; reliably (both improved)
        (3, (12, 9), (9, 7)),  # at caseness; recovered, but no reliable improvement
        (4, (6, 4), (10, 6)),  # at caseness on GAD-7 only; recovered; reliably (GAD-7 down 4)
        (5, (5, 3), (5, 3)),  # never at caseness: outside the base
        (6, (14, 12), (10, 9)),  # at caseness; PHQ-9 still at caseness at T2: not recovered
        (7, (12, 4), (3, 7)),  # at caseness on PHQ-9 only; recovered, but GAD-7 reliably deteriorated (up 4)
        (9, (9, 3), (7, 3)),  # just below caseness on both (PHQ-9 9, GAD-7 7): outside the base
    ]:
        referral, [mother] = _family(team_a, day, "mother")
        _pair(referral, mother, "phq9", {"total": phq9[0]}, {"total": phq9[1]})
        _pair(referral, mother, "gad7", {"total": gad7[0]}, {"total": gad7[1]})
    referral, [mother] = _family(team_a, 8, "mother")
    _pair(referral, mother, "phq9", {"total": 20}, {"total": 2})  # PHQ-9 alone: not paired on both

    assert figures(team_a)["outcomes"]["recovery"] == {
        "caregivers_paired": 7,
        "at_caseness": 5,
        "recovered": 4,
        "reliably_recovered": 2,
        "recovery_rate": 0.8,
        "reliable_recovery_rate": 0.4,
    }


def test_reach_against_births(team_a, manager):
    for day in (2, 3):
        referral_with_history(
            actor=manager, team=team_a, received_on=D(2024, 1, day), steps=[(ACCEPTED, D(2024, 1, 10))]
        )
    # Two accepted in three months: 8 a year, of the factory team's 1,480 births.
    assert figures(team_a)["reach"] == {
        "births_per_year": 1480,
        "accepted_per_year": 8.0,
        "share_of_births": round(8 / 1480, 4),
    }


def test_reach_of_a_team_with_no_births_figure(team_a, manager):
    team_a.births_per_year = None
    team_a.save()
    referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, 2), steps=[(ACCEPTED, D(2024, 1, 10))])
    other = TeamFactory(slug="other", births_per_year=1000)

    assert figures(team_a)["reach"] == {"births_per_year": None, "accepted_per_year": 4.0, "share_of_births": None}
    assert kpi_export(teams=[team_a, other], period=PERIOD)["reach"]["births_per_year"] is None
    team_a.births_per_year = 500
    team_a.save()
    assert kpi_export(teams=[team_a, other], period=PERIOD)["reach"] == {
        "births_per_year": 1500,
        "accepted_per_year": 4.0,
        "share_of_births": round(4 / 1500, 4),
    }


def test_accepted_a_year_uses_the_unrounded_months(team_a, manager):
    """1 to 10 January 2024 is 10/31 months, 0.32 when rounded: one accepted is 37.2 a year, not 37.5."""
    referral_with_history(actor=manager, team=team_a, received_on=D(2024, 1, 2), steps=[(ACCEPTED, D(2024, 1, 3))])
    reach = kpi_export(teams=[team_a], period=Period(D(2024, 1, 1), D(2024, 1, 10)))["reach"]
    assert reach["accepted_per_year"] == round(12 * 31 / 10, 1) == 37.2
    assert reach["share_of_births"] == round(12 * 31 / 10 / 1480, 4)


def test_a_running_period_is_judged_against_its_target_to_date(team_a):
    """On 15 February 2024, Q4 (January to March) is a month and 15 of February's 29 days in."""
    for day in (D(2024, 1, 10), D(2024, 2, 1)):
        TrainingSessionFactory(team=team_a, date=day)

    kpis = {entry["id"]: entry for entry in figures(team_a, today=D(2024, 2, 15))["kpis"]}

    sessions = kpis["training_sessions"]
    assert (sessions["target"], sessions["target_to_date"]) == (3.0, round(1 + 15 / 29, 1))
    assert (sessions["actual"], sessions["status"]) == (2, "green")  # against 1.5 to date; red against 3
    assert kpis["families_supported"]["target_to_date"] == round(60 / 12 * (1 + 15 / 29), 1)
    # Rates are never pro-rated: the target to date is the target.
    assert kpis["outcome_pairing_rate"]["target_to_date"] == kpis["outcome_pairing_rate"]["target"] == 0.75
    assert all("target_to_date" in entry for entry in kpis.values())

    finished = {entry["id"]: entry for entry in figures(team_a, today=D(2024, 4, 1))["kpis"]}
    assert finished["training_sessions"]["target_to_date"] is None
    assert finished["training_sessions"]["status"] == "red"


def test_every_key_of_section_2_1_is_present_on_an_empty_service(team_a):
    report = figures(team_a)
    assert set(report["referrals"]) >= {
        "accepted_rate",
        "clocks",
        "waiting_at_end",
        "profile",
        "at_acceptance",
        "disengagement_reasons",
    }
    assert set(report["referrals"]["clocks"]) == {"to_decision", "to_first_contact", "to_assessment", "to_intervention"}
    profile = {"caregiver_role", "ethnicity", "imd_decile", "infant_age_at_referral"}
    assert set(report["referrals"]["profile"]) == profile
    assert set(report["referrals"]["at_acceptance"]) == {"safeguarding_level", "risk_count", "complexities"}
    assert report["appointments"]["attendance_rate"] is None
    assert report["group_places"]["take_up_rate"] is None
    assert report["outcomes"]["families"] == {"n": 0, "improved": 0, "no_reliable_change": 0, "deteriorated": 0}
    assert report["outcomes"]["recovery"]["recovery_rate"] is None
    assert report["reach"]["accepted_per_year"] == 0.0
    assert list(report)[-1] == "kpis"
