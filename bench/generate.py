"""The regional data set of the benchmark: N teams over Y years, in the demo's proportions, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/generate.py --teams 50 --years 10

The database must be a throwaway one: the generator migrates it, loads the demo service (`load_demo`: Blackpool,
through the monitoring import and the services, so every row of it obeys every rule of the app) when it is not
there yet, then clones the demo's casework inside the database with `INSERT ... SELECT`, one statement a table:

- a *copy* of the demo is (team, tile, replica). Each team (the demo's Blackpool, then `region-2`, ...) holds
  `--density` replicas of the demo's caseload (the issue's teams take about 1,000 referrals a year, the demo's
  about 100), each replica with practitioners of its own and its dates moved back by a whole number of weeks, so
  that the replicas' weekdays, waits and ages are those of the demo;
- older tiles repeat the demo's closed referrals (with everything that belongs to them) moved back by the demo's
  span in whole weeks, until `--years` years are covered; open referrals are copied only in the newest tile, so a
  team's caseload today is the demo's, times the density;
- ids are the template's plus `copy number x stride`, so every foreign key is arithmetic, not a lookup; dates and
  times move by the copy's shift (a birth year with them), references get the copy's suffix, and a row is copied
  only when every row it points to was.

Every copy is therefore the demo's history on other dates: the pipeline moves, the appointment and questionnaire
rules, the group places and the workforce records hold in each. `--check N` replays a sample of N referrals
through the pipeline's state machine and runs `full_clean()` on each of their rows (see `check_sample`).
"""
# The SQL below is built from the models' own table and column names and the generator's numbers, never from input.
# ruff: noqa: S608

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
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import diary  # noqa: E402
from demo.accounts import DEMO_TEAM  # noqa: E402
from pairs.models import Membership, Role, Team  # noqa: E402
from referrals.models import Referral  # noqa: E402
from referrals.pipeline import CLOSED_STATUSES, ReasonVocabulary  # noqa: E402

# The event's reason fields, read with it when the sample is replayed.
REASON_FIELDS = [vocabulary.value for vocabulary in ReasonVocabulary]

# The casework tables a copy repeats, parents before children (each row is kept when its parents were copied).
CLONED = [
    "referrals.Referral",
    "referrals.Referral_complexities",
    "referrals.Caregiver",
    "referrals.Infant",
    "referrals.LevelsRecord",
    "referrals.PipelineEvent",
    "referrals.Appointment",
    "referrals.InterventionEpisode",
    "referrals.GroupProgramme",
    "referrals.GroupProgramme_facilitators",
    "referrals.GroupPlace",
    "referrals.GroupSession",
    "referrals.GroupSession_attendees",
    "outcomes.Questionnaire",
    "outcomes.Score",
    "outcomes.SafetyAlert",
    "training.TrainingSession",
    "training.TrainingAttendance",
    "training.Consultation",
    "training.ConsultationChild",
    "training.AwarenessEvent",
    "training.UniversalOfferContact",
    "training.Feedback",
]
# The rows whose own date decides whether they fall within `--years` of today.
DATED_ROOTS = {
    "referrals.Referral": "received_on",
    "referrals.GroupProgramme": "starts_on",
    "training.TrainingSession": "date",
    "training.Consultation": "date",
    "training.AwarenessEvent": "date",
    "training.UniversalOfferContact": "date",
    "training.Feedback": "date",
}
# Per team, once (not per tile or replica).
PER_TEAM = ["reports.KpiTarget"]
# Tables with one row a key (team, date, code): the copies' rows are summed, not repeated.
SUMMED = {"training.UniversalOfferContact": "dyads"}
# Tables whose title is part of a natural key: each copy's titles carry its number.
TITLED = ("referrals.GroupProgramme", "training.TrainingSession", "training.AwarenessEvent")
# A team's consultations of one day with one service are numbered: each copy's numbers start this far apart.
SEQUENCE_STEP = 100
REPLICA_WEEKS = 1  # each replica moves back by this many weeks more than the one before


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


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


def _stride(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {_q(table)}")
        return cursor.fetchone()[0]


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


def people_number(team: int, replica: int, density: int) -> int:
    """The number of a (team, replica)'s set of people: 0 is the demo's own."""
    return (team - 1) * density + replica


def users_create(template: Team, team_ids: dict[int, int], density: int) -> tuple[list[int], int]:
    """A copy of each of the demo team's people per (team, replica), with the same role. A copy's id is the demo
    account's plus `people number x stride`, so a copied row finds its people by arithmetic, as it finds its
    parents (`_column_expression`). Returns the demo team's members' ids and the stride; the people of the service
    who are not team members (the administrator) stand for themselves everywhere."""
    user_model = get_user_model()
    members = list(Membership.objects.filter(team=template).select_related("user"))
    stride = _stride(user_model._meta.db_table)
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
    _sequence_catch_up(user_model._meta.db_table)
    return [member.user_id for member in members], stride


def _sequence_catch_up(table: str) -> None:
    """The id sequence past the ids written by hand, so that the app's next row gets a free one."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {_q(table)}))")


def _column_expression(model, field, strides: dict, people: tuple[list[int], int]) -> str:
    """The SQL giving a copied row's column from the template row `s` and the copy `c`."""
    column = f"s.{_q(field.column)}"
    if field.primary_key:
        return f"{column} + c.number * {strides[model._meta.label]}"
    if field.is_relation:
        target = field.related_model._meta.label
        if target in strides:
            return f"{column} + c.number * {strides[target]}"
        if target == "pairs.Team":
            return "c.team_id"
        if field.related_model is get_user_model():
            members, stride = people
            listed = ", ".join(str(pk) for pk in members)
            return f"CASE WHEN {column} IN ({listed}) THEN {column} + c.people * {stride} ELSE {column} END"
        return column
    if isinstance(field, models.DateTimeField):
        # Whole days back on the clock of the service, so that a 09:30 visit stays at 09:30 across the clock change.
        zone = settings.TIME_ZONE
        return f"(({column} AT TIME ZONE '{zone}') - make_interval(days => c.shift)) AT TIME ZONE '{zone}'"
    if isinstance(field, models.DateField):
        return f"{column} - c.shift"
    if model._meta.label == "referrals.Caregiver" and field.name == "birth_year":
        return (
            f"CASE WHEN s.date_of_birth IS NOT NULL THEN extract(year FROM s.date_of_birth - c.shift)::int "
            f"ELSE {column} - round(c.shift / 365.25)::int END"
        )
    if model._meta.label == "referrals.Referral" and field.name == "reference":
        return f"{column} || '-' || c.team || '.' || c.tile || '.' || c.replica"
    if field.name == "title" and model._meta.label in TITLED:
        # Titles tell a team's runs and sessions apart (their natural keys): each copy's carry its number.
        return f"{column} || ' (' || c.team || '.' || c.tile || '.' || c.replica || ')'"
    if model._meta.label == "training.Consultation" and field.name == "sequence":
        return f"{column} + {SEQUENCE_STEP} * c.slot"
    if field.unique:
        return "NULL"
    return column


def _keep_table(label: str) -> str:
    return f"bench_keep_{label.replace('.', '_').lower()}"


def keep_tables_create(strides: dict, team_id: int, years: int, today: datetime.date) -> None:
    """For each cloned table, which template rows a copy repeats: a table of (id, latest shift, open) where `latest
    shift` is the largest shift that keeps the row and its ancestors' dates within `--years` of today (NULL: any)
    and `open` says the row belongs to an open referral (copied in the newest tile only). A row whose parent is not
    kept is not kept. Computed once on the template (thousands of rows), so the copies need no look-up of the
    copied parents in the big tables."""
    first = today - datetime.timedelta(days=round(years * 365.25))
    closed = ", ".join(f"'{status}'" for status in sorted(CLOSED_STATUSES))
    with connection.cursor() as cursor:
        for label in CLONED:
            model = apps.get_model(label)
            table = _q(model._meta.db_table)
            joins, shifts, opens, conditions = [], [], [], [f"s.id < {strides[label]}"]
            if label in DATED_ROOTS:
                shifts.append(f"s.{_q(DATED_ROOTS[label])} - DATE '{first.isoformat()}'")
            if label == "referrals.Referral":
                opens.append(
                    f"(SELECT e.status FROM referrals_pipelineevent e WHERE e.referral_id = s.id "
                    f"ORDER BY e.occurred_on DESC, e.sequence DESC LIMIT 1) NOT IN ({closed})"
                )
            if "team_id" in [field.column for field in model._meta.concrete_fields]:
                conditions.append(f"s.team_id = {team_id}")
            for index, field in enumerate(model._meta.concrete_fields):
                target = field.related_model._meta.label if field.is_relation else ""
                if target not in strides:
                    continue
                assert target != label, f"{label} refers to itself: its copies would need their own order"
                alias, column = f"p{index}", f"s.{_q(field.column)}"
                joins.append(f"LEFT JOIN {_keep_table(target)} {alias} ON {alias}.id = {column}")
                conditions.append(f"({column} IS NULL OR {alias}.id IS NOT NULL)")
                shifts.append(f"{alias}.latest_shift")
                opens.append(f"coalesce({alias}.open, false)")
            cursor.execute(f"DROP TABLE IF EXISTS {_keep_table(label)}")
            cursor.execute(
                f"CREATE UNLOGGED TABLE {_keep_table(label)} AS SELECT s.id, "
                f"{f'LEAST({", ".join(shifts)})' if shifts else 'NULL::int'} AS latest_shift, "
                f"{' OR '.join(opens) if opens else 'false'} AS open "
                f"FROM {table} s {' '.join(joins)} WHERE {' AND '.join(conditions)}"
            )
            cursor.execute(f"ALTER TABLE {_keep_table(label)} ADD PRIMARY KEY (id)")
            cursor.execute(f"ANALYZE {_keep_table(label)}")


def secondary_structures_drop(tables: list[str]) -> list[str]:
    """Drop the tables' foreign keys, unique constraints and plain indexes (not their primary keys, nor what an
    `ON CONFLICT` or another table's foreign key needs), and return the statements that recreate them. Built once
    over the loaded rows, an index is a sort instead of millions of insertions, and a foreign key one join instead
    of a trigger a row; recreating them checks every row against them all the same."""
    kept = [apps.get_model(label)._meta.db_table for label in SUMMED]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%(tables)s::regclass[]) AND NOT c.conrelid = ANY(%(kept)s::regclass[])
              AND (c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))""",
            {"tables": tables, "kept": kept},
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = ANY(%(tables)s::regclass[]) AND NOT i.indrelid = ANY(%(kept)s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)""",
            {"tables": tables, "kept": kept},
        )
        indexes = cursor.fetchall()
        for table, name, *_ in sorted(constraints, key=lambda row: row[3] != "f"):  # foreign keys first
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_q(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    # Indexes and unique constraints before the foreign keys, whose checks then read the indexes.
    return [
        *(definition for _, definition in indexes),
        *(f"ALTER TABLE {t} ADD CONSTRAINT {_q(n)} {d}" for t, n, d, kind in constraints if kind == "u"),
        *(f"ALTER TABLE {t} ADD CONSTRAINT {_q(n)} {d}" for t, n, d, kind in constraints if kind == "f"),
    ]


def secondary_structures_create(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _summed(insert: str, select: str, model, added: str) -> str:
    """The INSERT of a table with one row a key (team, date, code: universal contacts): copies that land on the same
    key are added up, and onto the row already there."""
    key = next(c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint))
    columns = [model._meta.get_field(name).column for name in key.fields]
    table = _q(model._meta.db_table)

    def total(column: str) -> str:
        if column in columns:
            return _q(column)
        return f"sum({_q(column)})::int" if column == added else f"min({_q(column)})"

    return (
        f"{insert} SELECT {', '.join(total(f.column) for f in model._meta.concrete_fields)} FROM ({select}) r "
        f"GROUP BY {', '.join(_q(column) for column in columns)} "
        f"ON CONFLICT ({', '.join(_q(column) for column in columns)}) "
        f"DO UPDATE SET {_q(added)} = {table}.{_q(added)} + EXCLUDED.{_q(added)}"
    )


def copies_table_create(copies, team_ids: dict[int, int]) -> None:
    density = 1 + max(replica for *_, replica, _ in copies)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_copy "
            "(number int, team int, tile int, replica int, slot int, people int, shift int, team_id bigint)"
        )
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for number, team, tile, replica, shift in copies:
                slot, people = tile * density + replica, people_number(team, replica, density)
                copy.write_row((number, team, tile, replica, slot, people, shift, team_ids[team]))
        cursor.execute("ANALYZE bench_copy")


def clone(team_ids: dict[int, int], people: tuple[list[int], int], years: int, today: datetime.date) -> dict:
    """Copy the template's casework for every copy of `bench_copy`, one INSERT ... SELECT a table; returns the rows
    written per table."""
    strides = {label: _stride(apps.get_model(label)._meta.db_table) for label in CLONED}
    keep_tables_create(strides, team_ids[1], years, today)
    written = {}
    for label in CLONED + PER_TEAM:
        model = apps.get_model(label)
        table = model._meta.db_table
        fields = model._meta.concrete_fields
        started = time.monotonic()
        if label in PER_TEAM:
            columns = ", ".join("c.team_id" if f.column == "team_id" else f"s.{_q(f.column)}" for f in fields[1:])
            sql = (
                f"INSERT INTO {_q(table)} ({', '.join(_q(f.column) for f in fields[1:])}) SELECT {columns} "
                f"FROM {_q(table)} s JOIN bench_copy c ON c.tile = 0 AND c.replica = 0 AND c.team > 1 "
                f"WHERE s.team_id = {team_ids[1]}"
            )
        else:
            columns = ", ".join(f"{_column_expression(model, f, strides, people)} AS {_q(f.column)}" for f in fields)
            insert = f"INSERT INTO {_q(table)} ({', '.join(_q(f.column) for f in fields)})"
            select = (
                f"SELECT {columns} FROM {_q(table)} s JOIN {_keep_table(label)} k ON k.id = s.id "
                f"JOIN bench_copy c ON c.number > 0 AND (k.latest_shift IS NULL OR c.shift <= k.latest_shift) "
                f"AND (c.tile = 0 OR NOT k.open)"
            )
            sql = _summed(insert, select, model, SUMMED[label]) if label in SUMMED else f"{insert} {select}"
        with connection.cursor() as cursor:
            cursor.execute(sql)
            written[label] = cursor.rowcount
        _sequence_catch_up(table)
        print(f"  {label:40} {written[label]:>10,} rows  {time.monotonic() - started:6.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE " + ", ".join(_keep_table(label) for label in CLONED))
    return written


def check_sample(size: int, first_generated: int, seed: int = 15) -> int:
    """Replay `size` referrals drawn at random through the pipeline's state machine, and `full_clean()` each of
    their rows (the referral, its family, events, appointments, episodes, places, questionnaires and scores); each
    appointment also by the services' rules on its day and practitioner (`diary.appointment_check`). Half the
    sample is drawn from the referrals with a generated diary (appointments from id `first_generated` on). Raises
    on the first rule broken; returns the number of rows checked."""
    from django.db.models import Prefetch

    from outcomes.models import Questionnaire
    from referrals.models import Appointment, PipelineEvent
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
        for event in sorted(referral.events.all(), key=lambda event: (event.occurred_on, event.sequence)):
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
            event.full_clean()
            state, previous_on = target, event.occurred_on
            rows += 1
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
        first_copied = _stride(Referral._meta.db_table)
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
