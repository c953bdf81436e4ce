"""How the demo's casework is copied for the regional data set (`generate.py`): one `INSERT ... SELECT` a table, with
every id arithmetic, and the tables' secondary indexes and constraints rebuilt around the load."""
# The SQL below is built from the models' own table and column names and the generator's numbers, never from input.
# ruff: noqa: S608

import datetime
import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models

from referrals.pipeline import CLOSED_STATUSES

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


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def table_stride(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {_q(table)}")
        return cursor.fetchone()[0]


def people_number(team: int, replica: int, density: int) -> int:
    """The number of a (team, replica)'s set of people: 0 is the demo's own."""
    return (team - 1) * density + replica


def sequence_catch_up(table: str) -> None:
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
    strides = {label: table_stride(apps.get_model(label)._meta.db_table) for label in CLONED}
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
        sequence_catch_up(table)
        print(f"  {label:40} {written[label]:>10,} rows  {time.monotonic() - started:6.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE " + ", ".join(_keep_table(label) for label in CLONED))
    return written
