"""The demo service: Blackpool PaIRS with one account per role, its history loaded through the monitoring import.

`demo_load()` writes the demo monitoring files (`demo.files`), imports them as the demo service manager
through `monitoring_import`, the same path as a real team's history (the open cases' appointments and the group
families' places included), and adds what the monitoring files do not carry: the runs of the group programmes with
their venue, facilitators and size (created before the import, which places the families on them) and the
register of each session held, fictional names for the families, a practitioner to every case. Running it again
changes nothing that is already there. Its completed cases come in through the import, which waives the completion
guards for its history (`HISTORICAL_IMPORT`); the demo completes nothing itself.
"""

import datetime
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.accounts import DEMO_TEAM, demo_accounts_create
from demo.files import demo_group_runs, write_demo_files
from demo.files.casework import MANAGER, PRACTITIONER, GroupRun, clinician_of
from demo.names import CHILD_NAMES, caregiver_names, family_surnames
from monitoring.importer import ImportResult, monitoring_import
from outcomes import services as outcome_services
from outcomes.models import SafetyAlert
from pairs.models import Service
from referrals import services as referral_services
from referrals.models import (
    Caregiver,
    DeclineReason,
    GroupPlace,
    GroupProgramme,
    Infant,
    Intervention,
    Pathway,
    Referral,
)
from referrals.pipeline import EventKind, Status

ALERTS_LEFT_OPEN_DAYS = 14
PAST_ALERT_ACTION = "Discussed with the parent at the same visit; safety plan agreed and the GP informed that day."
GROUP_PLACES = 8
GROUP_SESSIONS = 8
GROUP_VENUE = "Family hub, central Blackpool"
# A family referred long before the monitoring files begin, declined within a fortnight, whose records are now past
# the team's retention period (25 years after the infant's birth): the retention review page has one to show. Its
# dates lie decades before the published window, so no figure counts it.
ARCHIVED_REFERENCE = "BPL-2001-0001"
ARCHIVED_RECEIVED_ON = datetime.date(2001, 3, 12)
ARCHIVED_DECLINED_ON = datetime.date(2001, 3, 23)
ARCHIVED_INFANT_BORN_ON = datetime.date(2000, 11, 20)


def demo_load(
    *, today: datetime.date | None = None, say: Callable[[str], None] | None = None
) -> tuple[ImportResult, list]:
    """Load the demo; `say(line)` is told what is being done meanwhile (a minute or two on a laptop)."""
    say = say or (lambda line: None)
    today = today or timezone.localdate()
    say("Loading the demo: the team and its accounts…")
    team, accounts = demo_accounts_create()
    manager = next(account for account in accounts if account.role == "manager")
    actor = get_user_model().objects.get(username=manager.username)
    runs = demo_group_runs(today)
    new_runs = _create_group_runs(team, actor, runs)
    with tempfile.TemporaryDirectory(prefix="pairs-demo-") as folder:
        rows = write_demo_files(Path(folder), today=today)
        say(f"Loading the demo: checking its {sum(rows.values())} rows of monitoring files…")

        def progress(step: str, file_name: str, done: int) -> None:
            name = file_name.removesuffix(".csv").replace("_", " ")
            say(f"Loading the demo: {name} {step}, {done}/{rows[file_name]}…")

        result = monitoring_import(path=Path(folder), team=team, actor=actor, today=today, progress=progress)
    say("Loading the demo: naming the families, giving out the cases, registering the group sessions…")
    _name_families(team, actor)
    _act_on_past_alerts(team, actor, today)
    _give_out_cases(team, actor, today)
    _archived_referral_create(team, actor)
    for programme, run in new_runs:
        _register_sessions(programme, run, actor, today)
    return result, accounts


@transaction.atomic
def _act_on_past_alerts(team, actor, today: datetime.date) -> None:
    """The history's safety alerts were acted on at the time; those of the last fortnight are left open, so that
    the demo shows what a new one looks like without burying the dashboard under years of them."""
    cutoff = today - datetime.timedelta(days=ALERTS_LEFT_OPEN_DAYS)
    for alert in SafetyAlert.objects.in_team(team).open().filter(questionnaire__completed_on__lt=cutoff):
        outcome_services.safety_alert_record_action(alert=alert, action_taken=PAST_ALERT_ACTION, actor=actor)


@transaction.atomic
def _name_families(team, actor) -> None:
    """Fictional names for the caregivers and infants that have none, the same ones on every run: a surname for
    each family, which both its caregivers share (`demo.names`)."""
    surnames = family_surnames(team.slug, Referral.objects.in_team(team).values_list("reference", flat=True))
    for caregiver in Caregiver.objects.in_team(team).filter(name="").select_related("referral"):
        rng = random.Random(f"{DEMO_TEAM['slug']}-{caregiver.referral.reference}-{caregiver.position}")
        referral_services.caregiver_update(
            caregiver=caregiver,
            actor=actor,
            name=f"{rng.choice(caregiver_names(caregiver.role))} {surnames[caregiver.referral.reference]}",
        )
    for infant in Infant.objects.in_team(team).filter(name="").select_related("referral"):
        rng = random.Random(f"{DEMO_TEAM['slug']}-{infant.referral.reference}-infant")
        referral_services.infant_update(infant=infant, actor=actor, name=rng.choice(CHILD_NAMES))


@transaction.atomic
def _give_out_cases(team, actor, today: datetime.date) -> None:
    """Every accepted referral without a practitioner gets the one who holds its appointments in the monitoring
    files (`demo.files.casework`), so that the demo's caseloads and diaries agree."""
    clinicians = {user.username: user for user in get_user_model().objects.filter(username__in=[PRACTITIONER, MANAGER])}
    referrals = (
        Referral.objects.in_team(team)
        .with_status_as_at(today)
        .exclude(status_as_at__in=[Status.AWAITING_DECISION, Status.NOT_ACCEPTED])
        .filter(assigned_practitioner=None)
    )
    for referral in referrals:
        referral_services.referral_update(
            referral=referral, actor=actor, assigned_practitioner=clinicians[clinician_of(referral.reference)]
        )


@transaction.atomic
def _archived_referral_create(team, actor) -> None:
    """The family referred in 2001 (`ARCHIVED_REFERENCE`), through the services as a late entry would be."""
    if Referral.objects.in_team(team).filter(reference=ARCHIVED_REFERENCE).exists():
        return
    referral = referral_services.referral_create(
        actor=actor,
        team=team,
        reference=ARCHIVED_REFERENCE,
        received_on=ARCHIVED_RECEIVED_ON,
        pathway=Pathway.INDIVIDUAL,
        referrer_service=Service.objects.get(code="health_visiting"),
        reason="Low mood since the birth; finding it hard to feel close to the baby.",
        caregivers=[{"role": Caregiver.Role.MOTHER, "name": "Fern Placeholder", "birth_year": 1979}],
        infants=[{"name": "Isla", "date_of_birth": ARCHIVED_INFANT_BORN_ON}],
    )
    referral_services.pipeline_history_extend(
        actor=actor,
        referral=referral,
        steps=[(EventKind.NOT_ACCEPTED, ARCHIVED_DECLINED_ON, DeclineReason.objects.get(code="outside_area"))],
    )


@transaction.atomic
def _create_group_runs(team, actor, runs: list[GroupRun]) -> list[tuple[GroupProgramme, GroupRun]]:
    """The runs group_places.csv places the families on, with what the file does not carry: venue, facilitators,
    places and sessions. Those already there are left as they are; the new ones are returned."""
    facilitators = list(get_user_model().objects.filter(username__in=[PRACTITIONER, MANAGER]))
    interventions = {intervention.code: intervention for intervention in Intervention.objects.all()}
    recorded = set(GroupProgramme.objects.in_team(team).values_list("intervention__code", "starts_on", "title"))
    return [
        (
            referral_services.group_programme_create(
                team=team,
                actor=actor,
                intervention=interventions[run.intervention],
                title=run.title,
                starts_on=run.starts_on,
                places_offered=GROUP_PLACES,
                sessions_planned=GROUP_SESSIONS,
                venue=GROUP_VENUE,
                facilitators=facilitators,
            ),
            run,
        )
        for run in runs
        if (run.intervention, run.starts_on, run.title) not in recorded
    ]


@transaction.atomic
def _register_sessions(programme: GroupProgramme, run: GroupRun, actor, today: datetime.date) -> None:
    """The weekly sessions held before today, each with the families who had joined by then, one missing now and
    then; a session nobody came to would have been cancelled, so somebody always came."""
    places = {
        p.referral.reference: p for p in GroupPlace.objects.filter(programme=programme).select_related("referral")
    }
    joined_on = {places[place.reference]: place.joined_on for place in run.places if place.joined_on}
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
