"""The files of data-contract.md section 1: their columns, keys and the checks on each row.

Each `read_*` function turns one row (a dict of cells) into a typed record, or raises `RowProblems` listing every
column that is wrong, with the contract's messages. Nothing here touches the database: the codes a team may use
are handed in as `Codes`, read once for the whole import.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from monitoring.schema.bookings import (
    APPOINTMENT_COLUMNS,
    GROUP_PLACE_COLUMNS,
    AppointmentChecks,
    GroupPlaceChecks,
    read_appointment,
    read_group_place,
)
from monitoring.schema.casework import INTERVENTION_COLUMNS, REFERRAL_COLUMNS, read_intervention, read_referral
from monitoring.schema.outcomes import OUTCOME_COLUMNS, read_outcome
from monitoring.schema.workforce import (
    AWARENESS_COLUMNS,
    CONSULTATION_COLUMNS,
    TRAINING_COLUMNS,
    UNIVERSAL_COLUMNS,
    read_awareness,
    read_consultation,
    read_training,
    read_universal,
)


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: dict[str, bool]  # column -> required
    read: Callable
    key_columns: tuple[str, ...] = field(default=())
    # For a file of rows filed under referrals: the class that checks each row against its referral's Timeline.
    checks: type | None = None


FILES = (
    FileSpec("referrals.csv", REFERRAL_COLUMNS, read_referral, ("reference",)),
    FileSpec("interventions.csv", INTERVENTION_COLUMNS, read_intervention, ("reference", "intervention", "started_on")),
    FileSpec("outcomes.csv", OUTCOME_COLUMNS, read_outcome, ("reference", "instrument", "timepoint", "caregiver")),
    FileSpec("training.csv", TRAINING_COLUMNS, read_training, ("date", "session_type", "title")),
    FileSpec("consultations.csv", CONSULTATION_COLUMNS, read_consultation, ("date", "consultee_service", "sequence")),
    FileSpec("awareness.csv", AWARENESS_COLUMNS, read_awareness, ("date", "title")),
    FileSpec("universal.csv", UNIVERSAL_COLUMNS, read_universal, ("date", "offer")),
    FileSpec("appointments.csv", APPOINTMENT_COLUMNS, read_appointment, ("reference", "starts_at"), AppointmentChecks),
    FileSpec(
        "group_places.csv",
        GROUP_PLACE_COLUMNS,
        read_group_place,
        ("reference", "intervention", "programme_starts_on"),
        GroupPlaceChecks,
    ),
)
