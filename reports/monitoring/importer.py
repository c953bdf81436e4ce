"""`monitoring_import()`: a team's monitoring files into the database, all or nothing (data-contract.md section 1).

Two passes over the files, each streamed row by row:

1. Validation reads every row of every file, checks its cells, its keys (unique within the file) and its
   references (a referral named by interventions.csv or outcomes.csv is in referrals.csv or already in the team),
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from outcomes import services as outcome_services
from outcomes.models import Questionnaire
from pairs.audit import acting
from pairs.database import planner_statistics_refresh
from pairs.models import Service, Team
from referrals import services as referral_services
from referrals.hooks import Waived
from referrals.models import (
    Caregiver,
    Complexity,
    DeclineReason,
    DisengagementReason,
    HoldReason,
    Intervention,
    InterventionEpisode,
    Referral,
)
from referrals.pipeline import ReasonVocabulary
from reports.monitoring import cells
from reports.monitoring.schema import (
    FILES,
    AwarenessRecord,
    Codes,
    ConsultationRecord,
    FileSpec,
    InterventionRecord,
    OutcomeRecord,
    ReferralRecord,
    RowProblems,
    TrainingRecord,
    UniversalRecord,
)
from reports.monitoring.sources import Problem, UnreadableFile, open_tables
from training import services as training_services
from training.models import AwarenessEvent, Consultation, TrainingSession, UniversalOfferContact

CHUNK = 500
# Which vocabulary the reason of each closing step comes from.
STEP_REASON = {
    "not_accepted": ReasonVocabulary.DECLINE,
    "on_hold": ReasonVocabulary.HOLD,
    "disengaged": ReasonVocabulary.DISENGAGEMENT,
}
# A history records completions that already happened: their T2 questionnaires come in outcomes.csv, after the
# referrals, or never. So the completion guards (the T2 rule of outcomes) are waived for the import, and only here.
HISTORICAL_IMPORT = Waived("an import of a team's monitoring history")
REASON_MODELS = {
    ReasonVocabulary.DECLINE: DeclineReason,
    ReasonVocabulary.DISENGAGEMENT: DisengagementReason,
    ReasonVocabulary.HOLD: HoldReason,
}


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
        super().__init__(f"{len(problems)} problems")
        self.problems = sorted(problems, key=lambda p: (FILE_ORDER.get(p.file, 99), p.file, p.row, p.column))


FILE_ORDER = {spec.name: index for index, spec in enumerate(FILES)}


def team_codes() -> Codes:
    def codes(model) -> frozenset[str]:
        return frozenset(model.objects.values_list("code", flat=True))

    return Codes(
        services=codes(Service),
        complexities=codes(Complexity),
        interventions=codes(Intervention),
        disengagement_reasons=codes(DisengagementReason),
        hold_reasons=codes(HoldReason),
        decline_reasons=codes(DeclineReason),
    )


def monitoring_import(
    *, path: Path, team: Team, actor, dry_run: bool = False, today: datetime.date | None = None
) -> ImportResult:
    """Import the monitoring files at `path` into `team`, attributed to `actor`. Raises ImportRejected."""
    today = today or timezone.localdate()
    tables, problems = open_tables(Path(path), [spec.name for spec in FILES])
    if not tables and not problems:
        problems.append(Problem(Path(path).name, 1, "(file)", "no monitoring file found (referrals.csv, ...)"))
    codes = team_codes()
    run = ImportRun(team=team, actor=actor, codes=codes, today=today, tables=tables)
    problems += run.validate()
    if problems:
        raise ImportRejected(problems)
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        with acting(actor, correlation_id=f"import-{uuid.uuid4()}"):
            problems = run.write(result)
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

    def records(self, spec: FileSpec) -> Iterator[tuple[int, dict, object | None, list[Problem]]]:
        """Each row of a file as (row number, its cells, its record or None, its problems)."""
        table = self.tables[spec.name]
        for row_number, values in table.rows():
            try:
                yield row_number, values, spec.read(values, codes=self.codes, today=self.today), []
            except RowProblems as invalid:
                yield row_number, values, None, [Problem(spec.name, row_number, c, m) for c, m in invalid.problems]

    # Pass 1 ------------------------------------------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        problems = []
        known_references = set(Referral.objects.in_team(self.team).values_list("reference", flat=True))
        for spec in FILES:
            table = self.tables.get(spec.name)
            if table is None:
                continue
            missing = [column for column, required in spec.columns.items() if required and column not in table.header]
            problems += [Problem(spec.name, 1, column, "required column is missing") for column in missing]
            first_row_of_key: dict = {}
            try:
                for row_number, values, record, row_problems in self.records(spec):
                    if spec.name == "referrals.csv" and values.get("reference"):
                        # Named even when its row is wrong, so that its interventions are not wrong as well.
                        known_references.add(cells.text(values["reference"]))
                    if missing:
                        continue
                    problems += row_problems
                    if record is None:
                        continue
                    key = record.key
                    if key in first_row_of_key:
                        shown = ", ".join(map(str, key))
                        problems.append(
                            Problem(
                                spec.name,
                                row_number,
                                spec.key_columns[0],
                                f"duplicate key ({shown}): also on row {first_row_of_key[key]}",
                            )
                        )
                        continue
                    first_row_of_key[key] = row_number
                    reference = getattr(record, "reference", None) if spec.name != "referrals.csv" else None
                    if reference is not None and reference not in known_references:
                        problems.append(Problem(spec.name, row_number, "reference", f"no referral {reference!r}"))
            except UnreadableFile as unreadable:
                problems.append(unreadable.problem)
        return problems

    # Pass 2 ------------------------------------------------------------------------------------------------------

    def write(self, result: ImportResult) -> list[Problem]:
        problems = []
        writers = {
            "referrals.csv": ReferralWriter,
            "interventions.csv": InterventionWriter,
            "outcomes.csv": OutcomeWriter,
            "training.csv": TrainingWriter,
            "consultations.csv": ConsultationWriter,
            "awareness.csv": AwarenessWriter,
            "universal.csv": UniversalWriter,
        }
        for spec in FILES:
            if spec.name not in self.tables:
                continue
            counts = result.files.setdefault(spec.name, FileCounts())
            writer = writers[spec.name](self)
            rows = ((n, record) for n, _, record, _ in self.records(spec))
            while chunk := list(islice(rows, CHUNK)):
                writer.load([record for _, record in chunk])
                for row_number, record in chunk:
                    try:
                        with transaction.atomic():
                            outcome = writer.write(record)
                    except ValidationError as error:
                        problems += _problems(spec.name, row_number, error)
                        continue
                    setattr(counts, outcome, getattr(counts, outcome) + 1)
        return problems


def _problems(file_name: str, row_number: int, error: ValidationError) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(file_name, row_number, "(row)" if column == NON_FIELD_ERRORS else column, message)
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return [Problem(file_name, row_number, "(row)", message) for message in error.messages]


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class Writer:
    """Writes one file's records: `load()` reads the existing records of a chunk, `write()` one record."""

    def __init__(self, run: ImportRun):
        self.run = run
        self.team = run.team
        self.actor = run.actor

    def load(self, records: list) -> None:
        pass

    def write(self, record) -> str:
        raise NotImplementedError


def _changed(instance, values: dict) -> dict:
    return {name: value for name, value in values.items() if getattr(instance, name) != value}


class ReferralWriter(Writer):
    def __init__(self, run: ImportRun):
        super().__init__(run)
        self.services = {s.code: s for s in Service.objects.all()}
        self.complexities = {c.code: c for c in Complexity.objects.all()}
        self.reasons = {
            vocabulary: {r.code: r for r in model.objects.all()} for vocabulary, model in REASON_MODELS.items()
        }
        self.existing: dict[str, Referral] = {}

    def load(self, records: list[ReferralRecord]) -> None:
        references = [record.reference for record in records if record is not None]
        self.existing = {
            referral.reference: referral
            for referral in Referral.objects.in_team(self.team)
            .filter(reference__in=references)
            .prefetch_related("events", "caregivers", "infants", "complexities")
        }

    def _steps(self, record: ReferralRecord) -> list[tuple]:
        """(kind, date, reason) of each pipeline event after the receipt, the reasons as vocabulary entries."""
        steps = []
        for step in record.steps[1:]:
            vocabulary = STEP_REASON.get(step.kind)
            reason = self.reasons[vocabulary][step.reason_code] if vocabulary and step.reason_code else None
            steps.append((step.kind, step.occurred_on, reason))
        return steps

    @staticmethod
    def _recorded_steps(referral: Referral) -> list[tuple]:
        events = sorted(referral.events.all(), key=lambda e: (e.occurred_on, e.sequence))
        return [(event.kind, event.occurred_on, event.reason) for event in events]

    def write(self, record: ReferralRecord) -> str:
        existing = self.existing.get(record.reference)
        if existing is None:
            self._create(record)
            return CREATED
        return UPDATED if self._update(existing, record) else UNCHANGED

    def _caregiver(self, record: ReferralRecord) -> dict:
        return {
            "role": record.caregiver_role,
            "birth_year": record.caregiver_birth_year,
            "ethnicity": record.ethnicity,
            "postcode": record.postcode,
        }

    def _create(self, record: ReferralRecord) -> None:
        infants = [{"date_of_birth": record.infant_date_of_birth}] if record.infant_date_of_birth else []
        referral = referral_services.referral_create(
            team=self.team,
            actor=self.actor,
            received_on=record.received_on,
            pathway=record.pathway,
            referrer_service=self.services[record.referrer_service],
            caregivers=[self._caregiver(record)],
            infants=infants,
            complexities=[self.complexities[code] for code in record.complexities],
            reference=record.reference,
            is_antenatal=record.antenatal,
            imd_decile=record.imd_decile,
            first_contact_on=record.first_contact_on,
        )
        referral_services.pipeline_history_extend(
            referral=referral, actor=self.actor, steps=self._steps(record), completion_guards=HISTORICAL_IMPORT
        )
        self._levels(referral, record)

    def _levels(self, referral: Referral, record: ReferralRecord) -> bool:
        wanted = {
            "safeguarding_level": record.safeguarding_level,
            "risk_count": record.risk_count,
            "imd_decile": record.imd_decile,
        }
        referral.refresh_from_db()
        if not _changed(referral, wanted):
            return False
        decided = next((s.occurred_on for s in record.steps if s.kind in ("accepted", "not_accepted")), None)
        referral_services.referral_levels_record(
            referral=referral,
            actor=self.actor,
            recorded_on=decided or record.received_on,
            thrive_level=referral.thrive_level,
            **wanted,
        )
        return True

    def _update(self, referral: Referral, record: ReferralRecord) -> bool:
        changed = False
        details = {
            "pathway": record.pathway,
            "referrer_service": self.services[record.referrer_service],
            "is_antenatal": record.antenatal,
            "first_contact_on": record.first_contact_on,
        }
        complexities = [self.complexities[code] for code in record.complexities]
        if _changed(referral, details) or {c.code for c in referral.complexities.all()} != set(record.complexities):
            referral_services.referral_update(referral=referral, actor=self.actor, complexities=complexities, **details)
            changed = True
        caregiver = next((c for c in referral.caregivers.all() if c.position == 1), None)
        wanted = self._caregiver(record)
        if caregiver is not None and _changed(caregiver, wanted):
            referral_services.caregiver_update(caregiver=caregiver, actor=self.actor, **wanted)
            changed = True
        infant = next(iter(referral.infants.all()), None)
        if record.infant_date_of_birth and (infant is None or infant.date_of_birth != record.infant_date_of_birth):
            if infant is None:
                referral_services.infant_add(
                    referral=referral, actor=self.actor, date_of_birth=record.infant_date_of_birth
                )
            else:
                referral_services.infant_update(
                    infant=infant, actor=self.actor, date_of_birth=record.infant_date_of_birth
                )
            changed = True
        wanted_steps = self._steps(record)
        recorded = self._recorded_steps(referral)
        if record.received_on != referral.received_on or recorded[1:] != wanted_steps:
            referral.refresh_from_db()
            if record.received_on == referral.received_on and recorded[1:] == wanted_steps[: len(recorded) - 1]:
                referral_services.pipeline_history_extend(
                    referral=referral,
                    actor=self.actor,
                    steps=wanted_steps[len(recorded) - 1 :],
                    completion_guards=HISTORICAL_IMPORT,
                )
            else:
                referral_services.pipeline_history_rewrite(
                    referral=referral,
                    actor=self.actor,
                    received_on=record.received_on,
                    steps=wanted_steps,
                    completion_guards=HISTORICAL_IMPORT,
                )
            changed = True
        return self._levels(referral, record) or changed


class ReferencedWriter(Writer):
    """A writer of records filed under a referral named by its reference."""

    def referrals_of(self, records: list) -> dict[str, Referral]:
        references = {record.reference for record in records if record is not None}
        return {r.reference: r for r in Referral.objects.in_team(self.team).filter(reference__in=references)}


class InterventionWriter(ReferencedWriter):
    def __init__(self, run: ImportRun):
        super().__init__(run)
        self.interventions = {i.code: i for i in Intervention.objects.all()}

    def load(self, records: list[InterventionRecord]) -> None:
        self.referrals = self.referrals_of(records)
        self.existing = {
            (episode.referral.reference, episode.intervention.code, episode.started_on): episode
            for episode in InterventionEpisode.objects.filter(referral__in=self.referrals.values()).select_related(
                "referral", "intervention"
            )
        }

    def write(self, record: InterventionRecord) -> str:
        episode = self.existing.get(record.key)
        referral = self.referrals[record.reference]
        if episode is None:
            episode = referral_services.intervention_episode_create(
                referral=referral,
                actor=self.actor,
                intervention=self.interventions[record.intervention],
                started_on=record.started_on,
            )
            if record.ended_on is None and record.sessions_attended is None:
                return CREATED
            outcome = CREATED
        elif _changed(episode, {"ended_on": record.ended_on, "sessions_attended": record.sessions_attended}):
            outcome = UPDATED
        else:
            return UNCHANGED
        referral_services.intervention_episode_update(
            episode=episode,
            actor=self.actor,
            expected_version=episode.version,
            ended_on=record.ended_on,
            sessions_attended=record.sessions_attended,
        )
        return outcome


class OutcomeWriter(ReferencedWriter):
    def load(self, records: list[OutcomeRecord]) -> None:
        self.referrals = self.referrals_of(records)
        self.caregivers = {
            (caregiver.referral_id, caregiver.position): caregiver
            for caregiver in Caregiver.objects.filter(referral__in=self.referrals.values())
        }
        self.existing = {
            (q.referral.reference, q.instrument, q.timepoint, q.caregiver.position): q
            for q in Questionnaire.objects.filter(referral__in=self.referrals.values()).select_related(
                "referral", "caregiver"
            )
        }

    def write(self, record: OutcomeRecord) -> str:
        referral = self.referrals[record.reference]
        caregiver = self.caregivers.get((referral.pk, record.caregiver))
        if caregiver is None:
            # The contract's `caregiver` 2 is the referral's second caregiver; the referrals file names only one.
            caregiver = referral_services.caregiver_add(referral=referral, actor=self.actor, role="other")
            self.caregivers[(referral.pk, record.caregiver)] = caregiver
        questionnaire = self.existing.get(record.key)
        if questionnaire is None:
            questionnaire = outcome_services.questionnaire_record(
                referral=referral,
                caregiver=caregiver,
                instrument=record.instrument,
                timepoint=record.timepoint,
                completed_on=record.completed_on,
                recorded_by=self.actor,
                answers=record.answers,
                totals=record.totals,
            )
            self.existing[record.key] = questionnaire
            return CREATED
        if self._matches(questionnaire, record):
            return UNCHANGED
        outcome_services.questionnaire_update(
            questionnaire=questionnaire,
            completed_on=record.completed_on,
            version=questionnaire.version,
            updated_by=self.actor,
            answers=record.answers,
            totals=record.totals,
        )
        return UPDATED

    @staticmethod
    def _matches(questionnaire: Questionnaire, record: OutcomeRecord) -> bool:
        """Whether the row says what is recorded: same date, same answers, and the totals (if any) as scored."""
        if questionnaire.completed_on != record.completed_on:
            return False
        recorded_answers = {int(number): value for number, value in (questionnaire.answers or {}).items()}
        if recorded_answers != (record.answers or {}):
            return False
        if record.totals:
            scores = {score.scale: score.value for score in questionnaire.scores.all()}
            return all(scores.get(scale) == float(value) for scale, value in record.totals.items())
        return True


class TeamRecordWriter(Writer):
    """Writes a workforce record keyed by fields of its own."""

    model = None
    key_fields: tuple[str, ...] = ()

    def key_of(self, instance) -> tuple:
        return tuple(getattr(instance, name) for name in self.key_fields)

    def load(self, records: list) -> None:
        dates = {record.date for record in records if record is not None}
        self.existing = {self.key_of(instance): instance for instance in self.scoped(dates)}

    related: tuple[str, ...] = ()

    def scoped(self, dates):
        existing = self.model.objects.in_team(self.team).filter(date__in=dates)
        return existing.select_related(*self.related) if self.related else existing

    def write(self, record) -> str:
        instance = self.existing.get(record.key)
        values = self.values(record)
        if instance is None:
            self.existing[record.key] = self.create(values)
            return CREATED
        comparable = {name: value for name, value in values.items() if not hasattr(value, "pk")}
        comparable.update({f"{name}_id": value.pk for name, value in values.items() if hasattr(value, "pk")})
        if not _changed(instance, comparable):
            return UNCHANGED
        self.update(instance, values)
        return UPDATED


class TrainingWriter(TeamRecordWriter):
    model = TrainingSession
    key_fields = ("date", "session_type", "title")

    def values(self, record: TrainingRecord) -> dict:
        return {
            "date": record.date,
            "session_type": record.session_type,
            "title": record.title,
            "participants": record.participants,
            "places_offered": record.places_offered,
            "feedback_returned": record.feedback_returned,
            "feedback_positive": record.feedback_positive,
        }

    def create(self, values: dict):
        return training_services.training_session_create(team=self.team, **values)

    def update(self, instance, values: dict) -> None:
        training_services.training_session_update(session=instance, trainers=instance.trainers, **values)


class ConsultationWriter(TeamRecordWriter):
    model = Consultation
    related = ("consultee_service",)

    def __init__(self, run: ImportRun):
        super().__init__(run)
        self.services = {s.code: s for s in Service.objects.all()}

    def key_of(self, instance) -> tuple:
        return (instance.date, instance.consultee_service.code, instance.sequence)

    def values(self, record: ConsultationRecord) -> dict:
        return {
            "date": record.date,
            "consultee_service": self.services[record.consultee_service],
            "outcome": record.outcome,
            "children": record.children,
        }

    def create(self, values: dict):
        return training_services.consultation_create(team=self.team, sequence=self.sequence, **values)

    def write(self, record: ConsultationRecord) -> str:
        self.sequence = record.sequence
        return super().write(record)

    def update(self, instance, values: dict) -> None:
        training_services.consultation_update(
            consultation=instance, mode=instance.mode, note=instance.note, referral=instance.referral, **values
        )


class AwarenessWriter(TeamRecordWriter):
    model = AwarenessEvent
    key_fields = ("date", "title")

    def values(self, record: AwarenessRecord) -> dict:
        return {"date": record.date, "title": record.title, "people_engaged": record.people_engaged}

    def create(self, values: dict):
        return training_services.awareness_event_create(team=self.team, audience="", **values)

    def update(self, instance, values: dict) -> None:
        training_services.awareness_event_update(event=instance, audience=instance.audience, **values)


class UniversalWriter(TeamRecordWriter):
    model = UniversalOfferContact
    related = ("offer",)

    def __init__(self, run: ImportRun):
        super().__init__(run)
        self.offers = {i.code: i for i in Intervention.objects.all()}

    def key_of(self, instance) -> tuple:
        return (instance.date, instance.offer.code)

    def values(self, record: UniversalRecord) -> dict:
        return {"date": record.date, "offer": self.offers[record.offer], "dyads": record.dyads}

    def create(self, values: dict):
        return training_services.universal_contact_create(team=self.team, **values)

    def update(self, instance, values: dict) -> None:
        training_services.universal_contact_update(contact=instance, **values)
