"""Writers of appointments.csv and group_places.csv, through the booking, outcome, programme and place services.

What those services can change, an import changes: an appointment's outcome once it has happened, a family's reply
to a place. What the browser cannot change once recorded (an appointment's kind, mode or practitioner, the date of
an offer, a reply withdrawn) a corrected file cannot change either: the row is refused with the reason.
"""

import datetime
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from monitoring.schema import FILES
from monitoring.schema.bookings import AppointmentRecord, GroupPlaceRecord
from monitoring.writers.base import CREATED, UNCHANGED, UPDATED
from monitoring.writers.casework import ReferencedWriter
from pairs.models import Membership, Role
from referrals import services as referral_services
from referrals.models import Appointment, GroupPlace, GroupProgramme, Intervention

if TYPE_CHECKING:
    from monitoring.importer import ImportRun

# group_places.csv carries no length for a run it creates: eight weekly sessions, the usual course.
SESSIONS_OF_AN_IMPORTED_RUN = 8


def _unchangeable(column: str, recorded: str, noun: str) -> ValidationError:
    return ValidationError(
        {column: f"the {noun} is recorded with {column} {recorded or 'not recorded'}: an import does not change it"}
    )


class AppointmentWriter(ReferencedWriter):
    def __init__(self, run: "ImportRun"):
        super().__init__(run)
        members = Membership.objects.filter(
            team=self.team, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]
        ).select_related("user")
        self.practitioners = {member.user.get_username(): member.user for member in members}

    def load(self, records: list[AppointmentRecord]) -> None:
        self.referrals = self.referrals_of(records)
        self.existing = defaultdict(list)
        recorded = Appointment.objects.filter(
            referral__in=self.referrals.values(), starts_at__in={record.starts_at for record in records if record}
        ).select_related("referral", "practitioner")
        for appointment in recorded:
            self.existing[(appointment.referral.reference, appointment.starts_at)].append(appointment)

    def write(self, record: AppointmentRecord) -> str:
        recorded = self.existing[record.key]
        if len(recorded) > 1:
            raise ValidationError(
                {"starts_at": f"{len(recorded)} appointments are recorded at this time: the import cannot tell which"}
            )
        if not recorded:
            appointment = referral_services.appointment_book(
                referral=self.referrals[record.reference],
                actor=self.actor,
                practitioner=self.practitioners[record.practitioner] if record.practitioner else self.actor,
                starts_at=record.starts_at,
                kind=record.kind,
                mode=record.mode,
            )
            if record.outcome:
                appointment = self._record_outcome(appointment, record.outcome)
            self.existing[record.key] = [appointment]
            return CREATED
        [appointment] = recorded
        for column, given, held in (
            ("kind", record.kind, appointment.kind),
            ("mode", record.mode, appointment.mode),
            ("practitioner", record.practitioner, appointment.practitioner.get_username()),
        ):
            # A blank mode or practitioner is not recorded in the file: the appointment keeps its own.
            if given and given != held:
                raise _unchangeable(column, held, "appointment")
        if not record.outcome or record.outcome == appointment.outcome:
            return UNCHANGED
        self.existing[record.key] = [self._record_outcome(appointment, record.outcome)]
        return UPDATED

    def _record_outcome(self, appointment: Appointment, outcome: str) -> Appointment:
        """The outcome, through the service that starts an assessment on the first attended assessment appointment;
        its refusals (a pipeline move the referral's history does not allow) are the row's outcome's."""
        try:
            return referral_services.appointment_record_outcome(
                appointment=appointment, actor=self.actor, outcome=outcome, expected_version=appointment.version
            )
        except ValidationError as refused:
            raise ValidationError({"outcome": refused.messages}) from None


class GroupPlaceWriter(ReferencedWriter):
    def __init__(self, run: "ImportRun"):
        super().__init__(run)
        self.interventions = {i.code: i for i in Intervention.objects.filter(format=Intervention.Format.GROUP)}
        spec = next(spec for spec in FILES if spec.name == "group_places.csv")
        # The places the file offers on each run: the size of a run the import creates.
        self.places_named = Counter(record.run for _, _, record, _ in run.records(spec) if record is not None)
        self.programmes: dict[tuple, list[GroupProgramme]] = {}

    def load(self, records: list[GroupPlaceRecord]) -> None:
        self.referrals = self.referrals_of(records)
        runs = {record.run for record in records if record is not None} - self.programmes.keys()
        for run in runs:
            self.programmes[run] = []
        for programme in (
            GroupProgramme.objects.in_team(self.team)
            .filter(
                starts_on__in={starts_on for _, starts_on in runs}, intervention__code__in={code for code, _ in runs}
            )
            .select_related("intervention")
        ):
            if (run := (programme.intervention.code, programme.starts_on)) in runs:
                self.programmes[run].append(programme)
        self.existing = {
            (place.referral.reference, place.programme_id): place
            for place in GroupPlace.objects.filter(referral__in=self.referrals.values()).select_related("referral")
        }

    def write(self, record: GroupPlaceRecord) -> str:
        referral = self.referrals[record.reference]
        programme = self._programme(record)
        place = self.existing.get((record.reference, programme.pk))
        if place is None:
            place = referral_services.group_place_offer(
                programme=programme,
                referral=referral,
                actor=self.actor,
                offered_on=record.offered_on,
                waiting_since=self._waiting_since(referral, record.offered_on),
            )
            if record.status != GroupPlace.Status.OFFERED:
                place = self._respond(place, record)
            self.existing[(record.reference, programme.pk)] = place
            return CREATED
        if place.offered_on != record.offered_on:
            raise _unchangeable("offered_on", place.offered_on.isoformat(), "place")
        if (place.status, place.responded_on) == (record.status, record.responded_on):
            return UNCHANGED
        if record.status == GroupPlace.Status.OFFERED:
            reply = f"{place.status} on {place.responded_on}"
            raise ValidationError({"status": f"the place is recorded as {reply}: an import does not withdraw a reply"})
        self.existing[(record.reference, programme.pk)] = self._respond(place, record)
        return UPDATED

    def _respond(self, place: GroupPlace, record: GroupPlaceRecord) -> GroupPlace:
        return referral_services.group_place_respond(
            place=place,
            actor=self.actor,
            status=record.status,
            responded_on=record.responded_on,
            expected_version=place.version,
        )

    def _waiting_since(self, referral, offered_on: datetime.date) -> datetime.date:
        """A family waits for a place from its acceptance, when it was accepted by the offer."""
        accepted = referral.accepted_on
        return accepted if accepted is not None and accepted <= offered_on else referral.received_on

    def _programme(self, record: GroupPlaceRecord) -> GroupProgramme:
        """The run the row names, created when new."""
        runs = self.programmes[record.run]
        title = record.programme_title
        titled = [programme for programme in runs if programme.title == title]
        if len(titled) == 1 or (len(runs) == 1 and not title):
            return (titled or runs)[0]
        if len(runs) > 1:
            titles = ", ".join(repr(programme.title) for programme in runs)
            raise ValidationError(
                {"programme_title": f"{len(runs)} runs start that day ({titles}): give the title of one of them"}
            )
        if runs:
            raise _unchangeable("programme_title", repr(runs[0].title), "run")
        intervention, starts_on = record.run
        programme = referral_services.group_programme_create(
            team=self.team,
            actor=self.actor,
            intervention=self.interventions[intervention],
            title=title or f"Starting {starts_on:%-d %B %Y}",
            starts_on=starts_on,
            places_offered=self.places_named[record.run],
            sessions_planned=SESSIONS_OF_AN_IMPORTED_RUN,
        )
        runs.append(programme)
        return programme
