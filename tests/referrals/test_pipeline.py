"""The pipeline's transition table, tested exhaustively through the services, and the status as at any date."""

import datetime
import itertools
from contextlib import contextmanager

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from referrals import pipeline, services
from referrals.models import (
    DeclineReason,
    DisengagementReason,
    HoldReason,
    Intervention,
    InterventionEpisode,
    LevelsRecord,
    PipelineEvent,
    Referral,
)
from referrals.pipeline import EventKind, Stage, State, Status
from tests.referrals.builders import PATHS, TODAY, make_referral, move_service, reason

pytestmark = pytest.mark.django_db

IP, HOLD = Status.IN_PROGRESS, Status.ON_HOLD
REF, ASSESS, INTERV = Stage.REFERRAL, Stage.ASSESSMENT, Stage.INTERVENTION

# domain.md, The pipeline, written out move by move: (state before, move) -> state after. Every pair not listed is
# forbidden.
ALLOWED = {
    (State(Status.AWAITING_DECISION, REF), EventKind.ACCEPTED): State(IP, REF),
    (State(Status.AWAITING_DECISION, REF), EventKind.NOT_ACCEPTED): State(Status.NOT_ACCEPTED, REF),
    (State(IP, REF), EventKind.ASSESSMENT_STARTED): State(IP, ASSESS),
    (State(IP, REF), EventKind.INTERVENTION_STARTED): State(IP, INTERV),
    (State(IP, REF), EventKind.DISENGAGED): State(Status.DISENGAGED_AT_REFERRAL, REF),
    (State(IP, REF), EventKind.ON_HOLD): State(HOLD, REF),
    (State(IP, ASSESS), EventKind.INTERVENTION_STARTED): State(IP, INTERV),
    (State(IP, ASSESS), EventKind.DISENGAGED): State(Status.DISENGAGED_AT_ASSESSMENT, ASSESS),
    (State(IP, ASSESS), EventKind.ON_HOLD): State(HOLD, ASSESS),
    (State(IP, INTERV), EventKind.COMPLETED): State(Status.COMPLETED, INTERV),
    (State(IP, INTERV), EventKind.DISENGAGED): State(Status.DISENGAGED_DURING_INTERVENTION, INTERV),
    (State(IP, INTERV), EventKind.ON_HOLD): State(HOLD, INTERV),
    (State(HOLD, REF), EventKind.RESUMED): State(IP, REF),
    (State(HOLD, REF), EventKind.DISENGAGED): State(Status.DISENGAGED_AT_REFERRAL, REF),
    (State(HOLD, ASSESS), EventKind.RESUMED): State(IP, ASSESS),
    (State(HOLD, ASSESS), EventKind.DISENGAGED): State(Status.DISENGAGED_AT_ASSESSMENT, ASSESS),
    (State(HOLD, INTERV), EventKind.RESUMED): State(IP, INTERV),
    (State(HOLD, INTERV), EventKind.DISENGAGED): State(Status.DISENGAGED_DURING_INTERVENTION, INTERV),
    (State(Status.NOT_ACCEPTED, REF), EventKind.REOPENED): State(Status.AWAITING_DECISION, REF),
    (State(Status.DISENGAGED_AT_REFERRAL, REF), EventKind.REOPENED): State(IP, REF),
    (State(Status.DISENGAGED_AT_ASSESSMENT, ASSESS), EventKind.REOPENED): State(IP, ASSESS),
    (State(Status.DISENGAGED_DURING_INTERVENTION, INTERV), EventKind.REOPENED): State(IP, INTERV),
    (State(Status.COMPLETED, INTERV), EventKind.REOPENED): State(IP, INTERV),
}

SERVICES = {
    EventKind.ACCEPTED: (services.referral_accept, dict),
    EventKind.NOT_ACCEPTED: (move_service(EventKind.NOT_ACCEPTED), lambda: {"reason": reason(DeclineReason)}),
    EventKind.ASSESSMENT_STARTED: (move_service(EventKind.ASSESSMENT_STARTED), dict),
    EventKind.INTERVENTION_STARTED: (
        services.intervention_start,
        lambda: {"intervention": Intervention.objects.get(code="cft_pir")},
    ),
    EventKind.COMPLETED: (services.referral_complete, dict),
    EventKind.DISENGAGED: (move_service(EventKind.DISENGAGED), lambda: {"reason": reason(DisengagementReason)}),
    EventKind.ON_HOLD: (move_service(EventKind.ON_HOLD), lambda: {"reason": reason(HoldReason)}),
    EventKind.RESUMED: (move_service(EventKind.RESUMED), dict),
    EventKind.REOPENED: (move_service(EventKind.REOPENED), lambda: {"note": "Family asked to come back."}),
}
MOVES = [kind for kind in EventKind if kind != EventKind.RECEIVED]


def state_of(referral: Referral) -> State:
    annotated = Referral.objects.with_current_status().get(pk=referral.pk)
    return State(Status(annotated.status_as_at), Stage(annotated.stage_as_at))


def snapshot(referral: Referral) -> tuple:
    """Everything a refused move must leave untouched."""
    referral.refresh_from_db()
    return (
        referral.version,
        list(PipelineEvent.objects.filter(referral=referral).values_list("pk", "status", "stage")),
        list(InterventionEpisode.objects.filter(referral=referral).values_list("pk", "ended_on")),
        LevelsRecord.objects.filter(referral=referral).count(),
        LogEntry.objects.count(),
    )


def test_the_test_paths_cover_every_state_the_pipeline_knows():
    assert set(PATHS) == set(pipeline.ALL_STATES)
    assert len(ALLOWED) == sum(
        pipeline.TRANSITIONS[kind].allows(state) for state, kind in itertools.product(pipeline.ALL_STATES, MOVES)
    )


def reachable_from(states) -> set[State]:
    """Every state some sequence of moves leads to from `states`, those included."""
    reached, frontier = set(), list(states)
    while frontier:
        state = frontier.pop()
        if state not in reached:
            reached.add(state)
            frontier += [target for kind in MOVES if (target := pipeline.TRANSITIONS[kind].target(state))]
    return reached


@pytest.mark.parametrize("kind", [EventKind.ACCEPTED, EventKind.ASSESSMENT_STARTED, EventKind.INTERVENTION_STARTED])
def test_a_referral_is_accepted_and_starts_an_assessment_and_an_intervention_once_at_most(kind):
    """What the waiting stages stand on (`referrals.selectors.clocks.waiting_stages`): from wherever the move
    leads, no sequence of moves comes back to a state it is allowed from, so the day the referral keeps of its first
    such move is the day its stage began."""
    transition = pipeline.TRANSITIONS[kind]
    after = {target for state in pipeline.ALL_STATES if (target := transition.target(state))}
    assert after
    assert not [state for state in reachable_from(after) if transition.allows(state)]


def test_an_accepted_referral_never_comes_back_to_a_decision():
    """What `Referral.accepted_on` stands on: from an acceptance, no sequence of moves leads to awaiting_decision
    or not_accepted, and nothing else leads out of those two to an accepted status. So a referral is accepted once
    at most, and its status as at a day is an accepted one exactly when it was accepted by then."""
    undecided = {Status.AWAITING_DECISION, Status.NOT_ACCEPTED}
    statuses = {state.status for state in reachable_from([State(IP, REF)])}
    assert {IP, HOLD, Status.COMPLETED, Status.DISENGAGED_DURING_INTERVENTION} <= statuses
    assert not statuses & undecided
    into_accepted = {
        kind
        for state in pipeline.ALL_STATES
        if state.status in undecided
        for kind in MOVES
        if (target := pipeline.TRANSITIONS[kind].target(state)) and target.status not in undecided
    }
    assert into_accepted == {EventKind.ACCEPTED}


STATE_IDS = {state: f"{state.status.value}-{state.stage.value}" for state in PATHS}


@contextmanager
def rolled_back():
    """Try a move and undo it, so that every move is tried from the same referral."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("state", list(PATHS), ids=STATE_IDS.get)
def test_every_move_from_every_state(team_a, practitioner, manager, state):
    referral = make_referral(team=team_a, actor=practitioner, state=state)
    assert state_of(referral) == state
    for kind in MOVES:
        # Reopening is for service managers; everything else is tried as a practitioner.
        actor = manager if kind == EventKind.REOPENED else practitioner
        service, extras = SERVICES[kind]
        expected = ALLOWED.get((state, kind))
        with rolled_back():
            if expected is None:
                before = snapshot(referral)
                with pytest.raises(ValidationError) as refused:
                    service(referral=referral, actor=actor, occurred_on=TODAY, **extras())
                assert "You cannot" in " ".join(refused.value.messages), kind
                assert snapshot(referral) == before, kind
                assert state_of(referral) == state, kind
            else:
                event = service(referral=referral, actor=actor, occurred_on=TODAY, **extras())
                assert (event.kind, event.occurred_on, event.recorded_by) == (kind, TODAY, actor)
                assert state_of(referral) == expected, kind
                assert (event.status, event.stage) == (expected.status, expected.stage), kind
        referral.refresh_from_db()


@pytest.mark.parametrize("state", [state for state in PATHS if state.is_closed], ids=lambda s: s.status.value)
def test_only_a_service_manager_can_reopen(team_a, practitioner, state):
    referral = make_referral(team=team_a, actor=practitioner, state=state)
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="Only a service manager can reopen"):
        services.referral_move(
            kind=EventKind.REOPENED, referral=referral, actor=practitioner, occurred_on=TODAY, note="Please"
        )
    assert snapshot(referral) == before


def test_the_refusal_says_what_the_referral_is_and_what_was_asked(referral_in):
    referral = referral_in(State(IP, ASSESS))
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(referral=referral, actor=referral.created_by, occurred_on=TODAY)
    assert refused.value.messages == ["You cannot accept a referral that is in progress at the assessment stage."]


@pytest.mark.parametrize("user", ["commissioner", "practitioner_b"])
def test_people_outside_the_clinical_team_cannot_move_a_referral(referral_in, request, user):
    referral, outsider = referral_in(), request.getfixturevalue(user)
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="permission"):
        services.referral_accept(referral=referral, actor=outsider, occurred_on=TODAY)
    assert snapshot(referral) == before


def test_a_referral_is_received_once(referral_in):
    referral = referral_in()
    with pytest.raises(ValidationError, match="cannot record the receipt"):
        services.referral_move(referral=referral, kind=EventKind.RECEIVED, occurred_on=TODAY, actor=referral.created_by)


# Dates ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [state for state in PATHS if any(s == state for s, _ in ALLOWED)], ids=STATE_IDS.get)
def test_no_move_is_dated_in_the_future_or_before_the_last_change(team_a, practitioner, manager, state):
    referral = make_referral(team=team_a, actor=practitioner, state=state)
    last_change = referral.events.order_by("-sequence").first().occurred_on
    for kind in [kind for s, kind in ALLOWED if s == state]:
        actor = manager if kind == EventKind.REOPENED else practitioner
        service, extras = SERVICES[kind]
        with rolled_back():
            before = snapshot(referral)
            for day, message in (
                (TODAY + datetime.timedelta(days=1), "cannot be in the future"),
                (last_change - datetime.timedelta(days=1), "cannot be before the referral's last change"),
            ):
                with pytest.raises(ValidationError, match=message) as refused:
                    service(referral=referral, actor=actor, occurred_on=day, **extras())
                assert "occurred_on" in refused.value.error_dict
                assert snapshot(referral) == before
            service(referral=referral, actor=actor, occurred_on=last_change, **extras())
            assert state_of(referral) == ALLOWED[(state, kind)]
        referral.refresh_from_db()


# Reasons --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "service", "field", "wrong"),
    [
        (State(Status.AWAITING_DECISION, REF), move_service(EventKind.NOT_ACCEPTED), "decline_reason", HoldReason),
        (State(IP, REF), move_service(EventKind.DISENGAGED), "disengagement_reason", DeclineReason),
        (State(HOLD, ASSESS), move_service(EventKind.DISENGAGED), "disengagement_reason", HoldReason),
        (State(IP, INTERV), move_service(EventKind.DISENGAGED), "disengagement_reason", DeclineReason),
        (State(IP, ASSESS), move_service(EventKind.ON_HOLD), "hold_reason", DisengagementReason),
    ],
)
def test_statuses_that_need_a_reason_refuse_none_or_one_from_another_list(referral_in, state, service, field, wrong):
    referral = referral_in(state)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as missing:
        service(referral=referral, actor=referral.created_by, occurred_on=TODAY, reason=None)
    assert field in missing.value.error_dict
    with pytest.raises(ValidationError) as mismatched:
        service(referral=referral, actor=referral.created_by, occurred_on=TODAY, reason=reason(wrong))
    assert field in mismatched.value.error_dict
    assert snapshot(referral) == before


def test_a_move_that_takes_no_reason_refuses_one(referral_in):
    referral = referral_in()
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="does not take a reason"):
        services.referral_move(
            referral=referral,
            kind=EventKind.ACCEPTED,
            occurred_on=TODAY,
            actor=referral.created_by,
            reason=reason(DisengagementReason),
        )
    assert snapshot(referral) == before


def test_the_reason_is_kept_on_the_event(referral_in):
    referral = referral_in(State(IP, ASSESS))
    moved_away = reason(DisengagementReason, "moved_away")
    event = services.referral_move(
        kind=EventKind.DISENGAGED, referral=referral, actor=referral.created_by, occurred_on=TODAY, reason=moved_away
    )
    assert event.reason == moved_away
    assert event.disengagement_reason == moved_away


# Status as at a date --------------------------------------------------------------------------------------------


def test_status_as_at_every_event_boundary(team_a, practitioner, manager):
    day = TODAY - datetime.timedelta(days=30)
    referral = make_referral(team=team_a, actor=practitioner, received_on=day)
    vig = Intervention.objects.get(code="vig")
    timeline = [
        (day, State(Status.AWAITING_DECISION, REF)),
        (day + datetime.timedelta(days=3), State(IP, REF)),
        (day + datetime.timedelta(days=5), State(IP, ASSESS)),
        (day + datetime.timedelta(days=8), State(IP, ASSESS)),  # held and resumed on the same day
        (day + datetime.timedelta(days=10), State(IP, INTERV)),
        (day + datetime.timedelta(days=12), State(HOLD, INTERV)),
        (day + datetime.timedelta(days=15), State(IP, INTERV)),
        (day + datetime.timedelta(days=20), State(Status.COMPLETED, INTERV)),
        (day + datetime.timedelta(days=25), State(IP, INTERV)),
    ]
    actor = practitioner
    services.referral_accept(referral=referral, actor=actor, occurred_on=timeline[1][0])
    services.referral_move(
        kind=EventKind.ASSESSMENT_STARTED, referral=referral, actor=actor, occurred_on=timeline[2][0]
    )
    services.referral_move(
        kind=EventKind.ON_HOLD, referral=referral, actor=actor, occurred_on=timeline[3][0], reason=reason(HoldReason)
    )
    services.referral_move(kind=EventKind.RESUMED, referral=referral, actor=actor, occurred_on=timeline[3][0])
    services.intervention_start(referral=referral, actor=actor, occurred_on=timeline[4][0], intervention=vig)
    services.referral_move(
        kind=EventKind.ON_HOLD, referral=referral, actor=actor, occurred_on=timeline[5][0], reason=reason(HoldReason)
    )
    services.referral_move(kind=EventKind.RESUMED, referral=referral, actor=actor, occurred_on=timeline[6][0])
    services.referral_complete(referral=referral, actor=actor, occurred_on=timeline[7][0])
    services.referral_move(
        kind=EventKind.REOPENED, referral=referral, actor=manager, occurred_on=timeline[8][0], note="Back"
    )

    def as_at(date):
        annotated = Referral.objects.with_status_as_at(date).get(pk=referral.pk)
        return annotated.status_as_at, annotated.stage_as_at

    assert as_at(day - datetime.timedelta(days=1)) == (None, None)
    previous = None
    for on, expected in timeline:
        if previous is not None:
            assert as_at(on - datetime.timedelta(days=1)) == (previous.status, previous.stage), on
        assert as_at(on) == (expected.status, expected.stage), on
        previous = expected
    assert as_at(TODAY) == (IP, INTERV)


def test_status_as_at_counts_in_one_query_for_the_kpis(team_a, practitioner, django_assert_num_queries):
    end = TODAY - datetime.timedelta(days=1)
    make_referral(team=team_a, actor=practitioner, state=State(Status.COMPLETED, INTERV))
    make_referral(team=team_a, actor=practitioner, state=State(IP, ASSESS))
    make_referral(team=team_a, actor=practitioner, state=State(Status.NOT_ACCEPTED, REF))
    # Decided only today: still awaiting a decision at `end`.
    late = make_referral(team=team_a, actor=practitioner)
    services.referral_accept(referral=late, actor=practitioner, occurred_on=TODAY)
    with django_assert_num_queries(1):
        counts = (
            Referral.objects.in_team(team_a)
            .with_status_as_at(end)
            .aggregate(
                completed=Count("pk", filter=Q(status_as_at=Status.COMPLETED)),
                in_progress=Count("pk", filter=Q(status_as_at=Status.IN_PROGRESS)),
                not_accepted=Count("pk", filter=Q(status_as_at=Status.NOT_ACCEPTED)),
                awaiting=Count("pk", filter=Q(status_as_at=Status.AWAITING_DECISION)),
            )
        )
    assert counts == {"completed": 1, "in_progress": 1, "not_accepted": 1, "awaiting": 1}
