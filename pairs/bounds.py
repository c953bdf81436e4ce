"""The plausible bounds of what the app records, decided once: every model validates against these, so the forms,
the services, the monitoring import and the demo all obey them.

Why these values:
- Records date from 1 January 1990. The first UK parent-infant relationship services began in the late 1990s
  (domain.md: about 46 teams today); nothing a team records can be older, and 1990 leaves room for a service
  whose history is entered late. Later than this, and the period arithmetic of `pairs.periods` is always safe.
- Dates of birth from 1 January 1900, so that the age checks below decide the rest with their own message.
- Nothing is planned more than two years ahead: appointments and group programmes are booked for the months to
  come, and a service is set up before it starts, but not years before.
- A caregiver is 10 to 85 at referral: parents are rarely younger than 12, and caregivers include the
  grandparents and kinship carers of the `other` role (domain.md), who may be in their seventies or eighties.
- An infant is under 5 at referral (the service works from pregnancy to the second birthday, its group work up to
  the fifth), and is born at most 10 months after an antenatal referral (data-contract.md: a baby born later is
  an error).
- Counts of people (participants, people engaged, dyads) are at most 10,000 a record: a team's yearly training
  target is 240 participants, so 10,000 in one session is a typing slip, and 2**63 - 1 can never reach the
  database.
- A group has at most 100 places and 100 sessions; a family attends at most 300 sessions of an intervention
  (weekly for five years).
- Free text is at most 5,000 characters (about two pages), enough for any note a practitioner writes.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from pairs.periods import EARLIEST_PERIOD_DATE, format_date

EARLIEST_RECORD_DATE = EARLIEST_PERIOD_DATE
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
PLANNING_HORIZON = datetime.timedelta(days=2 * 365)
CAREGIVER_AGE_AT_REFERRAL = (10, 85)
INFANT_AGE_LIMIT_YEARS = 5
INFANT_BORN_AFTER_REFERRAL_DAYS = 305  # 10 months
MAX_PEOPLE_COUNTED = 10_000
MAX_GROUP_SIZE = 100  # places on a group programme, and its sessions
MAX_SESSIONS_ATTENDED = 300  # weekly for five years: the longest an intervention can run
MAX_TEXT_LENGTH = 5_000

record_date = MinValueValidator(
    EARLIEST_RECORD_DATE, message=f"Enter a date from {format_date(EARLIEST_RECORD_DATE)} onwards"
)
birth_date = MinValueValidator(
    EARLIEST_BIRTH_DATE, message=f"Enter a date of birth from {format_date(EARLIEST_BIRTH_DATE)} onwards"
)
people_counted = MaxValueValidator(MAX_PEOPLE_COUNTED, message=f"Enter a number no more than {MAX_PEOPLE_COUNTED:,}")
group_size = MaxValueValidator(MAX_GROUP_SIZE, message=f"Enter a number no more than {MAX_GROUP_SIZE}")
session_count = MaxValueValidator(MAX_SESSIONS_ATTENDED, message=f"Enter a number no more than {MAX_SESSIONS_ATTENDED}")
text_length = MaxLengthValidator(
    MAX_TEXT_LENGTH, message=f"Enter at most {MAX_TEXT_LENGTH:,} characters (this has %(show_value)d)"
)


@deconstructible
class WithinPlanningHorizon:
    """A date, or date and time, no further ahead than the planning horizon (checked against today, not a constant,
    so that the migration records no date)."""

    message = "Enter a date no more than 2 years from today"

    def __call__(self, value) -> None:
        if value is None:
            return
        day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
        if day > timezone.localdate() + PLANNING_HORIZON:
            raise ValidationError(self.message, code="beyond_planning_horizon")

    def __eq__(self, other) -> bool:
        return isinstance(other, WithinPlanningHorizon)


within_planning_horizon = WithinPlanningHorizon()


@deconstructible
class RecordDateTime:
    """A date and time from the earliest record date onwards."""

    def __call__(self, value) -> None:
        if value is not None and timezone.localtime(value).date() < EARLIEST_RECORD_DATE:
            raise ValidationError(record_date.message, code="min_value")

    def __eq__(self, other) -> bool:
        return isinstance(other, RecordDateTime)


record_datetime = RecordDateTime()


def age_in_years(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def caregiver_age_error(*, received_on: datetime.date, born: datetime.date | None, birth_year: int | None) -> str:
    """What is wrong with a caregiver's age at referral, or "" when it is plausible. With only a birth year, the age
    is plausible if some day of that year gives a plausible age."""
    youngest, oldest = CAREGIVER_AGE_AT_REFERRAL
    if born is not None:
        low = high = age_in_years(born, received_on)
    elif birth_year is not None:
        low, high = received_on.year - birth_year - 1, received_on.year - birth_year
    else:
        return ""
    if high < youngest or low > oldest:
        return (
            f"A caregiver is {youngest} to {oldest} years old at referral: check the date of birth against the date "
            f"received ({format_date(received_on)})"
        )
    return ""


def infant_age_error(*, received_on: datetime.date, born: datetime.date | None) -> str:
    """What is wrong with an infant's date of birth against the referral, or "" when it is plausible."""
    if born is None:
        return ""
    if age_in_years(born, received_on) >= INFANT_AGE_LIMIT_YEARS:
        return (
            f"The infant must be under {INFANT_AGE_LIMIT_YEARS} at referral: check the date of birth against the "
            f"date received ({format_date(received_on)})"
        )
    if (born - received_on).days > INFANT_BORN_AFTER_REFERRAL_DAYS:
        return "The infant cannot be born more than 10 months after the referral: check the date of birth"
    return ""


def due_date_error(*, received_on: datetime.date, due: datetime.date | None) -> str:
    """A due date within the infant's bounds: under 5 at referral, and at most 10 months after it."""
    if due is None:
        return ""
    if (due - received_on).days > INFANT_BORN_AFTER_REFERRAL_DAYS:
        return "The due date cannot be more than 10 months after the referral: check it against the date received"
    if age_in_years(due, received_on) >= INFANT_AGE_LIMIT_YEARS:
        return f"The due date is more than {INFANT_AGE_LIMIT_YEARS} years before the referral: check it"
    return ""
