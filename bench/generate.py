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
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.accounts import DEMO_TEAM  # noqa: E402
from pairs.models import Membership, Role, Team  # noqa: E402
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


def _span_weeks(today: datetime.date) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(received_on) FROM referrals_referral")
        (first,) = cursor.fetchone()
    return math.ceil(((today - first).days + 1) / 7)


def _copies(teams: int, years: int, density: int, today: datetime.date) -> list[tuple[int, int, int, int, int]]:
    """(copy number, team number, tile, replica, shift in days) of every copy; copy 0 is the template itself."""
    tile_days = 7 * _span_weeks(today)
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


def users_create(template: Team, team_ids: dict[int, int], density: int) -> None:
    """A copy of each of the demo team's people per (team, replica), with the same role; the table `bench_user_map`
    (team number, replica, template user, copy user) says who stands for whom."""
    user_model = get_user_model()
    members = list(Membership.objects.filter(team=template).select_related("user"))
    templates = {member.user_id: member for member in members}
    wanted = []
    for number in team_ids:
        for replica in range(density):
            if number == 1 and replica == 0:
                continue
            for member in members:
                wanted.append((number, replica, member, f"{member.user.username}.t{number}r{replica}"))
    existing = dict(user_model.objects.filter(username__in=[w[3] for w in wanted]).values_list("username", "pk"))
    fresh = [
        user_model(
            username=username,
            first_name=member.user.first_name,
            last_name=f"{member.user.last_name} {number}-{replica}",
            email=f"{username}@example.nhs.uk",
            password=member.user.password,
        )
        for number, replica, member, username in wanted
        if username not in existing
    ]
    for user in user_model.objects.bulk_create(fresh, batch_size=2000):
        existing[user.username] = user.pk
    have = set(Membership.objects.values_list("user_id", "team_id"))
    memberships = [
        Membership(user_id=existing[username], team_id=team_ids[number], role=member.role)
        for number, replica, member, username in wanted
    ]
    # The demo's commissioner commissions every team of the region: the teams-compared page has them all.
    memberships += [
        Membership(user_id=member.user_id, team_id=team_id, role=member.role)
        for member in members
        if member.role == Role.COMMISSIONER
        for team_id in team_ids.values()
    ]
    Membership.objects.bulk_create(
        [m for m in memberships if (m.user_id, m.team_id) not in have], batch_size=2000, ignore_conflicts=True
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_user_map")
        cursor.execute("CREATE UNLOGGED TABLE bench_user_map (team int, replica int, old bigint, new bigint)")
        rows = [(1, 0, user_id, user_id) for user_id in templates]
        rows += [(number, replica, member.user_id, existing[username]) for number, replica, member, username in wanted]
        # The people of the service who are not team members (the administrator) stand for themselves everywhere.
        others = user_model.objects.exclude(pk__in=existing.values()).exclude(pk__in=templates).values_list("pk")
        rows += [(n, r, pk, pk) for (pk,) in others for n in team_ids for r in range(density)]
        with cursor.copy("COPY bench_user_map FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("CREATE INDEX ON bench_user_map (team, replica, old)")


def _column_expression(model, field, strides: dict, today: datetime.date) -> str:
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
            return (
                f"(SELECT m.new FROM bench_user_map m WHERE m.team = c.team AND m.replica = c.replica "
                f"AND m.old = {column})"
            )
        return column
    if isinstance(field, models.DateTimeField):
        return f"{column} - make_interval(days => c.shift)"
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


def _kept(model, strides: dict, years: int, today: datetime.date) -> str:
    """The conditions on a template row `s` for copy `c`: its parents copied, within the years, open only in tile 0."""
    conditions = ["c.number > 0"]
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model._meta.label in strides:
            target = field.related_model._meta.db_table
            check = f"EXISTS (SELECT 1 FROM {_q(target)} p WHERE p.id = s.{_q(field.column)} + c.number * "
            check += f"{strides[field.related_model._meta.label]})"
            conditions.append(f"(s.{_q(field.column)} IS NULL OR {check})" if field.null else check)
    label = model._meta.label
    if label in DATED_ROOTS:
        first = today - datetime.timedelta(days=round(years * 365.25))
        conditions.append(f"s.{_q(DATED_ROOTS[label])} - c.shift >= DATE '{first.isoformat()}'")
    if label == "referrals.Referral":
        closed = ", ".join(f"'{status}'" for status in sorted(CLOSED_STATUSES))
        conditions.append(
            f"(c.tile = 0 OR (SELECT e.status FROM referrals_pipelineevent e WHERE e.referral_id = s.id "
            f"ORDER BY e.occurred_on DESC, e.sequence DESC LIMIT 1) IN ({closed}))"
        )
    return " AND ".join(conditions)


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


def clone(copies, team_ids: dict[int, int], years: int, today: datetime.date) -> dict[str, int]:
    """Copy the template's casework for every copy, one INSERT ... SELECT a table; returns the rows per table."""
    strides = {label: _stride(apps.get_model(label)._meta.db_table) for label in CLONED}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_copy "
            "(number int, team int, tile int, replica int, slot int, shift int, team_id bigint)"
        )
        density = 1 + max(replica for *_, replica, _ in copies)
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for number, team, tile, replica, shift in copies:
                copy.write_row((number, team, tile, replica, tile * density + replica, shift, team_ids[team]))
        cursor.execute("ANALYZE bench_copy")
        cursor.execute("ANALYZE bench_user_map")
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
            columns = ", ".join(f"{_column_expression(model, f, strides, today)} AS {_q(f.column)}" for f in fields)
            insert = f"INSERT INTO {_q(table)} ({', '.join(_q(f.column) for f in fields)})"
            select = (
                f"SELECT {columns} FROM {_q(table)} s CROSS JOIN bench_copy c WHERE s.id < {strides[label]} "
                f"AND {_kept(model, strides, years, today)}"
            )
            if "team_id" in [f.column for f in fields]:
                select += f" AND s.team_id = {team_ids[1]}"
            sql = _summed(insert, select, model, SUMMED[label]) if label in SUMMED else f"{insert} {select}"
        with connection.cursor() as cursor:
            cursor.execute(sql)
            written[label] = cursor.rowcount
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {_q(table)}))")
            if label in ("referrals.Referral", "referrals.Caregiver", "outcomes.Questionnaire"):
                cursor.execute(f"ANALYZE {_q(table)}")  # the EXISTS checks of the children plan on these
        print(f"  {label:40} {written[label]:>10,} rows  {time.monotonic() - started:6.1f} s", flush=True)
    return written


def check_sample(size: int, seed: int = 15) -> int:
    """Replay `size` referrals drawn at random through the pipeline's state machine, and `full_clean()` each of
    their rows (the referral, its family, events, appointments, episodes, places, questionnaires and scores).
    Raises on the first rule broken; returns the number of rows checked."""
    from django.db.models import Prefetch

    from outcomes.models import Questionnaire
    from referrals.models import PipelineEvent, Referral
    from referrals.pipeline import NEW, EventKind, check_transition

    ids = list(Referral.objects.values_list("pk", flat=True))
    sample = random.Random(seed).sample(ids, min(size, len(ids)))
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
        rows += 1 + len(related)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--density", type=int, default=10, help="replicas of the demo's caseload in each team")
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
    with transaction.atomic():
        team_ids = teams_create(template, args.teams, args.years)
        users_create(template, team_ids, args.density)
        copies = _copies(args.teams, args.years, args.density, today)
        print(f"{len(copies)} copies of the demo ({args.teams} teams, {args.years} years, density {args.density})")
        written = clone(copies, team_ids, args.years, today)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy, bench_user_map")
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"generated in {time.monotonic() - started:.0f} s: {written['referrals.Referral']:,} referrals copied")
    if args.check:
        print(f"checked {check_sample(args.check):,} rows of {args.check} referrals: every rule holds")


if __name__ == "__main__":
    main()
