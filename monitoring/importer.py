"""`monitoring_import()`: a team's monitoring files into the database, all or nothing (data-contract.md section 1).

Two passes over the files, each streamed row by row:

1. Validation reads every row of every file, checks its cells, its keys (unique within the file) and its
   references (a referral named by another file is in referrals.csv or already in the team), and checks each
   appointment and group place against its referral's own dates (as referrals.csv gives them, or as recorded),
   without writing anything. Any problem stops the import before a single write.
2. Writing runs in one transaction, through the apps' own services, so an imported referral gets the same dated
   pipeline events, an imported questionnaire the same scores, and every record the same audit entries, as if it
   had been entered in the browser. A record whose key is already in the team is compared with the row and updated
   only where it differs. A rule that only the services can check (the pipeline's state machine, for one) may still
   refuse a row here: the transaction is then rolled back and the problems listed as in pass 1.

Look-ups are batched: vocabulary codes are read once, existing records a chunk of rows at a time.
"""

import datetime
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from monitoring import cells
from monitoring.schema import FILES, FileSpec
from monitoring.schema.rows import Codes, RowProblems
from monitoring.schema.timeline import WAITING_FOR_ASSESSMENT, Timeline
from monitoring.sources import Problem, UnreadableFile, open_tables
from monitoring.writers import WRITERS
from pairs.audit import acting
from pairs.database import planner_statistics_refresh
from pairs.models import Membership, Role, Service, Team
from referrals.models import (
    Appointment,
    Complexity,
    DeclineReason,
    DisengagementReason,
    HoldReason,
    Intervention,
    PipelineEvent,
    Referral,
)

CHUNK = 500
PROGRESS_ROWS = 100
# progress(step, file name, rows): "checked" once a file, "imported" every PROGRESS_ROWS rows written.
Progress = Callable[[str, str, int], None]


@dataclass
class FileCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    dry_run: bool
    files: dict[str, FileCounts] = field(default_factory=dict)

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        return [
            f"{name}: {counts.rows} rows: {counts.created} {verb} created, {counts.updated} {verb} updated, "
            f"{counts.unchanged} unchanged"
            for name, counts in self.files.items()
        ]


class ImportRejected(Exception):
    """Nothing was written. `problems` lists each one as `FILE:ROW: COLUMN: message`."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (FILE_ORDER.get(p.file, 99), p.file, p.row, p.column))
        super().__init__(f"{len(problems)} problems, the first: {self.problems[0]}")


FILE_ORDER = {spec.name: index for index, spec in enumerate(FILES)}


def team_codes(team: Team, actor) -> Codes:
    def codes(model) -> frozenset[str]:
        return frozenset(model.objects.values_list("code", flat=True))

    clinical = Membership.objects.filter(team=team, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER])
    return Codes(
        services=codes(Service),
        complexities=codes(Complexity),
        interventions=codes(Intervention),
        disengagement_reasons=codes(DisengagementReason),
        hold_reasons=codes(HoldReason),
        decline_reasons=codes(DeclineReason),
        group_interventions=frozenset(
            Intervention.objects.filter(format=Intervention.Format.GROUP).values_list("code", flat=True)
        ),
        practitioners=frozenset(clinical.values_list("user__username", flat=True)),
        importing_user=actor.get_username(),
    )


def monitoring_import(
    *,
    path: Path,
    team: Team,
    actor,
    dry_run: bool = False,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the monitoring files at `path` into `team`, attributed to `actor`. Raises ImportRejected.

    For a person waiting at a terminal, `progress(step, file name, rows)` is called as each file is checked
    ("checked") and every PROGRESS_ROWS rows of each file written ("imported")."""
    today = today or timezone.localdate()
    tables, problems = open_tables(Path(path), [spec.name for spec in FILES])
    if not tables and not problems:
        problems.append(Problem(Path(path).name, 1, "(file)", "no monitoring file found (referrals.csv, ...)"))
    codes = team_codes(team, actor)
    run = ImportRun(team=team, actor=actor, codes=codes, today=today, tables=tables)
    problems += run.validate(progress=progress)
    if problems:
        raise ImportRejected(problems)
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        with acting(actor, correlation_id=f"import-{uuid.uuid4()}"):
            problems = run.write(result, progress=progress)
        if problems or dry_run:
            transaction.set_rollback(True)
        else:
            planner_statistics_refresh()
    if problems:
        raise ImportRejected(problems)
    return result


def uploaded_files_import(*, files, team: Team, actor, dry_run: bool) -> ImportResult:
    """Import files uploaded in the browser: one workbook, or CSV files named as the contract names them."""
    with tempfile.TemporaryDirectory(prefix="pairs-import-") as folder:
        for upload in files:
            with (Path(folder) / Path(upload.name).name.lower()).open("wb") as destination:
                for chunk in upload.chunks():
                    destination.write(chunk)
        workbooks = list(Path(folder).glob("*.xlsx"))
        return monitoring_import(
            path=workbooks[0] if workbooks else Path(folder), team=team, actor=actor, dry_run=dry_run
        )


class ImportRun:
    def __init__(self, *, team: Team, actor, codes: Codes, today: datetime.date, tables: dict):
        self.team = team
        self.actor = actor
        self.codes = codes
        self.today = today
        self.tables = tables
        # Each referral named so far: as referrals.csv gives it (None for a row that is wrong, already reported), or
        # as recorded.
        self.timelines: dict[str, Timeline | None] = {}

    def records(self, spec: FileSpec) -> Iterator[tuple[int, dict, object | None, list[Problem]]]:
        """Each row of a file as (row number, its cells, its record or None, its problems)."""
        table = self.tables[spec.name]
        for row_number, values in table.rows():
            try:
                yield row_number, values, spec.read(values, codes=self.codes, today=self.today), []
            except RowProblems as invalid:
                yield row_number, values, None, [Problem(spec.name, row_number, c, m) for c, m in invalid.problems]

    # Pass 1 ------------------------------------------------------------------------------------------------------

    def validate(self, *, progress: Progress | None = None) -> list[Problem]:
        problems = []
        recorded_references = set(Referral.objects.in_team(self.team).values_list("reference", flat=True))
        known_references = set(recorded_references)
        waiting = []  # (row number, timeline) of recorded referrals that referrals.csv leaves waiting for assessment
        for spec in FILES:
            table = self.tables.get(spec.name)
            if table is None:
                continue
            missing = [column for column, required in spec.columns.items() if required and column not in table.header]
            problems += [Problem(spec.name, 1, column, "required column is missing") for column in missing]
            first_row_of_key: dict = {}
            checks = spec.checks() if spec.checks else None
            related = []  # (row number, record) to check against their referrals, a chunk at a time
            rows = 0
            try:
                for row_number, values, record, row_problems in self.records(spec):
                    rows += 1
                    if spec.name == "referrals.csv" and values.get("reference"):
                        # Named even when its row is wrong, so that its interventions are not wrong as well.
                        known_references.add(cells.text(values["reference"]))
                        self.timelines[cells.text(values["reference"])] = record and Timeline.from_steps(record)
                    if missing:
                        continue
                    problems += row_problems
                    if record is None:
                        continue
                    key = record.key
                    if key in first_row_of_key:
                        problems.append(
                            Problem(
                                spec.name,
                                row_number,
                                spec.key_columns[0],
                                f"duplicate key ({_shown(key)}): also on row {first_row_of_key[key]}",
                            )
                        )
                        continue
                    first_row_of_key[key] = row_number
                    timeline = self.timelines.get(record.reference) if spec.name == "referrals.csv" else None
                    if (
                        timeline
                        and timeline.current == WAITING_FOR_ASSESSMENT
                        and record.reference in recorded_references
                    ):
                        waiting.append((row_number, timeline))
                    reference = getattr(record, "reference", None) if spec.name != "referrals.csv" else None
                    if reference is not None and reference not in known_references:
                        problems.append(Problem(spec.name, row_number, "reference", f"no referral {reference!r}"))
                    elif checks is not None:
                        related.append((row_number, record))
                        if len(related) == CHUNK:
                            problems += self._check_against_referrals(spec, checks, related)
                            related = []
                problems += self._check_against_referrals(spec, checks, related)
            except UnreadableFile as unreadable:
                problems.append(unreadable.problem)
            if progress is not None:
                progress("checked", spec.name, rows)
        return problems + self._assessments_already_started(waiting)

    def _assessments_already_started(self, waiting: list[tuple[int, Timeline]]) -> list[Problem]:
        """Rows of referrals.csv that would leave a referral waiting for assessment although an attended assessment
        appointment recorded for it started its assessment (as the outcome service does): one query a chunk."""
        problems = []
        for start in range(0, len(waiting), CHUNK):
            rows = {
                timeline.reference: (row_number, timeline) for row_number, timeline in waiting[start : start + CHUNK]
            }
            attended = (
                Appointment.objects.in_team(self.team)
                .filter(
                    referral__reference__in=rows, kind=Appointment.Kind.ASSESSMENT, outcome=Appointment.Outcome.ATTENDED
                )
                .order_by("starts_at")
                .values_list("referral__reference", "starts_at")
            )
            for reference, starts_at in attended:
                day = timezone.localtime(starts_at).date()
                if reference in rows and rows[reference][1].accepted_by(day):
                    row_number, _ = rows.pop(reference)  # the first such appointment is the one that started it
                    problems.append(
                        Problem(
                            "referrals.csv",
                            row_number,
                            "assessment_started_on",
                            f"is blank, but the attended assessment appointment of {day.isoformat()} recorded for "
                            f"{reference} started the assessment",
                        )
                    )
        return problems

    def _check_against_referrals(self, spec: FileSpec, checks, related: list[tuple[int, object]]) -> list[Problem]:
        if not related:
            return []
        self._recorded_timelines({record.reference for _, record in related} - self.timelines.keys())
        problems = []
        for row_number, record in related:
            timeline = self.timelines[record.reference]
            if timeline is not None:
                problems += [
                    Problem(spec.name, row_number, column, message)
                    for column, message in checks.check(record, row_number, timeline)
                ]
        return problems

    def _recorded_timelines(self, references: set[str]) -> None:
        """The recorded histories of referrals named by a file but not in referrals.csv: one query for a chunk."""
        events = Prefetch("events", PipelineEvent.objects.order_by("occurred_on", "sequence"))
        for referral in Referral.objects.in_team(self.team).filter(reference__in=references).prefetch_related(events):
            self.timelines[referral.reference] = Timeline.from_events(
                referral.reference,
                referral.received_on,
                referral.pathway,
                [(event.occurred_on, event.status, event.stage) for event in referral.events.all()],
            )

    # Pass 2 ------------------------------------------------------------------------------------------------------

    def write(self, result: ImportResult, *, progress: Progress | None = None) -> list[Problem]:
        problems = []
        for spec in FILES:
            if spec.name not in self.tables:
                continue
            counts = result.files.setdefault(spec.name, FileCounts())
            writer = WRITERS[spec.name](self)
            rows = ((n, record) for n, _, record, _ in self.records(spec))
            done = 0
            while chunk := list(islice(rows, CHUNK)):
                writer.load([record for _, record in chunk])
                for row_number, record in chunk:
                    if progress is not None and done and done % PROGRESS_ROWS == 0:
                        progress("imported", spec.name, done)
                    done += 1
                    try:
                        with transaction.atomic():
                            outcome = writer.write(record)
                    except ValidationError as error:
                        problems += _problems(spec.name, row_number, error)
                        continue
                    setattr(counts, outcome, getattr(counts, outcome) + 1)
            if progress is not None and done:
                progress("imported", spec.name, done)
        return problems


def _shown(key: tuple) -> str:
    """A key as the file gives it."""
    return ", ".join(
        cells.text(timezone.localtime(part).replace(tzinfo=None)) if isinstance(part, datetime.datetime) else str(part)
        for part in key
    )


def _problems(file_name: str, row_number: int, error: ValidationError) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(file_name, row_number, "(row)" if column == NON_FIELD_ERRORS else column, message)
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return [Problem(file_name, row_number, "(row)", message) for message in error.messages]
