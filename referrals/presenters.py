"""The record page in words: its headings, its summary rows, and which actions show (house.md, Presenters).

`ReferralRecord` reads only what `selectors.referral_record` loaded, so the page's query count stays fixed; the
template only lays out what it is given.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractUser
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import normalize_newlines

from pairs.models import Team
from pairs.rules import Perm, has_team_perm
from referrals import pipeline
from referrals.models import Appointment, AppointmentChange, Caregiver, Infant, Referral
from referrals.pipeline import EventKind, Stage, State, Status
from referrals.selectors.clocks import LONG_HOLD_DAYS, WAITING_STAGES, ReferralClocks, is_long_hold
from referrals.selectors.lifecycle import active_restriction

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class SummaryRow:
    """A row of an NHS.UK summary list: its key and its value, a line each."""

    key: str
    lines: tuple[str, ...]

    @classmethod
    def of(cls, key: str, value: str, *more: str) -> "SummaryRow":
        return cls(key, (value, *more))


@dataclass(frozen=True)
class SummaryCard:
    """A card holding a summary list, with a link to change what it shows."""

    heading: str
    rows: list[SummaryRow]
    change_url: str
    # What "Change" changes, for screen readers: "Change first caregiver".
    change_what: str
    # A section of the page (h2, medium) or a part of one (h3, small).
    is_section: bool = True


@dataclass(frozen=True)
class AppointmentRow:
    appointment: Appointment
    # "Record outcome" or "Change outcome" once the appointment has started, else None.
    outcome_action: str | None
    # An appointment still ahead and not cancelled can be moved, changed or cancelled from its own page.
    is_ahead: bool


@dataclass
class ReferralRecord:
    referral: Referral
    user: AbstractUser
    team: Team
    now: datetime.datetime
    state: State = field(init=False)
    clocks: ReferralClocks = field(init=False)

    def __post_init__(self):
        self.state = State(Status(self.referral.status_as_at), Stage(self.referral.stage_as_at))
        self.clocks = ReferralClocks.of(self.referral)

    @property
    def title(self) -> str:
        """The reference and, when recorded, the first caregiver's name: "REF-000001: Amy Bell"."""
        first = next(iter(self.referral.caregivers.all()), None)
        return f"{self.referral.reference}: {first.name}" if first and first.name else self.referral.reference

    @property
    def stage_note(self) -> str:
        """Where an open referral stands, after its status: " at the assessment stage"."""
        if self.state.status in pipeline.STAGED_STATUSES:
            return f" at the {self.state.stage.label.lower()} stage"
        return ""

    # Actions ----------------------------------------------------------------------------------------------------

    @property
    def is_writable(self) -> bool:
        """False while a restriction is in force: the record is read, nothing offered that the save would refuse
        (`referrals.services.lifecycle`). The restriction is the one the page's notice reads: no query of its own."""
        return active_restriction(self.referral) is None

    @property
    def moves(self) -> list[EventKind]:
        """The moves this person may make now, in the order the page offers them."""
        if not self.is_writable:
            return []
        return pipeline.allowed_kinds(self.state, user=self.user, team=self.team)

    @property
    def no_moves_text(self) -> str:
        if not self.is_writable:
            return "None while the records are restricted."
        return "The referral is closed. Only a service manager can reopen it."

    @property
    def shows_audit_history(self) -> bool:
        return has_team_perm(self.user, Perm.MANAGE_TEAM, self.team)

    @property
    def can_add_caregiver(self) -> bool:
        return self.is_writable and len(self.referral.caregivers.all()) < 2

    @property
    def can_book_appointment(self) -> bool:
        return self.is_writable and not self.state.is_closed

    @property
    def can_add_intervention(self) -> bool:
        return self.is_writable and self.state.stage == Stage.INTERVENTION and not self.state.is_closed

    def _change_url(self, name: str, *args) -> str:
        """A card's "Change" link, or none while the records are restricted."""
        return reverse(name, args=[self.referral.pk, *args]) if self.is_writable else ""

    # Cards ------------------------------------------------------------------------------------------------------

    @property
    def referral_card(self) -> SummaryCard:
        referral = self.referral
        complexities = [str(complexity) for complexity in referral.complexities.all()] or ["None recorded"]
        return SummaryCard(
            heading="Referral",
            rows=[
                SummaryRow.of("Received", _date(referral.received_on)),
                SummaryRow.of("Referred by", str(referral.referrer_service)),
                SummaryRow.of("Pathway", referral.get_pathway_display()),
                SummaryRow("Reason for referral", _lines(referral.reason or NOT_RECORDED)),
                SummaryRow("Complexities", tuple(complexities)),
                SummaryRow.of("Consent to share information", _yes_no(referral.consent_to_share, NOT_RECORDED)),
                SummaryRow.of("Antenatal", _yes_no(referral.is_antenatal)),
                SummaryRow.of("Practitioner", _person(referral.assigned_practitioner)),
                SummaryRow.of("First contact", self.first_contact_text),
            ],
            change_url=self._change_url("referrals:edit"),
            change_what="referral details",
        )

    # Clocks (kpis.md): the dates are annotated by `selectors.referral_record` with the KPI engine's own definition.

    @property
    def first_contact_text(self) -> str:
        """The first contact as the timeliness KPI counts it: a recorded one or the first attended appointment."""
        reached = self.clocks.first_contact
        if reached is None:
            return NOT_RECORDED
        how = "recorded" if reached == self.referral.first_contact_on else "first attended appointment"
        return f"{_date(reached)} ({how})"

    def _clock(self, key: str, reached: datetime.date | None, *, running: str, detail: str = "") -> SummaryRow:
        received = self.referral.received_on
        if reached is not None:
            return SummaryRow.of(key, f"{_days((reached - received).days)}, on {_date(reached)}{detail}")
        if self.state.is_closed:
            return SummaryRow.of(key, "Not reached before the referral closed")
        return SummaryRow.of(key, f"{running}: {_days((self.today - received).days)} since the referral so far")

    @property
    def today(self) -> datetime.date:
        return timezone.localtime(self.now).date()

    @property
    def current_wait(self) -> SummaryRow | None:
        """How long the family has waited in its current stage (kpis.md, Waiting at the period's end)."""
        began, stage = self.clocks.stage_began_on, self.clocks.waiting_stage
        if began is None or stage is None:
            return None
        days = (self.today - began).days
        lines = [f"{WAITING_STAGES[stage]} for {_days(days)}, since {_date(began)}"]
        if self.is_long_hold:
            lines.append(f"A long hold: more than {LONG_HOLD_DAYS // 7} weeks.")
        return SummaryRow("Current stage", tuple(lines))

    @property
    def is_long_hold(self) -> bool:
        return is_long_hold(self.clocks, self.today)

    @property
    def clocks_card(self) -> SummaryCard:
        return SummaryCard(heading="Waiting times", rows=self.clock_rows, change_url="", change_what="")

    @property
    def clock_rows(self) -> list[SummaryRow]:
        referral = self.referral
        target = self.team.first_contact_target_days
        clocks = self.clocks
        contact = clocks.first_contact
        within = ""
        if contact is not None:
            met = (contact - referral.received_on).days <= target
            within = f" ({'within' if met else 'outside'} the team's {target}-day target)"
        rows = [
            self._clock("Referral to decision", clocks.decided_on, running="Awaiting a decision"),
            self._clock("Referral to first contact", contact, running="No contact yet", detail=within),
            self._clock("Referral to assessment", clocks.assessment_on, running="Assessment not started"),
            self._clock("Referral to intervention", clocks.intervention_on, running="Intervention not started"),
        ]
        wait = self.current_wait
        return [*rows, wait] if wait else rows

    @property
    def family_cards(self) -> list[SummaryCard]:
        infants = list(self.referral.infants.all())
        return [self._caregiver_card(caregiver) for caregiver in self.referral.caregivers.all()] + [
            self._infant_card(infant, number, len(infants)) for number, infant in enumerate(infants, start=1)
        ]

    def _caregiver_card(self, caregiver: Caregiver) -> SummaryCard:
        which = "first" if caregiver.position == 1 else "second"
        if caregiver.date_of_birth:
            age = age_in_years(caregiver.date_of_birth, self.referral.received_on)
            born = f"{_date(caregiver.date_of_birth)} (aged {age} at referral)"
        elif caregiver.birth_year:
            born = f"Born in {caregiver.birth_year}"
        else:
            born = NOT_RECORDED
        return SummaryCard(
            heading=f"{which.capitalize()} caregiver",
            rows=[
                SummaryRow.of("Name", caregiver.name or NOT_RECORDED),
                SummaryRow.of("Relationship", caregiver.get_role_display()),
                SummaryRow.of("Date of birth", born),
                SummaryRow.of("Ethnic group", caregiver.get_ethnicity_display() or NOT_RECORDED),
                SummaryRow.of("Postcode", caregiver.postcode or NOT_RECORDED),
                SummaryRow.of("NHS number", caregiver.nhs_number_display or NOT_RECORDED),
            ],
            change_url=self._change_url("referrals:caregiver_edit", caregiver.pk),
            change_what=f"{which} caregiver",
            is_section=False,
        )

    def _infant_card(self, infant: Infant, number: int, of: int) -> SummaryCard:
        rows = [SummaryRow.of("Name", infant.name or NOT_RECORDED)]
        if infant.date_of_birth:
            born = _date(infant.date_of_birth)
            months = age_in_months(infant.date_of_birth, self.referral.received_on)
            if months is not None:
                born += f" ({months} month{'' if months == 1 else 's'} old at referral)"
            rows.append(SummaryRow.of("Date of birth", born))
        if infant.due_date:
            rows.append(SummaryRow.of("Due date", _date(infant.due_date)))
        return SummaryCard(
            heading=f"Infant {number}" if of > 1 else "Infant",
            rows=rows,
            change_url=self._change_url("referrals:infant_edit", infant.pk),
            change_what=f"infant {number}",
            is_section=False,
        )

    @property
    def levels_card(self) -> SummaryCard:
        referral = self.referral
        decile = str(referral.imd_decile) if referral.imd_decile else NOT_RECORDED
        return SummaryCard(
            heading="Safeguarding, risks and need",
            rows=[
                SummaryRow.of("Safeguarding level", referral.get_safeguarding_level_display() or NOT_RECORDED),
                SummaryRow.of("Risks", NOT_RECORDED if referral.risk_count is None else str(referral.risk_count)),
                SummaryRow.of("Thrive level", str(referral.thrive_level) if referral.thrive_level else NOT_RECORDED),
                SummaryRow.of("IMD decile", decile + (" (from the postcode)" if referral.imd_from_postcode else "")),
            ],
            change_url=self._change_url("referrals:levels"),
            change_what="safeguarding, risks, Thrive level and IMD decile",
        )

    # Tables -----------------------------------------------------------------------------------------------------

    @property
    def appointments(self) -> list[AppointmentRow]:
        """Each appointment with what can be done to it; while the records are restricted, its history only."""
        writable = self.is_writable
        return [
            AppointmentRow(
                appointment,
                ("Change outcome" if appointment.outcome else "Record outcome")
                if writable and appointment.starts_at <= self.now
                else None,
                is_ahead=writable and appointment.starts_at > self.now and not appointment.outcome,
            )
            for appointment in self.referral.appointments.all()
        ]


@dataclass(frozen=True)
class AppointmentChangeRow:
    change: AppointmentChange
    who: str
    # "Date and time: from Tuesday 3 March 2026, 10:00 to Thursday 5 March 2026, 14:30"
    lines: tuple[str, ...]


@dataclass
class AppointmentRecord:
    """An appointment's own page: its details, what can be done with it now, and the history of its changes."""

    appointment: Appointment
    now: datetime.datetime

    @property
    def title(self) -> str:
        starts = timezone.localtime(self.appointment.starts_at)
        return f"{self.appointment.get_kind_display()} appointment on {date_format(starts, 'l j F Y, H:i')}"

    @property
    def is_ahead(self) -> bool:
        return self.appointment.starts_at > self.now and not self.appointment.outcome

    @property
    def outcome_action(self) -> str | None:
        if self.appointment.starts_at > self.now:
            return None
        return "Change outcome" if self.appointment.outcome else "Record outcome"

    @property
    def rows(self) -> list[SummaryRow]:
        appointment = self.appointment
        return [
            SummaryRow.of("Date and time", date_format(timezone.localtime(appointment.starts_at), "l j F Y, H:i")),
            SummaryRow.of("Type", appointment.get_kind_display()),
            SummaryRow.of("Where", appointment.get_mode_display() or NOT_RECORDED),
            SummaryRow.of("Practitioner", _person(appointment.practitioner)),
            SummaryRow.of("Outcome", appointment.get_outcome_display() or "Not yet recorded"),
            SummaryRow.of("Booked by", _person(appointment.booked_by)),
        ]

    @property
    def history(self) -> list[AppointmentChangeRow]:
        """The changes, newest first, each detail from what to what in the words the diary showed then."""
        fields = {field.name: str(field.verbose_name) for field in Appointment._meta.fields}
        return [
            AppointmentChangeRow(
                change,
                _person(change.changed_by),
                tuple(
                    f"{fields.get(item['field'], item['field']).capitalize()}: from {item['before']} to {item['after']}"
                    for item in change.changes
                ),
            )
            for change in sorted(self.appointment.changes.all(), key=lambda c: (c.changed_at, c.pk), reverse=True)
        ]


def age_in_years(born: datetime.date, on: datetime.date) -> int:
    """Whole years from `born` to `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_in_months(born: datetime.date, on: datetime.date) -> int | None:
    """Whole months from `born` to `on`, None when `born` is after `on` (a baby born after the referral)."""
    if born > on:
        return None
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(normalize_newlines(text).split("\n"))


def _date(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else ""


def _yes_no(value: bool | None, unknown: str = "No") -> str:
    if value is None:
        return unknown
    return "Yes" if value else "No"


def _days(days: int) -> str:
    return f"{days:,} day{'' if days == 1 else 's'}"


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Not assigned"
