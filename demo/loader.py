"""The demo service: Blackpool PaIRS with one account per role, its history loaded through the monitoring import.

`demo_load()` writes the demo monitoring files (`demo.files`), imports them as the demo service manager
through `monitoring_import`, the same path as a real team's history, and gives the families fictional names
(the monitoring files carry none), a practitioner to every case, the open cases their appointments and the group
families their programmes (the monitoring files carry none of these). Running it again changes nothing that is
already there.
"""

import datetime
import random
import tempfile
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from demo.accounts import DEMO_TEAM, demo_accounts_create
from demo.files import write_demo_files
from monitoring.importer import ImportResult, monitoring_import
from outcomes import services as outcome_services
from outcomes.models import SafetyAlert
from referrals import services as referral_services
from referrals.models import (
    Appointment,
    Caregiver,
    GroupPlace,
    GroupProgramme,
    Infant,
    Intervention,
    Pathway,
    PipelineEvent,
    Referral,
)
from referrals.pipeline import EventKind, Stage, Status

# Obviously fictional: every family of the demo is called Example, Sample or Specimen.
SURNAMES = ("Example", "Sample", "Specimen", "Testcase", "Placeholder")
ADULT_NAMES = ("Amy", "Beth", "Chloe", "Dani", "Ellie", "Fern", "Gemma", "Holly", "Izzy", "Jade", "Kayleigh", "Lucy")
ALERTS_LEFT_OPEN_DAYS = 14
PAST_ALERT_ACTION = "Discussed with the parent at the same visit; safety plan agreed and the GP informed that day."
CHILD_NAMES = ("Alfie", "Bella", "Charlie", "Daisy", "Ezra", "Freya", "George", "Harper", "Isla", "Jack", "Luna")
# The demo practitioner holds two cases in three and the service manager the rest, as in a small team.
PRACTITIONER_SHARE = 2 / 3
APPOINTMENT_TIMES = (datetime.time(9, 30), datetime.time(11, 0), datetime.time(13, 30), datetime.time(15, 0))
GROUP_PLACES = 8
GROUP_SESSIONS = 8
GROUP_VENUE = "Family hub, central Blackpool"
GROUP_LATEST_JOINING = datetime.timedelta(weeks=2)
NEXT_GROUP_INTERVENTION = "circle_of_security"
# The season a group run is named after, by the month it starts in (January first).
SEASONS = ("Winter",) * 2 + ("Spring",) * 3 + ("Summer",) * 3 + ("Autumn",) * 3 + ("Winter",)
VISIT_MODES = (Appointment.Mode.HOME, Appointment.Mode.HOME, Appointment.Mode.CLINIC, Appointment.Mode.FAMILY_HUB)


def demo_load(*, today: datetime.date | None = None) -> tuple[ImportResult, list]:
    today = today or timezone.localdate()
    team, accounts = demo_accounts_create()
    manager = next(account for account in accounts if account.role == "manager")
    actor = get_user_model().objects.get(username=manager.username)
    with tempfile.TemporaryDirectory(prefix="pairs-demo-") as folder:
        write_demo_files(Path(folder), today=today)
        result = monitoring_import(path=Path(folder), team=team, actor=actor, today=today)
    _name_families(team, actor)
    _act_on_past_alerts(team, actor, today)
    _give_out_cases(team, actor, today)
    _run_group_programmes(team, actor, today)
    return result, accounts


@transaction.atomic
def _act_on_past_alerts(team, actor, today: datetime.date) -> None:
    """The history's safety alerts were acted on at the time; those of the last fortnight are left open, so that
    the demo shows what a new one looks like without burying the dashboard under years of them."""
    cutoff = today - datetime.timedelta(days=ALERTS_LEFT_OPEN_DAYS)
    for alert in SafetyAlert.objects.in_team(team).open().filter(questionnaire__completed_on__lt=cutoff):
        outcome_services.safety_alert_record_action(alert=alert, action_taken=PAST_ALERT_ACTION, acted_on_by=actor)


@transaction.atomic
def _name_families(team, actor) -> None:
    """Fictional names for the caregivers and infants that have none, the same ones on every run."""
    for caregiver in Caregiver.objects.in_team(team).filter(name="").select_related("referral"):
        rng = random.Random(f"{DEMO_TEAM['slug']}-{caregiver.referral.reference}-{caregiver.position}")
        referral_services.caregiver_update(
            caregiver=caregiver,
            actor=actor,
            expected_version=caregiver.version,
            name=f"{rng.choice(ADULT_NAMES)} {rng.choice(SURNAMES)}",
            role=caregiver.role,
            date_of_birth=caregiver.date_of_birth,
            birth_year=caregiver.birth_year,
            ethnicity=caregiver.ethnicity,
            postcode=caregiver.postcode,
            nhs_number=caregiver.nhs_number,
        )
    for infant in Infant.objects.in_team(team).filter(name="").select_related("referral"):
        rng = random.Random(f"{DEMO_TEAM['slug']}-{infant.referral.reference}-infant")
        referral_services.infant_update(
            infant=infant,
            actor=actor,
            expected_version=infant.version,
            name=rng.choice(CHILD_NAMES),
            date_of_birth=infant.date_of_birth,
            due_date=infant.due_date,
        )


@transaction.atomic
def _give_out_cases(team, actor, today: datetime.date) -> None:
    """Every accepted referral without a practitioner gets one; those open today get their recent appointments and
    the next one booked, so that the demo's caseloads and diaries look like a working week.

    The appointments are all dated after the published window, which their attended ones cannot change."""
    user_model = get_user_model()
    practitioner = user_model.objects.get(username="demo.practitioner")
    manager = user_model.objects.get(username="demo.manager")
    referrals = (
        Referral.objects.in_team(team)
        .with_status_as_at(today)
        .exclude(status_as_at__in=[Status.AWAITING_DECISION, Status.NOT_ACCEPTED])
        .filter(assigned_practitioner=None)
        .prefetch_related("complexities", Prefetch("events", PipelineEvent.objects.order_by("occurred_on", "sequence")))
    )
    diary = set()
    for referral in referrals:
        rng = random.Random(f"{DEMO_TEAM['slug']}-{referral.reference}-casework")
        clinician = practitioner if rng.random() < PRACTITIONER_SHARE else manager
        referral_services.referral_update(
            referral=referral,
            actor=actor,
            expected_version=referral.version,
            pathway=referral.pathway,
            referrer_service=referral.referrer_service,
            reason=referral.reason,
            consent_to_share=referral.consent_to_share,
            complexities=referral.complexities.all(),
            assigned_practitioner=clinician,
            first_contact_on=referral.first_contact_on,
        )
        group_session_goer = referral.pathway == Pathway.GROUP and referral.stage_as_at == Stage.INTERVENTION
        if referral.status_as_at == Status.IN_PROGRESS and not group_session_goer:
            stage_began_on = list(referral.events.all())[-1].occurred_on
            _book_appointments(referral, clinician, referral.stage_as_at, stage_began_on, today, rng, diary)


def _book_appointments(referral, clinician, stage: str, stage_began_on, today: datetime.date, rng, diary) -> None:
    """Waiting for assessment: the assessment booked. In assessment: one visit done and the next booked. In
    intervention: the weekly sessions of the last three weeks (one missed now and then) and next week's."""
    days_ago = []
    kind = Appointment.Kind.ASSESSMENT
    if stage == Stage.ASSESSMENT:
        days_ago = [rng.randrange(2, 10)]
    elif stage == Stage.INTERVENTION:
        days_ago = [7 * weeks + rng.randrange(1, 5) for weeks in (2, 1, 0)]
        kind = Appointment.Kind.INTERVENTION
    earliest = max(stage_began_on, referral.first_contact_on or stage_began_on) + datetime.timedelta(days=1)
    for ago in days_ago:
        starts_at = _free_slot(diary, clinician, today - datetime.timedelta(days=ago), later=False, rng=rng)
        if starts_at.date() < earliest:
            continue
        missed = rng.random() < 0.15
        referral_services.appointment_record_outcome(
            appointment=_appointment_book(referral, clinician, kind, starts_at, rng),
            actor=clinician,
            outcome=Appointment.Outcome.DID_NOT_ATTEND if missed else Appointment.Outcome.ATTENDED,
        )
    next_day = today + datetime.timedelta(days=rng.randrange(1, 8 if stage == Stage.INTERVENTION else 15))
    _appointment_book(referral, clinician, kind, _free_slot(diary, clinician, next_day, later=True, rng=rng), rng)


def _free_slot(diary: set, clinician, day: datetime.date, *, later: bool, rng) -> datetime.datetime:
    """The first time on a working day from `day` (going forward when `later`, else back) at which `clinician` is
    free; the slot is then taken in `diary`."""
    day = _working_day(day, later=later)
    for time in rng.sample(APPOINTMENT_TIMES, len(APPOINTMENT_TIMES)):
        if (clinician.pk, day, time) not in diary:
            diary.add((clinician.pk, day, time))
            return timezone.make_aware(datetime.datetime.combine(day, time))
    return _free_slot(diary, clinician, day + datetime.timedelta(days=1 if later else -1), later=later, rng=rng)


def _working_day(day: datetime.date, *, later: bool) -> datetime.date:
    """The day itself, or for a weekend the Monday after (`later`) or the Friday before."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1 if later else -1)
    return day


def _appointment_book(referral, clinician, kind: str, starts_at: datetime.datetime, rng) -> Appointment:
    return referral_services.appointment_book(
        referral=referral,
        actor=clinician,
        practitioner=clinician,
        starts_at=starts_at,
        kind=kind,
        mode=rng.choice(VISIT_MODES),
    )


@transaction.atomic
def _run_group_programmes(team, actor, today: datetime.date) -> None:
    """The group families in intervention today are on runs of their programme (a family joins a run at most
    two weeks after it starts, or a new run starts with it), with the register of every weekly session so far; the
    group families not yet in intervention are offered places on the next run."""
    if GroupProgramme.objects.in_team(team).exists():
        return
    facilitators = list(get_user_model().objects.filter(username__in=["demo.practitioner", "demo.manager"]))
    referrals = (
        Referral.objects.in_team(team)
        .with_status_as_at(today)
        .filter(pathway=Pathway.GROUP, status_as_at=Status.IN_PROGRESS)
        .prefetch_related("interventions__intervention", "events")
        .order_by("received_on", "pk")
    )
    joining, waiting = [], []
    for referral in referrals:
        if referral.stage_as_at != Stage.INTERVENTION:
            waiting.append(referral)
        elif episodes := sorted(referral.interventions.all(), key=lambda episode: episode.started_on):
            joining.append((episodes[-1].started_on, referral, episodes[-1].intervention))
    runs_named = Counter()

    def programme_create(intervention, starts_on):
        season = f"{SEASONS[starts_on.month - 1]} {starts_on.year}"
        runs_named[intervention, season] += 1
        count = runs_named[intervention, season]
        return referral_services.group_programme_create(
            team=team,
            actor=actor,
            intervention=intervention,
            title=season if count == 1 else f"{season} ({count})",
            starts_on=starts_on,
            places_offered=GROUP_PLACES,
            sessions_planned=GROUP_SESSIONS,
            venue=GROUP_VENUE,
            facilitators=facilitators,
        )

    def place_offer(programme, referral, offered_on):
        accepted_on = next(event.occurred_on for event in referral.events.all() if event.kind == EventKind.ACCEPTED)
        return referral_services.group_place_offer(
            programme=programme,
            referral=referral,
            actor=actor,
            offered_on=max(offered_on, accepted_on),
            waiting_since=accepted_on,
        )

    def place_take_up(place):
        return referral_services.group_place_respond(
            place=place,
            actor=actor,
            status=GroupPlace.Status.TAKEN_UP,
            responded_on=min(place.offered_on + datetime.timedelta(days=3), today),
            expected_version=place.version,
        )

    runs = {}  # intervention: its runs, each (programme, {place: the day its family joined}), the latest last
    for started_on, referral, intervention in sorted(joining, key=lambda joiner: joiner[0]):
        intervention_runs = runs.setdefault(intervention, [])
        if not intervention_runs or not _open_to(*intervention_runs[-1], started_on):
            intervention_runs.append((programme_create(intervention, started_on), {}))
        programme, joined_on = intervention_runs[-1]
        place = place_offer(programme, referral, programme.starts_on - datetime.timedelta(days=14))
        joined_on[place_take_up(place)] = started_on
    for programme, joined_on in (run for intervention_runs in runs.values() for run in intervention_runs):
        _register_sessions(programme, joined_on, actor, today)
    if waiting:
        next_run = programme_create(
            Intervention.objects.get(code=NEXT_GROUP_INTERVENTION),
            _working_day(today + datetime.timedelta(weeks=5), later=True),
        )
        for position, referral in enumerate(waiting[:GROUP_PLACES]):
            place = place_offer(next_run, referral, today - datetime.timedelta(days=7))
            if position % 2 == 0:
                place_take_up(place)


def _open_to(programme, joined_on: dict, day: datetime.date) -> bool:
    """Whether a family starting on `day` can still join the run."""
    return day <= programme.starts_on + GROUP_LATEST_JOINING and len(joined_on) < GROUP_PLACES


def _register_sessions(programme, joined_on: dict, actor, today: datetime.date) -> None:
    """The weekly sessions held before today, each with the families who had joined by then, one missing now and
    then; a session nobody came to would have been cancelled, so somebody always came."""
    rng = random.Random(f"{DEMO_TEAM['slug']}-{programme.title}-{programme.intervention.code}-register")
    for number in range(1, GROUP_SESSIONS + 1):
        held_on = programme.starts_on + datetime.timedelta(weeks=number - 1)
        if held_on >= today:
            break
        in_the_group = [place for place, joined in joined_on.items() if joined <= held_on]
        attendees = [place for place in in_the_group if rng.random() < 0.85] or in_the_group[:1]
        referral_services.group_session_record(
            programme=programme, actor=actor, number=number, held_on=held_on, attendees=attendees
        )
