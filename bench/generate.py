"""The regional data set of the benchmark: N teams over Y years, in the demo's proportions, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/generate.py --teams 50 --years 10

The database must be a throwaway one: the generator migrates it, loads the demo service (`load_demo`: Blackpool,
through the monitoring import and the services, so every row of it obeys every rule of the app) when it is not
there yet, then clones the demo's casework inside the database with `INSERT ... SELECT`, one statement a table
(`copies.py`):

- a *copy* of the demo is (team, tile, replica). Each team (the demo's Blackpool, then `region-2`, ...) holds
  `--density` replicas of the demo's caseload (the issue's teams take about 1,000 referrals a year, the demo's
  about 100), each replica with practitioners of its own and its dates moved back by a whole number of weeks, so
  that the replicas' weekdays, waits and ages are those of the demo;
- older tiles repeat the demo's closed referrals (with everything that belongs to them) moved back by the demo's
  span in whole weeks, until `--years` years are covered; open referrals are copied only in the newest tile, so a
  team's caseload today is the demo's, times the density;
- ids are the template's plus `copy number x stride`, and people's the demo account's plus `people number x
  stride`, so every foreign key is arithmetic, not a lookup; dates and times move by the copy's shift (a birth
  year with them), references get the copy's suffix, and a row is copied only when every row it points to was.

Then the copied referrals' diaries (`diary.py`: about 10 appointments a referral), and the indexes and constraints,
dropped for the load, are rebuilt. Every copy is therefore the demo's history on other dates: the pipeline moves,
the appointment and questionnaire rules, the group places and the workforce records hold in each. `--check N`
replays a sample of N referrals through the pipeline's state machine and runs `full_clean()` on each of their rows
(see `check_sample`).
"""

import argparse
import datetime
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import diary  # noqa: E402
from bench.copies import (  # noqa: E402
    CLONED,
    PER_TEAM,
    clone,
    copies_table_create,
    people_number,
    secondary_structures_create,
    secondary_structures_drop,
    sequence_catch_up,
    table_stride,
)
from demo.accounts import DEMO_TEAM  # noqa: E402
from pairs.models import Membership, Role, Team  # noqa: E402
from referrals.models import Referral  # noqa: E402
from referrals.pipeline import ReasonVocabulary  # noqa: E402

# The event's reason fields, read with it when the sample is replayed.
REASON_FIELDS = [vocabulary.value for vocabulary in ReasonVocabulary]
REPLICA_WEEKS = 1  # each replica moves back by this many weeks more than the one before


def template_load() -> Team:
    """The demo service, loaded through the app when the database does not have it yet."""
    call_command("migrate", verbosity=0)
    team = Team.objects.filter(slug=DEMO_TEAM["slug"]).first()
    if team is None:
        started = time.monotonic()
        call_command("load_demo", verbosity=0)
        print(f"load_demo: {time.monotonic() - started:.1f} s")
        team = Team.objects.get(slug=DEMO_TEAM["slug"])
    return team


def _span_weeks(template: Team, today: datetime.date) -> int:
    """The demo's history in whole weeks, from the service's start: the demo's one referral from 2001 (the retention
    review's, `demo.loader.ARCHIVED_REFERENCE`) lies outside every copy's years and would stretch a tile to 25."""
    assert template.service_started_on is not None  # the demo's service has a start
    return math.ceil(((today - template.service_started_on).days + 1) / 7)


def _copies(
    template: Team, teams: int, years: int, density: int, today: datetime.date
) -> list[tuple[int, int, int, int, int]]:
    """(copy number, team number, tile, replica, shift in days) of every copy; copy 0 is the template itself."""
    tile_days = 7 * _span_weeks(template, today)
    tiles = max(1, math.ceil(years * 365.25 / tile_days))
    copies, number = [], 0
    for team in range(1, teams + 1):
        for tile in range(tiles):
            for replica in range(density):
                copies.append((number, team, tile, replica, tile * tile_days + replica * 7 * REPLICA_WEEKS))
                number += 1
    return copies


def teams_create(template: Team, teams: int, years: int) -> dict[int, int]:
    """{team number: team id}; team 1 is the demo's. The others copy its settings, their service started earlier."""
    ids = {1: template.pk}
    assert template.service_started_on is not None  # the demo's service has a start
    started = template.service_started_on - datetime.timedelta(days=round(years * 365.25))
    for number in range(2, teams + 1):
        team, _ = Team.objects.update_or_create(
            slug=f"region-{number}",
            defaults={
                "name": f"Region team {number}",
                "commissioning_body": template.commissioning_body,
                "births_per_year": template.births_per_year,
                "service_started_on": started,
                "year_start_month": template.year_start_month,
                "disclosure_control": template.disclosure_control,
                "first_contact_target_days": template.first_contact_target_days,
            },
        )
        ids[number] = team.pk
    return ids


def users_create(template: Team, team_ids: dict[int, int], density: int) -> tuple[list[int], int]:
    """A copy of each of the demo team's people per (team, replica), with the same role. A copy's id is the demo
    account's plus `people number x stride`, so a copied row finds its people by arithmetic, as it finds its
    parents (`_column_expression`). Returns the demo team's members' ids and the stride; the people of the service
    who are not team members (the administrator) stand for themselves everywhere."""
    user_model = get_user_model()
    members = list(Membership.objects.filter(team=template).select_related("user"))
    stride = table_stride(user_model._meta.db_table)
    users, memberships = [], []
    for number, team_id in team_ids.items():
        for replica in range(density):
            people = people_number(number, replica, density)
            if people == 0:
                continue
            for member in members:
                username = f"{member.user.username}.t{number}r{replica}"
                user = user_model(
                    pk=member.user_id + people * stride,
                    username=username,
                    first_name=member.user.first_name,
                    last_name=f"{member.user.last_name} {number}-{replica}",
                    email=f"{username}@example.nhs.uk",
                    password=member.user.password,
                )
                users.append(user)
                memberships.append(Membership(user_id=user.pk, team_id=team_id, role=member.role))
    user_model.objects.bulk_create(users, batch_size=2000)
    # The demo's commissioner commissions every team of the region: the teams-compared page has them all.
    memberships += [
        Membership(user_id=member.user_id, team_id=team_id, role=member.role)
        for member in members
        if member.role == Role.COMMISSIONER
        for team_id in team_ids.values()
        if team_id != template.pk
    ]
    Membership.objects.bulk_create(memberships, batch_size=2000)
    sequence_catch_up(user_model._meta.db_table)
    return [member.user_id for member in members], stride


def check_sample(size: int, first_generated: int, seed: int = 15) -> int:
    """Replay `size` referrals drawn at random through the pipeline's state machine, and `full_clean()` each of
    their rows (the referral, its family, events, appointments, episodes, places, questionnaires and scores); each
    appointment also by the services' rules on its day and practitioner (`diary.appointment_check`). Half the
    sample is drawn from the referrals with a generated diary (appointments from id `first_generated` on). What the
    services derive is checked too: each event's superseded date against the next event's, and the referral's
    first-move and first-attended dates against its events and appointments. Raises on the first rule broken;
    returns the number of rows checked."""
    from django.db.models import Prefetch

    from outcomes.models import Questionnaire
    from referrals.models import Appointment, PipelineEvent
    from referrals.models.referral import FIRST_MOVE_DATES, FIRST_MOVE_FIELDS
    from referrals.pipeline import NEW, EventKind, check_transition

    draw = random.Random(seed)
    with_diary = list(
        Appointment.objects.filter(pk__gte=first_generated).values_list("referral_id", flat=True).distinct()
    )
    sample = set(draw.sample(with_diary, min(size // 2, len(with_diary))))
    others = list(Referral.objects.exclude(pk__in=sample).values_list("pk", flat=True))
    sample |= set(draw.sample(others, min(size - len(sample), len(others))))
    rows = 0
    today = timezone.localdate()
    events = Prefetch("events", queryset=PipelineEvent.objects.select_related(*REASON_FIELDS, "recorded_by"))
    for referral in (
        Referral.objects.filter(pk__in=sample)
        .select_related("team")
        .prefetch_related(
            events, "caregivers", "infants", "appointments", "interventions", "group_places", "levels_history"
        )
    ):
        referral.full_clean()
        state, previous_on = NEW, None
        history = sorted(referral.events.all(), key=lambda event: (event.occurred_on, event.sequence))
        for event, following in zip(history, [*history[1:], None], strict=True):
            # The same check the services make before they record a move, by the person who recorded it.
            target = check_transition(
                kind=EventKind(event.kind),
                state=state,
                occurred_on=event.occurred_on,
                previous_on=previous_on,
                today=today,
                reason=event.reason,
                user=event.recorded_by,
                team=referral.team,
            )
            if (target.status, target.stage) != (event.status, event.stage):
                raise AssertionError(f"{referral}: {event.kind} from {state} does not leave {event.status}")
            # The services keep each event's superseded date (`referrals.services.events`); a copy moves it along.
            if event.superseded_on != (following.occurred_on if following else None):
                raise AssertionError(f"{referral}: {event.kind} of {event.occurred_on} superseded on the wrong day")
            event.full_clean()
            state, previous_on = target, event.occurred_on
            rows += 1
        for field in FIRST_MOVE_DATES:
            moves = [
                event.occurred_on for event in history if field in FIRST_MOVE_FIELDS.get(EventKind(event.kind), ())
            ]
            if getattr(referral, field) != min(moves, default=None):
                raise AssertionError(f"{referral}: {field} is not the day of its first such move")
        related: list[models.Model] = [
            *referral.caregivers.all(),
            *referral.infants.all(),
            *referral.appointments.all(),
            *referral.interventions.all(),
            *referral.group_places.all(),
            *referral.levels_history.all(),
        ]
        for questionnaire in Questionnaire.objects.filter(referral=referral).prefetch_related("scores"):
            related += [questionnaire, *questionnaire.scores.all()]
        for row in related:
            row.full_clean()
        for appointment in referral.appointments.all():
            diary.appointment_check(referral, appointment)
        attended = [a.starts_at for a in referral.appointments.all() if a.outcome == Appointment.Outcome.ATTENDED]
        if referral.first_attended_on != (timezone.localdate(min(attended)) if attended else None):
            raise AssertionError(f"{referral}: first_attended_on is not the day of its first attended appointment")
        rows += 1 + len(related)
    return rows


def _phase(name: str, started: float) -> float:
    now = time.monotonic()
    print(f"{name}: {now - started:.1f} s", flush=True)
    return now


def summary_print(started: float) -> None:
    """The data set's size, as bench/README.md's table gives it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM referrals_referral), (SELECT count(*) FROM referrals_appointment), "
            "(SELECT count(*) FROM outcomes_questionnaire), pg_size_pretty(pg_database_size(current_database()))"
        )
        referrals, appointments, questionnaires, size = cursor.fetchone()
    print(
        f"generated in {time.monotonic() - started:.0f} s: {referrals:,} referrals, {appointments:,} appointments "
        f"({appointments / referrals:.1f} a referral), {questionnaires:,} questionnaires; database {size}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--density", type=int, default=10, help="replicas of the demo's caseload in each team")
    parser.add_argument("--appointments", type=float, default=10, help="appointments a referral, on average")
    parser.add_argument("--check", type=int, default=200, help="referrals to replay and full_clean (0: none)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark's data set is for PostgreSQL: set DATABASE_URL to a throwaway database.")
    started = time.monotonic()
    template = template_load()
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pairs_team")
        if cursor.fetchone()[0] > 1:
            raise SystemExit("The database already holds a generated data set: start from a fresh database.")
    tables = [apps.get_model(label)._meta.db_table for label in CLONED + PER_TEAM]
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Sorts and hashes of millions of rows, and the indexes built at the end, in memory.
            cursor.execute("SET LOCAL work_mem = '1GB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        phase = time.monotonic()
        team_ids = teams_create(template, args.teams, args.years)
        people = users_create(template, team_ids, args.density)
        copies = _copies(template, args.teams, args.years, args.density, today)
        copies_table_create(copies, team_ids)
        print(f"{len(copies)} copies of the demo ({args.teams} teams, {args.years} years, density {args.density})")
        recreate = secondary_structures_drop(tables)
        phase = _phase(f"teams, people, {len(recreate)} indexes and constraints dropped", phase)
        first_copied = table_stride(Referral._meta.db_table)
        clone(team_ids, people, args.years, today)
        phase = _phase("copies", phase)
        first_generated = diary.first_generated_id()
        diary.diary_generate(first_copied=first_copied, per_referral=args.appointments)
        phase = _phase("diary", phase)
        secondary_structures_create(recreate)
        phase = _phase("indexes and constraints recreated (every row checked against them)", phase)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_copy")
    connection.close()
    with connection.cursor() as cursor:
        # The app's plans need fresh statistics (pairs.database.planner_statistics_refresh): ANALYZE every table.
        cursor.execute("VACUUM ANALYZE")
    _phase("VACUUM ANALYZE", phase)
    summary_print(started)
    if args.check:
        checking = time.monotonic()
        diary.diary_check(first_generated)
        rows = check_sample(args.check, first_generated)
        print(
            f"checked every generated appointment, and {rows:,} rows of {args.check} referrals: every rule holds "
            f"({time.monotonic() - checking:.0f} s)"
        )


if __name__ == "__main__":
    main()
