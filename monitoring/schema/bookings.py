"""appointments.csv and group_places.csv: a family's appointments and its places on runs of a group programme.

Each row is read on its own (`read_*`), then checked against its referral's own dates (`*Checks`, given the
referral's `Timeline`), so that an import cannot say what the browser could not have recorded: an appointment
before the referral or after it closed, an attended assessment appointment before the decision, a place offered
to a referral that was not open.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from monitoring import cells
from monitoring.schema.rows import Codes, Row
from monitoring.schema.timeline import WAITING_FOR_ASSESSMENT, Timeline
from referrals.pipeline import Status

APPOINTMENT_KINDS = {"assessment", "intervention", "review", "other"}
APPOINTMENT_MODES = {"home", "clinic", "family_hub", "telephone", "video"}
APPOINTMENT_OUTCOMES = {"attended", "did_not_attend", "cancelled_by_family", "cancelled_by_service"}
PLACE_STATUSES = {"offered", "taken_up", "declined"}


# appointments.csv ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentRecord:
    reference: str
    starts_at: datetime.datetime
    kind: str
    mode: str  # "" when not recorded
    outcome: str  # "" until it has happened
    practitioner: str | None  # a username; None for the importing user (or, when recorded, as recorded)

    @property
    def key(self):
        return (self.reference, self.starts_at)


APPOINTMENT_COLUMNS = {
    "reference": True,
    "starts_at": True,
    "kind": True,
    "mode": False,
    "outcome": False,
    "practitioner": False,
}


def import_moment(today: datetime.date) -> datetime.datetime:
    """The moment after which an appointment is in the future: now, or the end of `today` for an import as at a
    past day."""
    end_of_today = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
    return min(timezone.now(), end_of_today)


def read_appointment(values, *, codes: Codes, today: datetime.date) -> AppointmentRecord:
    row = Row(values, today)
    reference = row.get("reference", cells.text, required=True)
    starts_at = row.get("starts_at", cells.moment, required=True)
    kind = row.get("kind", cells.code, required=True, allowed=APPOINTMENT_KINDS)
    mode = row.get("mode", cells.code, allowed=APPOINTMENT_MODES)
    outcome = row.get("outcome", cells.code, allowed=APPOINTMENT_OUTCOMES)
    practitioner = row.get("practitioner", cells.text)
    if outcome and starts_at and starts_at > import_moment(today):
        row.problem("outcome", "an appointment in the future cannot have an outcome yet")
    if practitioner is None:
        if codes.importing_user not in codes.practitioners:
            row.problem(
                "practitioner",
                f"is blank, so the appointment would be the importing user's ({codes.importing_user}), who is not "
                "a practitioner or service manager of this team",
            )
    elif practitioner not in codes.practitioners:
        row.problem("practitioner", f"{practitioner!r} is not a practitioner or service manager of this team")
    row.done()
    return AppointmentRecord(reference, starts_at, kind, mode or "", outcome or "", practitioner)


class AppointmentChecks:
    """An appointment against its referral's dates, as the booking and outcome services would judge it."""

    def check(self, record: AppointmentRecord, row_number: int, timeline: Timeline) -> list[tuple[str, str]]:
        day = timezone.localtime(record.starts_at).date()
        if day < timeline.received_on:
            return [("starts_at", f"is before the referral was received, on {timeline.received_on.isoformat()}")]
        if not timeline.open_on(day):
            ended = timeline.on(day)[1]
            status = ended.status.label.lower() if ended else "not yet received"
            return [
                ("starts_at", f"the referral was {status} on {day.isoformat()}: appointments are for open referrals")
            ]
        if record.outcome != "attended" or record.kind != "assessment":
            return []
        if not timeline.accepted_by(day):
            ended = timeline.on(day)[1]
            not_accepted = ended is not None and ended.status == Status.NOT_ACCEPTED
            return [
                (
                    "outcome",
                    "an attended assessment appointment for a referral that was not accepted"
                    if not_accepted
                    else f"an attended assessment appointment before the decision (the referral was awaiting a "
                    f"decision on {day.isoformat()})",
                )
            ]
        if timeline.from_file and timeline.current == WAITING_FOR_ASSESSMENT:
            # The outcome service would start the assessment on this day, and referrals.csv says it has not started.
            return [
                (
                    "outcome",
                    f"an attended assessment appointment starts the assessment, but referrals.csv gives "
                    f"{record.reference} no assessment_started_on (on {day.isoformat()} at the latest)",
                )
            ]
        return []


# group_places.csv ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupPlaceRecord:
    reference: str
    intervention: str
    programme_starts_on: datetime.date
    programme_title: str  # "" when not recorded
    offered_on: datetime.date
    status: str
    responded_on: datetime.date | None

    @property
    def key(self):
        return (self.reference, self.intervention, self.programme_starts_on)

    @property
    def run(self) -> tuple[str, datetime.date]:
        return (self.intervention, self.programme_starts_on)


GROUP_PLACE_COLUMNS = {
    "reference": True,
    "intervention": True,
    "programme_starts_on": True,
    "programme_title": False,
    "offered_on": True,
    "status": True,
    "responded_on": False,
}


def read_group_place(values, *, codes: Codes, today: datetime.date) -> GroupPlaceRecord:
    row = Row(values, today)
    reference = row.get("reference", cells.text, required=True)
    intervention = row.get("intervention", cells.code, required=True, allowed=codes.group_interventions)
    starts_on = row.date("programme_starts_on", required=True, future=True)
    title = row.get("programme_title", cells.text)
    offered_on = row.date("offered_on", required=True)
    status = row.get("status", cells.code, required=True, allowed=PLACE_STATUSES)
    responded_on = row.date("responded_on", required=status in ("taken_up", "declined"))
    if status == "offered" and row.values.get("responded_on") is not None:
        row.problem("responded_on", "must be empty while the place is offered")
    if offered_on and responded_on and responded_on < offered_on:
        row.problem("responded_on", "is before offered_on")
    row.done()
    return GroupPlaceRecord(reference, intervention, starts_on, title or "", offered_on, status, responded_on)


class GroupPlaceChecks:
    """A place against its referral's pathway and dates, and each run named with one title throughout the file."""

    def __init__(self):
        self.titles: dict[tuple, tuple[str, int]] = {}  # run: its title and the row that gave it

    def check(self, record: GroupPlaceRecord, row_number: int, timeline: Timeline) -> list[tuple[str, str]]:
        problems = []
        if record.programme_title:
            title, first_row = self.titles.setdefault(record.run, (record.programme_title, row_number))
            if title != record.programme_title:
                problems.append(("programme_title", f"the same run is titled {title!r} on row {first_row}"))
        if timeline.pathway != "group":
            problems.append(("reference", f"{record.reference} is on the {timeline.pathway} pathway, not group"))
        elif not timeline.takes_places_on(record.offered_on):
            ended = timeline.on(record.offered_on)[1]
            status = ended.status.label.lower() if ended else "not yet received"
            problems.append(
                (
                    "offered_on",
                    f"the referral was {status} on {record.offered_on.isoformat()}: places are offered to accepted "
                    "referrals that are still open",
                )
            )
        return problems
