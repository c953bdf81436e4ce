"""One referral's life story: its records, the dates of its events, the family and the infant."""

import datetime
import random
from dataclasses import dataclass, field

from demo.files.codes import (
    AT_REFERRAL,
    COMPLEXITIES,
    DISENGAGED_AT_ASSESSMENT,
    DISENGAGED_AT_REFERRAL,
    DISENGAGED_DURING_INTERVENTION,
    GROUP,
    IN_ASSESSMENT,
    IN_INTERVENTION,
    INDIVIDUAL,
    NOT_ACCEPTED,
    ON_HOLD,
)
from demo.files.distributions import (
    CAREGIVER_ROLE_WEIGHTS,
    COMPLEXITY_COUNT_WEIGHTS,
    COMPLEXITY_WEIGHTS,
    IMD_DECILE_WEIGHTS,
    LATER_ETHNICITY_WEIGHTS,
    POSTCODE_INWARD_LETTERS,
    REASON_WEIGHTS,
    REFERRER_WEIGHTS,
    SAFEGUARDING_WEIGHTS,
)
from demo.files.draws import DAY, pick, pick_several, working_day
from demo.files.published import INFANT_AGE_DAYS


@dataclass
class Episode:
    intervention: str
    started_on: datetime.date
    ended_on: datetime.date
    sessions: int


@dataclass
class Questionnaire:
    instrument: str
    timepoint: str
    completed_on: datetime.date
    caregiver: int = 1
    items: dict[int, int] | None = None
    total: int | None = None  # historical PHQ-9 kept without its items
    goals: list[int] | None = None


@dataclass
class Story:
    """One referral's whole history as planned, including what happens after `today`."""

    pathway: str
    fate: str  # the status the referral ends with
    received_on: datetime.date
    decision_on: datetime.date
    closed_on: datetime.date  # when it reaches `fate` (for not_accepted, the decision date)
    first_contact_on: datetime.date | None = None
    assessment_started_on: datetime.date | None = None
    intervention_started_on: datetime.date | None = None
    reason: str = ""
    referrer_service: str = ""
    caregiver_role: str = "mother"
    caregiver_birth_year: int | None = None
    ethnicity: str = ""
    postcode: str = ""
    imd_decile: int | None = None
    antenatal: bool = False
    infant_date_of_birth: datetime.date | None = None
    safeguarding_level: int | None = None
    risk_count: int | None = None
    complexities: list[str] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    questionnaires: list[Questionnaire] = field(default_factory=list)
    reference: str = ""

    @property
    def accepted(self) -> bool:
        return self.fate != NOT_ACCEPTED


def offsets(rng: random.Random, pathway: str, fate: str, hold_stage: str = AT_REFERRAL) -> dict[str, int]:
    """Days from receipt to each event the referral reaches: decision, first contact, assessment, intervention, close.

    Consecutive events are at least 3 days apart, so a stage always spans a working day.
    """
    group = pathway == GROUP
    days = {"decision": rng.randint(0, 10 if group else 21)}
    if fate == NOT_ACCEPTED:
        days["closed"] = days["decision"]
        return days
    # A family who disengaged at referral was sometimes never reached at all.
    if fate != DISENGAGED_AT_REFERRAL or rng.random() < 0.5:
        days["first_contact"] = days["decision"] + rng.randint(3, 18)
    if fate == DISENGAGED_AT_REFERRAL or (fate == ON_HOLD and hold_stage == AT_REFERRAL):
        days["closed"] = days.get("first_contact", days["decision"]) + rng.randint(7, 50)
        return days
    days["assessment"] = days["first_contact"] + rng.randint(3, 10 if group else 21)
    if fate == DISENGAGED_AT_ASSESSMENT or (fate == ON_HOLD and hold_stage == IN_ASSESSMENT):
        days["closed"] = days["assessment"] + rng.randint(7, 56)
        return days
    # Group families wait for the next run of their group; individual assessment takes a few sessions.
    days["intervention"] = days["assessment"] + (rng.randint(7, 70) if group else rng.randint(21, 63))
    if fate == DISENGAGED_DURING_INTERVENTION:
        days["closed"] = days["intervention"] + rng.randint(21, 100)
    elif fate == ON_HOLD:
        days["closed"] = days["intervention"] + rng.randint(7, 40)
    else:
        days["closed"] = days["intervention"] + (rng.randint(56, 98) if group else rng.randint(84, 210))
    return days


def new_story(rng: random.Random, pathway: str, fate: str, received_on: datetime.date, days: dict[str, int]) -> Story:
    def on(event: str) -> datetime.date | None:
        return working_day(received_on + DAY * days[event]) if event in days else None

    story = Story(
        pathway=pathway,
        fate=fate,
        received_on=received_on,
        decision_on=on("decision"),
        closed_on=on("closed"),
        first_contact_on=on("first_contact"),
        assessment_started_on=on("assessment"),
        intervention_started_on=on("intervention"),
    )
    reasons = REASON_WEIGHTS.get((pathway, fate)) or REASON_WEIGHTS.get(fate)
    if fate == DISENGAGED_AT_REFERRAL and story.first_contact_on is None:  # never reached
        story.reason = "unable_to_contact"
    elif reasons:
        story.reason = pick(rng, reasons)
    return story


def stage_events(days: dict[str, int], stage: str) -> tuple[str, str]:
    """The event that opens `stage` and the one that ends it."""
    order = [event for event in ("decision", "assessment", "intervention", "closed") if event in days]
    opening = {AT_REFERRAL: "decision", IN_ASSESSMENT: "assessment", IN_INTERVENTION: "intervention"}[stage]
    return opening, order[order.index(opening) + 1]


def draw_family(rng: random.Random, story: Story, *, ethnicity: str | None = None) -> None:
    """The family's details at referral, drawn from Blackpool-like distributions."""
    story.referrer_service = pick(rng, REFERRER_WEIGHTS[story.pathway])
    story.caregiver_role = "mother" if story.antenatal else pick(rng, CAREGIVER_ROLE_WEIGHTS)
    age = round(rng.triangular(17, 45, 27))
    story.caregiver_birth_year = story.received_on.year - age
    story.ethnicity = ethnicity or pick(rng, LATER_ETHNICITY_WEIGHTS)
    if rng.random() < 0.97:  # a few referrals arrive without an address
        story.postcode = (
            f"FY{rng.randint(1, 4)} {rng.randint(1, 9)}"
            f"{rng.choice(POSTCODE_INWARD_LETTERS)}{rng.choice(POSTCODE_INWARD_LETTERS)}"
        )
        story.imd_decile = pick(rng, IMD_DECILE_WEIGHTS)
    if story.accepted:  # recorded at acceptance
        story.safeguarding_level = pick(rng, SAFEGUARDING_WEIGHTS)
        if story.pathway == INDIVIDUAL:  # the risks checklist is not used for group work
            story.risk_count = min(14, max(0, round(rng.gauss(5, 2.5))))
    complexities = pick_several(rng, COMPLEXITY_WEIGHTS, pick(rng, COMPLEXITY_COUNT_WEIGHTS))
    story.complexities = sorted(complexities, key=COMPLEXITIES.index)


def draw_infant(rng: random.Random, story: Story, age_days: int | None = None) -> None:
    """Born some weeks or months after an antenatal referral; otherwise `age_days` old at referral."""
    if story.antenatal:
        story.infant_date_of_birth = story.received_on + DAY * rng.randint(14, 200)
        return
    if age_days is None:
        low, high = INFANT_AGE_DAYS[story.pathway]
        age_days = round(rng.triangular(low, high, 120 if story.pathway == INDIVIDUAL else 1400))
    story.infant_date_of_birth = story.received_on - DAY * age_days
