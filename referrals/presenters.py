"""The record page in words: its headings, its summary rows, and which actions show (house.md, Presenters).

`ReferralRecord` reads only what `selectors.referral_record` loaded, so the page's query count stays fixed; the
template only lays out what it is given.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractUser
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import normalize_newlines

from pairs.models import Team
from pairs.rules import Perm, has_team_perm
from referrals import pipeline
from referrals.models import Appointment, Caregiver, Infant, Referral
from referrals.pipeline import EventKind, Stage, State, Status

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


@dataclass
class ReferralRecord:
    referral: Referral
    user: AbstractUser
    team: Team
    now: datetime.datetime
    state: State = field(init=False)

    def __post_init__(self):
        self.state = State(Status(self.referral.status_as_at), Stage(self.referral.stage_as_at))

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
    def moves(self) -> list[EventKind]:
        """The moves this person may make now, in the order the page offers them."""
        return pipeline.allowed_kinds(self.state, user=self.user, team=self.team)

    no_moves_text = "The referral is closed. Only a service manager can reopen it."

    @property
    def shows_audit_history(self) -> bool:
        return has_team_perm(self.user, Perm.MANAGE_TEAM, self.team)

    @property
    def can_add_caregiver(self) -> bool:
        return len(self.referral.caregivers.all()) < 2

    @property
    def can_book_appointment(self) -> bool:
        return not self.state.is_closed

    @property
    def can_add_intervention(self) -> bool:
        return self.state.stage == Stage.INTERVENTION and not self.state.is_closed

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
                SummaryRow.of("First contact", _date(referral.first_contact_on) or NOT_RECORDED),
            ],
            change_url=reverse("referrals:edit", args=[referral.pk]),
            change_what="referral details",
        )

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
            change_url=reverse("referrals:caregiver_edit", args=[self.referral.pk, caregiver.pk]),
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
            change_url=reverse("referrals:infant_edit", args=[self.referral.pk, infant.pk]),
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
            change_url=reverse("referrals:levels", args=[referral.pk]),
            change_what="safeguarding, risks, Thrive level and IMD decile",
        )

    # Tables -----------------------------------------------------------------------------------------------------

    @property
    def appointments(self) -> list[AppointmentRow]:
        return [
            AppointmentRow(
                appointment,
                ("Change outcome" if appointment.outcome else "Record outcome")
                if appointment.starts_at <= self.now
                else None,
            )
            for appointment in self.referral.appointments.all()
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


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Not assigned"
