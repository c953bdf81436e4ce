"""The demo service's monitoring files: Blackpool PaIRS as published, then carrying on to the present day.

`write_demo_files()` writes the seven CSV files of data-contract.md section 1 for the team `blackpool`, so that
`load_demo` loads the demo through the same importer as a real team's history. The files reproduce every published
figure of kpis.md ("The published figures the demo data must reproduce") for the window 2023-03-01 to 2024-05-31,
and carry on after it up to `today` with a steady trickle of referrals and workforce activity.

How it is built:

- The window cohort is built from the published tables: one life story per referral of Table 2, whose status as at
  the window end is the published one. Families still in progress at the window end are placed so that their stage
  at the window end (waiting, in assessment, in intervention) is the one chosen, and they close after it.
- Every figure that must sum to a published total (participants, people engaged, dyads, children, infant ages,
  goal ratings) is drawn at random within a plausible range and then adjusted, one unit at a time, until the sum
  is exact: no retrying until lucky.
- Each referral's life story runs past `today`; the files hold its state as at `today` (the events dated after
  `today` are not yet known), exactly as a team exporting its records that day would. So the window's figures do
  not depend on `today`, and the later ones grow with it.
- Random draws come from `random.Random` instances seeded with fixed strings: one for the window, one per month
  after it. The same `today` always gives byte-identical files, and a later `today` only adds to the earlier months.

This module is plain Python (no Django): the codes below are those of domain.md and data-contract.md.
"""

import calendar
import csv
import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

SEED = "blackpool-pairs-demo-v1"
TEAM_SLUG = "blackpool"
REFERENCE_PREFIX = "BPL"
SERVICE_STARTED_ON = datetime.date(2023, 3, 1)
WINDOW_START = datetime.date(2023, 3, 1)
WINDOW_END = datetime.date(2024, 5, 31)

DAY = datetime.timedelta(days=1)
DAYS_PER_MONTH = 365.25 / 12

# Codes (domain.md) ------------------------------------------------------------------------------------------------

INDIVIDUAL, GROUP = "individual", "group"
ACCEPTED, NOT_ACCEPTED_DECISION, PENDING = "accepted", "not_accepted", "pending"

NOT_ACCEPTED = "not_accepted"
DISENGAGED_AT_REFERRAL = "disengaged_at_referral"
DISENGAGED_AT_ASSESSMENT = "disengaged_at_assessment"
DISENGAGED_DURING_INTERVENTION = "disengaged_during_intervention"
ON_HOLD = "on_hold"
COMPLETED = "completed"
IN_PROGRESS = "in_progress"

# The stage a family had reached: where an in-progress family stands at the window end, or where a hold began.
AT_REFERRAL, IN_ASSESSMENT, IN_INTERVENTION = "referral", "assessment", "intervention"

SERVICES = (
    "health_visiting",
    "midwifery",
    "gp",
    "social_care",
    "perinatal_mental_health",
    "adult_mental_health",
    "camhs",
    "family_hub",
    "neonatal_unit",
    "paediatrics",
    "early_years_setting",
    "speech_and_language",
    "infant_feeding",
    "voluntary_sector",
    "self",
    "other",
)
COMPLEXITIES = (
    "parental_mental_health",
    "domestic_abuse",
    "perinatal_loss_or_trauma",
    "substance_misuse",
    "childrens_services_involvement",
    "care_experienced_parent",
    "parental_trauma",
    "bereavement",
    "physical_health",
    "learning_disability",
    "housing_or_poverty",
    "refugee_or_asylum",
    "neonatal_unit_stay",
    "language_barrier",
)
INDIVIDUAL_INTERVENTIONS = (
    "cft_pir",
    "psychoeducation",
    "vig",
    "vipp_sd",
    "parent_infant_psychotherapy",
    "nbo_brazelton",
    "watch_wait_wonder",
    "behavioural_activation",
    "emdr",
    "baby_states_cues",
    "engagement_period",
)
GROUP_INTERVENTIONS = ("circle_of_security", "mellow", "baby_steps", "together_time")
# Weekly sessions a family usually attends in a full course of each intervention.
COURSE_SESSIONS = {
    "cft_pir": 12,
    "psychoeducation": 6,
    "vig": 6,
    "vipp_sd": 7,
    "parent_infant_psychotherapy": 16,
    "nbo_brazelton": 3,
    "watch_wait_wonder": 12,
    "behavioural_activation": 10,
    "emdr": 10,
    "baby_states_cues": 4,
    "engagement_period": 4,
    "circle_of_security": 8,
    "mellow": 14,
    "baby_steps": 9,
    "together_time": 6,
}
# Short, preparatory pieces of work come first when a family has several interventions.
OPENING_INTERVENTIONS = ("engagement_period", "nbo_brazelton", "baby_states_cues", "psychoeducation")

# MORS-SF subscales (domain.md): warmth rises and invasion falls when the relationship improves.
MORS_WARMTH_ITEMS = (1, 3, 4, 6, 8, 11, 13)
MORS_INVASION_ITEMS = (2, 5, 7, 9, 10, 12, 14)

# The published figures (kpis.md) ------------------------------------------------------------------------------------

# Table 2: referrals received in the window, by pathway and status as at the window end.
ENGAGEMENT = (
    (INDIVIDUAL, NOT_ACCEPTED, 9),
    (INDIVIDUAL, DISENGAGED_AT_REFERRAL, 3),
    (INDIVIDUAL, DISENGAGED_AT_ASSESSMENT, 14),
    (INDIVIDUAL, DISENGAGED_DURING_INTERVENTION, 2),
    (INDIVIDUAL, COMPLETED, 17),
    (INDIVIDUAL, IN_PROGRESS, 19),
    (GROUP, NOT_ACCEPTED, 5),
    (GROUP, DISENGAGED_AT_REFERRAL, 16),
    (GROUP, DISENGAGED_DURING_INTERVENTION, 2),
    (GROUP, ON_HOLD, 4),
    (GROUP, COMPLETED, 4),
    (GROUP, IN_PROGRESS, 4),
)
# Where the families in progress at the window end stood then (the report gives only the total).
IN_PROGRESS_STAGES = (
    (INDIVIDUAL, AT_REFERRAL, 5),
    (INDIVIDUAL, IN_ASSESSMENT, 7),
    (INDIVIDUAL, IN_INTERVENTION, 7),
    (GROUP, AT_REFERRAL, 1),
    (GROUP, IN_INTERVENTION, 3),
)
# Where the group families on hold at the window end were when the hold began.
ON_HOLD_STAGES = (AT_REFERRAL, AT_REFERRAL, AT_REFERRAL, IN_ASSESSMENT)
ANTENATAL_REFERRALS = 10  # all on the individual pathway
ETHNICITY = (("white", 96), ("mixed", 1), ("asian", 1), ("not_stated", 1))
MEAN_INFANT_AGE_MONTHS = {INDIVIDUAL: 9.4, GROUP: 40.0}  # antenatal referrals excluded
INFANT_AGE_DAYS = {INDIVIDUAL: (7, 730), GROUP: (366, 1826)}  # 0 to 24 months; group work up to the fifth birthday

# The 55 intervention episodes of the 25 families who completed or disengaged during intervention.
WINDOW_EPISODES = {
    INDIVIDUAL: (
        ("cft_pir", 17),
        ("psychoeducation", 11),
        ("vig", 9),
        ("vipp_sd", 2),
        ("parent_infant_psychotherapy", 2),
        ("watch_wait_wonder", 1),
        ("nbo_brazelton", 1),
        ("baby_states_cues", 1),
        ("behavioural_activation", 1),
        ("emdr", 1),
        ("engagement_period", 1),
    ),
    GROUP: (("circle_of_security", 4), ("mellow", 2), ("baby_steps", 1), ("together_time", 1)),
}

# Outcomes of the 21 completed families: 16 with paired measures, 15 of them with GBO pairs.
PAIRED_COMPLETED = 16
GBO_PAIRS = 15
GBO_MEAN_T1 = Fraction(3)
GBO_MEAN_T2 = Fraction(97, 10)
GBO_GOALS_PER_PAIR = (3,) * 10 + (2,) * 4 + (1,)  # a two-goal row is needed to reach a mean ending in .7
PHQ9_GAD7_PAIRS = 14  # of the 16, including the one without GBO
MORS_PAIRS = 12
SECOND_CAREGIVER_PAIRS = 2  # second caregivers complete PHQ-9 and GAD-7 only
TOTALS_ONLY_PHQ9 = 3  # early PHQ-9s kept as totals, before the service recorded items

TRAINING = (  # session type, sessions, participants, participants per session (low, high), places over participants
    ("bitesize", 1, 40, (30, 60), (0, 20)),
    ("introduction", 70, 589, (4, 14), (0, 6)),
    ("imh_pir", 9, 62, (5, 10), (0, 4)),
)
AWARENESS_EVENTS, PEOPLE_ENGAGED = 12, 666
UNIVERSAL_COURSES, UNIVERSAL_DYADS = 13, 60
CONSULTATION_OUTCOMES = (("referred", 45), ("action_plan", 25), ("signposted", 24), ("advice_only", 0))
CONSULTATION_SERVICES = (
    ("health_visiting", 49),
    ("social_care", 20),
    ("midwifery", 3),
    ("family_hub", 3),
    ("perinatal_mental_health", 2),
    ("gp", 2),
    ("early_years_setting", 2),
    ("camhs", 2),
    ("adult_mental_health", 2),
    ("paediatrics", 2),
    ("infant_feeding", 2),
    ("voluntary_sector", 1),
    ("neonatal_unit", 1),
    ("speech_and_language", 1),
    ("self", 1),
    ("other", 1),
)
CHILDREN_RECORDED_IN, CHILDREN = 55, 64

# Plausible distributions (not published) ----------------------------------------------------------------------------

REFERRER_WEIGHTS = {
    INDIVIDUAL: {
        "health_visiting": 42,
        "midwifery": 12,
        "perinatal_mental_health": 10,
        "social_care": 8,
        "gp": 7,
        "family_hub": 5,
        "self": 4,
        "adult_mental_health": 3,
        "neonatal_unit": 3,
        "paediatrics": 2,
        "voluntary_sector": 2,
        "camhs": 1,
        "early_years_setting": 1,
    },
    GROUP: {
        "health_visiting": 35,
        "family_hub": 25,
        "self": 15,
        "social_care": 8,
        "early_years_setting": 8,
        "voluntary_sector": 5,
        "gp": 2,
        "other": 2,
    },
}
CAREGIVER_ROLE_WEIGHTS = {"mother": 88, "father": 6, "co_parent": 2, "other": 4}
LATER_ETHNICITY_WEIGHTS = {"white": 94, "mixed": 2, "asian": 1.5, "black": 0.5, "other": 0.5, "not_stated": 1.5}
IMD_DECILE_WEIGHTS = {1: 40, 2: 18, 3: 12, 4: 9, 5: 7, 6: 5, 7: 4, 8: 3, 9: 1, 10: 1}
SAFEGUARDING_WEIGHTS = {1: 25, 2: 35, 3: 28, 4: 12}
COMPLEXITY_COUNT_WEIGHTS = {0: 10, 1: 25, 2: 30, 3: 22, 4: 13}
COMPLEXITY_WEIGHTS = {
    "parental_mental_health": 30,
    "parental_trauma": 16,
    "domestic_abuse": 14,
    "childrens_services_involvement": 14,
    "housing_or_poverty": 12,
    "substance_misuse": 6,
    "care_experienced_parent": 6,
    "perinatal_loss_or_trauma": 5,
    "bereavement": 4,
    "physical_health": 3,
    "learning_disability": 3,
    "neonatal_unit_stay": 3,
    "refugee_or_asylum": 1,
    "language_barrier": 1,
}
REASON_WEIGHTS = {
    (INDIVIDUAL, DISENGAGED_AT_REFERRAL): {"unable_to_contact": 3, "not_ready": 2, "needs_met_elsewhere": 2},
    (GROUP, DISENGAGED_AT_REFERRAL): {
        "childcare": 5,
        "waiting_time": 5,
        "unable_to_contact": 2,
        "not_ready": 2,
        "moved_away": 1,
        "other": 1,
    },
    DISENGAGED_AT_ASSESSMENT: {
        "not_ready": 4,
        "unable_to_contact": 3,
        "needs_met_elsewhere": 3,
        "childcare": 1,
        "moved_away": 1,
        "other": 1,
    },
    DISENGAGED_DURING_INTERVENTION: {"not_ready": 2, "childcare": 2, "moved_away": 1, "other": 1},
    ON_HOLD: {"childcare": 2, "not_ready": 2, "other": 1},
}
# How referrals received after the window end up, and how the families in progress at the window end closed.
LATER_FATE_WEIGHTS = {
    INDIVIDUAL: {
        NOT_ACCEPTED: 12,
        DISENGAGED_AT_REFERRAL: 5,
        DISENGAGED_AT_ASSESSMENT: 18,
        DISENGAGED_DURING_INTERVENTION: 6,
        ON_HOLD: 2,
        COMPLETED: 57,
    },
    GROUP: {NOT_ACCEPTED: 12, DISENGAGED_AT_REFERRAL: 35, DISENGAGED_DURING_INTERVENTION: 8, ON_HOLD: 4, COMPLETED: 41},
}
FATE_FROM_STAGE_WEIGHTS = {
    AT_REFERRAL: {COMPLETED: 6, DISENGAGED_AT_ASSESSMENT: 2, DISENGAGED_AT_REFERRAL: 2},
    IN_ASSESSMENT: {COMPLETED: 7, DISENGAGED_AT_ASSESSMENT: 2, DISENGAGED_DURING_INTERVENTION: 1},
    IN_INTERVENTION: {COMPLETED: 8, DISENGAGED_DURING_INTERVENTION: 2},
}
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may use

INTRODUCTION_TITLES = (
    "Introduction to parent-infant relationships",
    "Introduction to parent-infant relationships for health visitors",
    "Introduction to parent-infant relationships for early years practitioners",
    "Introduction to parent-infant relationships for midwives",
    "Introduction to parent-infant relationships for family hub staff",
    "Introduction to parent-infant relationships for children's social care",
)
TRAINING_TITLES = {
    "introduction": INTRODUCTION_TITLES,
    "imh_pir": ("Infant mental health and the parent-infant relationship",),
    "bitesize": (
        "Bitesize: babies' brains and early relationships",
        "Bitesize: understanding baby cues",
        "Bitesize: dads and babies",
    ),
    "other": (
        "Video Interaction Guidance taster session",
        "Trauma-informed practice in the perinatal period",
        "Using the Risks to the Parent-Infant Relationship checklist",
    ),
}
AWARENESS_TITLES = (
    "Health visiting team briefing",
    "Midwifery forum",
    "Family hub open day",
    "Blackpool Better Start partnership meeting",
    "Children's social care team briefing",
    "Early years network meeting",
    "Perinatal mental health team briefing",
    "Infant mental health awareness stall",
    "Parents' coffee morning",
    "GP practice learning event",
    "Voluntary sector forum",
    "Baby week community event",
)


# Records --------------------------------------------------------------------------------------------------------


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


# Small helpers --------------------------------------------------------------------------------------------------


# Christmas Day, Boxing Day and New Year's Day: the team is closed.
CLOSED_DAYS = ((12, 25), (12, 26), (1, 1))


def _is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in CLOSED_DAYS


def _working_day(day: datetime.date) -> datetime.date:
    """The day itself, or the next working day after it (the team works weekdays)."""
    while not _is_working_day(day):
        day += DAY
    return day


def _days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Working days from `first` to `last` inclusive; every day when the range holds no working day."""
    days = [first + DAY * n for n in range((last - first).days + 1)]
    return [day for day in days if _is_working_day(day)] or days


def _working_day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return rng.choice(_days_between(first, last))


def _distinct_days(rng: random.Random, first: datetime.date, last: datetime.date, count: int) -> list[datetime.date]:
    days = _days_between(first, last)
    return sorted(rng.sample(days, min(count, len(days))))


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _pick_several(rng: random.Random, weights: dict, count: int) -> list:
    """`count` different codes, each drawn in proportion to its weight among those not yet drawn."""
    weights, chosen = dict(weights), []
    for _ in range(count):
        chosen.append(_pick(rng, weights))
        del weights[chosen[-1]]
    return chosen


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar months from `first`'s to `last`'s, each as (first day, last day not after `last`)."""
    months, start = [], first.replace(day=1)
    while start <= last:
        end = min(_add_months(start, 1) - DAY, last)
        months.append((max(start, first), end))
        start = _add_months(start, 1)
    return months


def _month_rng(kind: str, month_start: datetime.date) -> random.Random:
    return random.Random(f"{SEED}:{kind}:{month_start:%Y-%m}")


def _allocate(
    rng: random.Random, total: int, count: int, low: int, high: int, draw: Callable[[], float] | None = None
) -> list[int]:
    """`count` whole numbers within [low, high] summing exactly to `total`: drawn, then nudged one unit at a time."""
    if not low * count <= total <= high * count:
        raise ValueError(f"{count} values within [{low}, {high}] cannot sum to {total}")
    draw = draw or (lambda: rng.uniform(low, high))
    values = [min(high, max(low, round(draw()))) for _ in range(count)]
    while (gap := total - sum(values)) != 0:
        step = 1 if gap > 0 else -1
        movable = [i for i, value in enumerate(values) if low <= value + step <= high]
        values[rng.choice(movable)] += step
    return values


def _spread(rng: random.Random, total: int, slots: Sequence[int], high: int) -> dict[int, int]:
    """Item answers: `total` points spread at random over the items `slots`, each at most `high`."""
    answers = dict.fromkeys(slots, 0)
    for _ in range(total):
        answers[rng.choice([slot for slot in slots if answers[slot] < high])] += 1
    return answers


def _goal_means_sum(rows: list[list[int]]) -> Fraction:
    return sum((Fraction(sum(row), len(row)) for row in rows), Fraction(0))


def _fit_goal_ratings(rng: random.Random, rows: list[list[int]], target: Fraction, low: int, high: int) -> None:
    """Nudge goal ratings within [low, high] until the row means (GBO scores) sum exactly to `target`.

    In sixths of a point, one rating step moves its row's mean by 2 (three goals), 3 (two goals) or 6 (one goal): an
    odd gap is closed by a two-goal step, an even one by three-goal steps, falling back to the others when full.
    """
    lowest, highest = (_goal_means_sum([[bound] * len(row) for row in rows]) for bound in (low, high))
    if (target * 6).denominator != 1 or not lowest <= target <= highest:
        raise ValueError(f"Goal ratings within [{low}, {high}] cannot have means summing to {target}")
    for _ in range(100 * sum(map(len, rows)) * (high - low)):
        gap = (target - _goal_means_sum(rows)) * 6
        if gap == 0:
            return
        direction = 1 if gap > 0 else -1
        for goals in (2,) if gap % 2 else (3, 1, 2):  # goals per row, in order of preference
            cells = [
                (r, g)
                for r, row in enumerate(rows)
                if len(row) == goals
                for g, rating in enumerate(row)
                if low <= rating + direction <= high
            ]
            if cells:
                r, g = rng.choice(cells)
                rows[r][g] += direction
                break
    raise ValueError(f"Goal ratings within [{low}, {high}] did not reach means summing to {target}")


# Families -------------------------------------------------------------------------------------------------------


def _offsets(rng: random.Random, pathway: str, fate: str, hold_stage: str = AT_REFERRAL) -> dict[str, int]:
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


def _story(rng: random.Random, pathway: str, fate: str, received_on: datetime.date, days: dict[str, int]) -> Story:
    def on(event: str) -> datetime.date | None:
        return _working_day(received_on + DAY * days[event]) if event in days else None

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
        story.reason = _pick(rng, reasons)
    return story


def _stage_events(days: dict[str, int], stage: str) -> tuple[str, str]:
    """The event that opens `stage` and the one that ends it."""
    order = [event for event in ("decision", "assessment", "intervention", "closed") if event in days]
    opening = {AT_REFERRAL: "decision", IN_ASSESSMENT: "assessment", IN_INTERVENTION: "intervention"}[stage]
    return opening, order[order.index(opening) + 1]


def _draw_family(rng: random.Random, story: Story, *, ethnicity: str | None = None) -> None:
    """The family's details at referral, drawn from Blackpool-like distributions."""
    story.referrer_service = _pick(rng, REFERRER_WEIGHTS[story.pathway])
    story.caregiver_role = "mother" if story.antenatal else _pick(rng, CAREGIVER_ROLE_WEIGHTS)
    age = round(rng.triangular(17, 45, 27))
    story.caregiver_birth_year = story.received_on.year - age
    story.ethnicity = ethnicity or _pick(rng, LATER_ETHNICITY_WEIGHTS)
    if rng.random() < 0.97:  # a few referrals arrive without an address
        story.postcode = (
            f"FY{rng.randint(1, 4)} {rng.randint(1, 9)}"
            f"{rng.choice(POSTCODE_INWARD_LETTERS)}{rng.choice(POSTCODE_INWARD_LETTERS)}"
        )
        story.imd_decile = _pick(rng, IMD_DECILE_WEIGHTS)
    if story.accepted:  # recorded at acceptance
        story.safeguarding_level = _pick(rng, SAFEGUARDING_WEIGHTS)
        if story.pathway == INDIVIDUAL:  # the risks checklist is not used for group work
            story.risk_count = min(14, max(0, round(rng.gauss(5, 2.5))))
    complexities = _pick_several(rng, COMPLEXITY_WEIGHTS, _pick(rng, COMPLEXITY_COUNT_WEIGHTS))
    story.complexities = sorted(complexities, key=COMPLEXITIES.index)


def _draw_infant(rng: random.Random, story: Story, age_days: int | None = None) -> None:
    """Born some weeks or months after an antenatal referral; otherwise `age_days` old at referral."""
    if story.antenatal:
        story.infant_date_of_birth = story.received_on + DAY * rng.randint(14, 200)
        return
    if age_days is None:
        low, high = INFANT_AGE_DAYS[story.pathway]
        age_days = round(rng.triangular(low, high, 120 if story.pathway == INDIVIDUAL else 1400))
    story.infant_date_of_birth = story.received_on - DAY * age_days


# Interventions and questionnaires ----------------------------------------------------------------------------------


def _schedule_episodes(rng: random.Random, story: Story, codes: list[str]) -> None:
    """Lay the family's interventions across its intervention period, the shorter opening pieces first."""
    codes = sorted(codes, key=lambda code: (code not in OPENING_INTERVENTIONS, codes.index(code)))
    first, last = story.intervention_started_on, story.closed_on
    span = (last - first).days
    starts = [min(last, _working_day(first + DAY * (span * n // len(codes)))) for n in range(len(codes))]
    for n, (code, started_on) in enumerate(zip(codes, starts, strict=True)):
        # Each piece of work runs into the next a little; the last runs to the close.
        ended_on = last if n == len(codes) - 1 else min(last, _working_day(starts[n + 1] + DAY * rng.randint(0, 21)))
        weeks = (ended_on - started_on).days / 7
        attendance = rng.uniform(0.4, 0.7) if story.fate == DISENGAGED_DURING_INTERVENTION else rng.uniform(0.75, 1)
        sessions = max(1, min(COURSE_SESSIONS[code], round(weeks * attendance)))
        story.episodes.append(Episode(code, started_on, ended_on, sessions))


def _intervention_codes(rng: random.Random, pathway: str) -> list[str]:
    """Interventions in the proportions the service published: most families one or two, a few three."""
    count = 1 if pathway == GROUP else rng.choice((1, 1, 2, 2, 3))
    return _pick_several(rng, dict(WINDOW_EPISODES[pathway]), count)


def _assign_window_episodes(rng: random.Random, families: list[Story]) -> None:
    """Give the finished families exactly the published episodes: each at least one, none the same one twice."""
    for pathway, episodes in WINDOW_EPISODES.items():
        on_pathway = [story for story in families if story.pathway == pathway]
        codes: list[list[str]] = [[] for _ in on_pathway]
        for code, count in episodes:
            for _ in range(count):
                free = [n for n, given in enumerate(codes) if code not in given]
                fewest = min(len(codes[n]) for n in free)
                codes[rng.choice([n for n in free if len(codes[n]) == fewest])].append(code)
        for story, given in zip(on_pathway, codes, strict=True):
            _schedule_episodes(rng, story, given)


def _scores(rng: random.Random, instrument: str) -> tuple[int, int]:
    """A T1 score and a T2 score moving the way the published report found: most families improve, a few do not."""
    improves = rng.random() < 0.85
    if instrument == "phq9":
        t1 = rng.randint(9, 21)
        return t1, max(0, t1 + (rng.randint(-11, -2) if improves else rng.randint(-1, 2)))
    if instrument == "gad7":
        t1 = rng.randint(8, 18)
        return t1, max(0, t1 + (rng.randint(-9, -1) if improves else rng.randint(-1, 2)))
    if instrument == "warmth":
        t1 = rng.randint(13, 25)
        return t1, min(35, t1 + (rng.randint(2, 9) if improves else rng.randint(-2, 1)))
    t1 = rng.randint(9, 21)  # invasion
    return t1, max(0, t1 + (rng.randint(-8, -2) if improves else rng.randint(-1, 2)))


def _phq9_items(rng: random.Random, total: int) -> dict[int, int]:
    # Item 9 (thoughts of self-harm) is answered above 0 by only a few, and raises an alert when it is.
    flagged = total >= 12 and rng.random() < 0.15
    items = _spread(rng, total - flagged, range(1, 9), 3)
    items[9] = int(flagged)
    return items


def _items(rng: random.Random, instrument: str, score: int | tuple[int, int]) -> dict[int, int]:
    if instrument == "phq9":
        return _phq9_items(rng, score)
    if instrument == "gad7":
        return _spread(rng, score, range(1, 8), 3)
    warmth, invasion = score
    items = {**_spread(rng, warmth, MORS_WARMTH_ITEMS, 5), **_spread(rng, invasion, MORS_INVASION_ITEMS, 5)}
    return dict(sorted(items.items()))


def _questionnaire_pair(
    rng: random.Random,
    story: Story,
    instrument: str,
    t1_on: datetime.date,
    t2_on: datetime.date | None = None,
    *,
    mid_on: datetime.date | None = None,
    caregiver: int = 1,
) -> None:
    """A T1 of one instrument with item answers; a T2 when `t2_on` is given, and a mid-point review between them."""
    if instrument == "mors_sf":
        (warmth_1, warmth_2), (invasion_1, invasion_2) = _scores(rng, "warmth"), _scores(rng, "invasion")
        t1, t2 = (warmth_1, invasion_1), (warmth_2, invasion_2)
        mid = ((warmth_1 + warmth_2) // 2, (invasion_1 + invasion_2) // 2)
    else:
        t1, t2 = _scores(rng, instrument)
        mid = (t1 + t2) // 2
    administrations = [("T1", t1_on, t1)]
    if t2_on is not None:
        if mid_on is not None:
            administrations.append(("MID", mid_on, mid))
        administrations.append(("T2", t2_on, t2))
    for timepoint, completed_on, score in administrations:
        items = _items(rng, instrument, score)
        story.questionnaires.append(Questionnaire(instrument, timepoint, completed_on, caregiver, items))


def _gbo_goals(rng: random.Random) -> tuple[list[int], list[int]]:
    goals = rng.choices((1, 2, 3), weights=(1, 2, 5))[0]
    t1 = [rng.randint(0, 5) for _ in range(goals)]
    return t1, [min(10, rating + rng.randint(2, 7)) for rating in t1]


def _t1_date(rng: random.Random, story: Story) -> datetime.date:
    """Just before the intervention begins, after the assessment has started."""
    opened = story.assessment_started_on or story.first_contact_on or story.decision_on
    return _working_day_between(
        rng, max(opened, story.intervention_started_on - DAY * 21), story.intervention_started_on
    )


def _t2_date(
    rng: random.Random, story: Story, t1_on: datetime.date, not_before: datetime.date | None = None
) -> datetime.date:
    """In the last fortnight before discharge."""
    first = max(story.closed_on - DAY * 14, t1_on + DAY, not_before or t1_on)
    return _working_day_between(rng, first, story.closed_on)


def _window_questionnaires(rng: random.Random, completed: list[Story], disengaged: list[Story]) -> None:
    """The published outcome figures: 16 of the 21 completed families paired, 15 GBO pairs averaging 3.0 and 9.7."""
    paired = rng.sample(completed, PAIRED_COMPLETED)
    with_gbo, without_gbo = paired[:GBO_PAIRS], paired[GBO_PAIRS:]
    with_phq9_gad7 = without_gbo + rng.sample(with_gbo, PHQ9_GAD7_PAIRS - len(without_gbo))
    with_mors = rng.sample(paired, MORS_PAIRS)
    second_caregivers = rng.sample(with_phq9_gad7, SECOND_CAREGIVER_PAIRS)
    # The earliest PHQ-9s were kept as totals only, before the service recorded item answers.
    totals_only = sorted(with_phq9_gad7, key=lambda story: story.received_on)[:TOTALS_ONLY_PHQ9]

    # Ratings of 1-5 at T1 and 8-10 at T2, so that every pair improves by 3 or more; then the exact means.
    t1_goals = [[rng.randint(1, 5) for _ in range(goals)] for goals in GBO_GOALS_PER_PAIR]
    t2_goals = [[rng.randint(8, 10) for _ in range(goals)] for goals in GBO_GOALS_PER_PAIR]
    _fit_goal_ratings(rng, t1_goals, GBO_MEAN_T1 * GBO_PAIRS, 1, 5)
    _fit_goal_ratings(rng, t2_goals, GBO_MEAN_T2 * GBO_PAIRS, 8, 10)

    for story in paired:
        t1_on = _t1_date(rng, story)
        t2_on = _t2_date(rng, story, t1_on)
        mid_on = _working_day(t1_on + (t2_on - t1_on) / 2) if (t2_on - t1_on).days > 150 else None
        if story in with_gbo:
            index = with_gbo.index(story)
            story.questionnaires.append(Questionnaire("gbo", "T1", t1_on, goals=t1_goals[index]))
            story.questionnaires.append(Questionnaire("gbo", "T2", t2_on, goals=t2_goals[index]))
        for instrument in ("phq9", "gad7"):
            if story in with_phq9_gad7:
                _questionnaire_pair(rng, story, instrument, t1_on, t2_on, mid_on=mid_on)
            elif rng.random() < 0.5:  # measured at the start; the T2 was declined
                _questionnaire_pair(rng, story, instrument, t1_on)
        if story in with_mors:
            _questionnaire_pair(rng, story, "mors_sf", t1_on, t2_on)
        if story in second_caregivers:
            for instrument in ("phq9", "gad7"):
                _questionnaire_pair(rng, story, instrument, t1_on, t2_on, caregiver=2)
        if story in totals_only:
            first_phq9 = next(
                q for q in story.questionnaires if (q.instrument, q.timepoint, q.caregiver) == ("phq9", "T1", 1)
            )
            first_phq9.total, first_phq9.items = sum(first_phq9.items.values()), None

    # The other completed families, and those who disengaged, completed measures at the start only.
    for story in [story for story in completed if story not in paired] + disengaged:
        t1_on = _t1_date(rng, story)
        for instrument in ("phq9", "gad7", "gbo"):
            if rng.random() < 0.7:
                if instrument == "gbo":
                    story.questionnaires.append(Questionnaire("gbo", "T1", t1_on, goals=_gbo_goals(rng)[0]))
                else:
                    _questionnaire_pair(rng, story, instrument, t1_on)


def _later_questionnaires(rng: random.Random, story: Story, not_before: datetime.date | None = None) -> None:
    """Measures outside the published outcome figures: a T1 before intervention, a T2 at discharge for most.

    `not_before` keeps the T2s of the families in progress at the window end after it, where they belong.
    """
    if story.intervention_started_on is None:
        return
    t1_on = _t1_date(rng, story)
    t2_on = _t2_date(rng, story, t1_on, not_before) if story.fate == COMPLETED and rng.random() < 0.75 else None
    for instrument in ("phq9", "gad7", "gbo") + (("mors_sf",) if story.pathway == INDIVIDUAL else ()):
        if rng.random() < 0.15:  # not every measure is completed
            continue
        if instrument == "gbo":
            t1_goals, t2_goals = _gbo_goals(rng)
            story.questionnaires.append(Questionnaire("gbo", "T1", t1_on, goals=t1_goals))
            if t2_on is not None:
                story.questionnaires.append(Questionnaire("gbo", "T2", t2_on, goals=t2_goals))
        else:
            _questionnaire_pair(rng, story, instrument, t1_on, t2_on)


# Cohorts --------------------------------------------------------------------------------------------------------


def _check_published_tables() -> None:
    """The tables above that split a published figure must add up to it."""
    for pathway in (INDIVIDUAL, GROUP):
        published = sum(count for path, status, count in ENGAGEMENT if (path, status) == (pathway, IN_PROGRESS))
        if published != sum(count for path, _stage, count in IN_PROGRESS_STAGES if path == pathway):
            raise ValueError(f"IN_PROGRESS_STAGES must place all {published} {pathway} referrals in progress")
    if len(ON_HOLD_STAGES) != sum(count for _path, status, count in ENGAGEMENT if status == ON_HOLD):
        raise ValueError("ON_HOLD_STAGES must place every referral on hold")
    if sum(count for _code, count in ETHNICITY) != sum(count for _path, _status, count in ENGAGEMENT):
        raise ValueError("ETHNICITY must cover every referral")


def _window_cohort() -> list[Story]:
    """The 99 referrals of Table 2, with the published demographics, interventions and outcomes."""
    _check_published_tables()
    rng = random.Random(f"{SEED}:window")
    stories = []
    hold_stages = iter(ON_HOLD_STAGES)
    for pathway, status, count in ENGAGEMENT:
        if status == IN_PROGRESS:
            continue
        for _ in range(count):
            days = _offsets(rng, pathway, status, next(hold_stages) if status == ON_HOLD else AT_REFERRAL)
            received_on = _working_day_between(rng, WINDOW_START, WINDOW_END - DAY * days["closed"])
            stories.append(_story(rng, pathway, status, received_on, days))
    in_progress = []
    for pathway, stage, count in IN_PROGRESS_STAGES:
        # Group work has no separate assessment to disengage from.
        fates = {
            fate: weight
            for fate, weight in FATE_FROM_STAGE_WEIGHTS[stage].items()
            if fate in LATER_FATE_WEIGHTS[pathway]
        }
        for _ in range(count):
            fate = _pick(rng, fates)
            days = _offsets(rng, pathway, fate)
            # In `stage` at the window end: the event opening it on or before the end, the one closing it after.
            opening, closing = _stage_events(days, stage)
            first = max(WINDOW_START, WINDOW_END - DAY * (days[closing] - 1))
            received_on = _working_day_between(rng, first, WINDOW_END - DAY * days[opening])
            in_progress.append(_story(rng, pathway, fate, received_on, days))
    stories = sorted(stories + in_progress, key=lambda story: story.received_on)

    individual = [story for story in stories if story.pathway == INDIVIDUAL]
    for story in rng.sample(individual, ANTENATAL_REFERRALS):
        story.antenatal = True
    ethnicities = [code for code, count in ETHNICITY for _ in range(count)]
    rng.shuffle(ethnicities)
    for story, ethnicity in zip(stories, ethnicities, strict=True):
        _draw_family(rng, story, ethnicity=ethnicity)
    for pathway, mean_months in MEAN_INFANT_AGE_MONTHS.items():
        born = [story for story in stories if story.pathway == pathway and not story.antenatal]
        low, high = INFANT_AGE_DAYS[pathway]
        mode = 120 if pathway == INDIVIDUAL else 1400
        total_days = round(mean_months * DAYS_PER_MONTH * len(born))
        ages = _allocate(
            rng, total_days, len(born), low, high, draw=lambda a=low, b=high, c=mode: rng.triangular(a, b, c)
        )
        for story, age_days in zip(born, ages, strict=True):
            _draw_infant(rng, story, age_days)
    for story in stories:
        if story.antenatal:
            _draw_infant(rng, story)

    finished = [story for story in stories if story not in in_progress and story.intervention_started_on]
    _assign_window_episodes(rng, finished)
    _window_questionnaires(
        rng,
        [story for story in finished if story.fate == COMPLETED],
        [story for story in finished if story.fate == DISENGAGED_DURING_INTERVENTION],
    )
    for story in in_progress:
        if story.intervention_started_on:
            _schedule_episodes(rng, story, _intervention_codes(rng, story.pathway))
        _later_questionnaires(rng, story, not_before=WINDOW_END + DAY)
    return stories


def _share_of_month(first: datetime.date, last: datetime.date) -> float:
    """How much of its calendar month the range covers (less than 1 only for the month of `today`)."""
    return ((last - first).days + 1) / calendar.monthrange(first.year, first.month)[1]


def _later_cohort(today: datetime.date) -> list[Story]:
    """About seven referrals a month after the window, each with its own future beyond `today`."""
    stories = []
    for first, last in _months(WINDOW_END + DAY, today):
        rng = _month_rng("referrals", first)
        count = max(1, round(rng.randint(6, 8) * _share_of_month(first, last)))
        for received_on in sorted(_working_day_between(rng, first, last) for _ in range(count)):
            pathway = INDIVIDUAL if rng.random() < 0.65 else GROUP
            fate = _pick(rng, LATER_FATE_WEIGHTS[pathway])
            days = _offsets(rng, pathway, fate, rng.choice((AT_REFERRAL, IN_ASSESSMENT, IN_INTERVENTION)))
            story = _story(rng, pathway, fate, received_on, days)
            story.antenatal = pathway == INDIVIDUAL and rng.random() < 0.12
            _draw_family(rng, story)
            _draw_infant(rng, story)
            if story.intervention_started_on:
                _schedule_episodes(rng, story, _intervention_codes(rng, pathway))
            _later_questionnaires(rng, story)
            stories.append(story)
    return stories


def _number(stories: list[Story]) -> None:
    """Case references in order of receipt, numbered afresh each calendar year: BPL-2023-0001."""
    numbers: dict[int, int] = {}
    for story in stories:
        year = story.received_on.year
        numbers[year] = numbers.get(year, 0) + 1
        story.reference = f"{REFERENCE_PREFIX}-{year}-{numbers[year]:04d}"


# Workforce activity ---------------------------------------------------------------------------------------------


def _training_session(
    rng: random.Random, day: datetime.date, session_type: str, participants: int, extra_places: tuple[int, int]
) -> dict:
    row = {
        "date": day,
        "session_type": session_type,
        "title": rng.choice(TRAINING_TITLES[session_type]),
        "participants": participants,
        "places_offered": participants + rng.randint(*extra_places),
        "feedback_returned": None,
        "feedback_positive": None,
    }
    if rng.random() < 0.85:  # feedback forms were not collected at every session
        returned = rng.randint((participants + 1) // 2, participants)
        row["feedback_returned"] = returned
        row["feedback_positive"] = returned - rng.randint(0, returned // 6)
    return row


def _training(today: datetime.date) -> list[dict]:
    rng = random.Random(f"{SEED}:training")
    rows = []
    for session_type, sessions, participants, (low, high), extra_places in TRAINING:
        counts = _allocate(rng, participants, sessions, low, high)
        for day, count in zip(_distinct_days(rng, WINDOW_START, WINDOW_END, sessions), counts, strict=True):
            rows.append(_training_session(rng, day, session_type, count, extra_places))
    for first, last in _months(WINDOW_END + DAY, today):
        rng = _month_rng("training", first)
        share = _share_of_month(first, last)
        planned = {  # session type: (sessions this month, participants per session, extra places)
            "introduction": (max(1, round(rng.randint(3, 6) * share)), (4, 14), (0, 6)),
            "imh_pir": (round((rng.random() < 0.5) * share), (5, 10), (0, 4)),
            "bitesize": (round((rng.random() < 0.3) * share), (20, 60), (0, 20)),
            "other": (round((rng.random() < 0.2) * share), (6, 20), (0, 6)),
        }
        for session_type, (sessions, (low, high), extra_places) in planned.items():
            for day in _distinct_days(rng, first, last, sessions):
                rows.append(_training_session(rng, day, session_type, rng.randint(low, high), extra_places))
    return rows


def _consultations(today: datetime.date) -> list[dict]:
    rng = random.Random(f"{SEED}:consultations")
    services = [code for code, count in CONSULTATION_SERVICES for _ in range(count)]
    outcomes = [code for code, count in CONSULTATION_OUTCOMES for _ in range(count)]
    rng.shuffle(services)
    rng.shuffle(outcomes)
    children = dict.fromkeys(range(len(services)))
    recorded = rng.sample(sorted(children), CHILDREN_RECORDED_IN)
    counts = _allocate(rng, CHILDREN, CHILDREN_RECORDED_IN, 1, 3, draw=lambda: rng.choices((1, 2, 3), (6, 2, 1))[0])
    children.update(zip(recorded, counts, strict=True))
    rows = [
        {
            "date": _working_day_between(rng, WINDOW_START, WINDOW_END),
            "consultee_service": service,
            "outcome": outcome,
            "children": children[n],
        }
        for n, (service, outcome) in enumerate(zip(services, outcomes, strict=True))
    ]
    service_weights = dict(CONSULTATION_SERVICES)
    outcome_weights = {**dict(CONSULTATION_OUTCOMES), "advice_only": 6}
    for first, last in _months(WINDOW_END + DAY, today):
        rng = _month_rng("consultations", first)
        for _ in range(max(1, round(rng.randint(4, 8) * _share_of_month(first, last)))):
            rows.append(
                {
                    "date": _working_day_between(rng, first, last),
                    "consultee_service": _pick(rng, service_weights),
                    "outcome": _pick(rng, outcome_weights),
                    "children": rng.choices((1, 2, 3), (6, 2, 1))[0] if rng.random() < 0.6 else None,
                }
            )
    # Consultations with the same service on the same day are told apart by their sequence number.
    rows.sort(key=lambda row: (row["date"], row["consultee_service"]))
    sequences: dict[tuple, int] = {}
    for row in rows:
        key = (row["date"], row["consultee_service"])
        sequences[key] = row["sequence"] = sequences.get(key, 0) + 1
    return rows


def _awareness(today: datetime.date) -> list[dict]:
    rng = random.Random(f"{SEED}:awareness")
    days = _distinct_days(rng, WINDOW_START, WINDOW_END, AWARENESS_EVENTS)
    people = _allocate(rng, PEOPLE_ENGAGED, AWARENESS_EVENTS, 15, 120)
    rows = [
        {"date": day, "title": rng.choice(AWARENESS_TITLES), "people_engaged": count}
        for day, count in zip(days, people, strict=True)
    ]
    for first, last in _months(WINDOW_END + DAY, today):
        rng = _month_rng("awareness", first)
        for day in _distinct_days(rng, first, last, round(rng.choice((0, 1, 1, 2)) * _share_of_month(first, last))):
            rows.append({"date": day, "title": rng.choice(AWARENESS_TITLES), "people_engaged": rng.randint(10, 80)})
    return rows


def _universal(today: datetime.date) -> list[dict]:
    """Infant massage courses in the family hubs, counted by the date each course began."""
    rng = random.Random(f"{SEED}:universal")
    days = _distinct_days(rng, WINDOW_START, WINDOW_END, UNIVERSAL_COURSES)
    dyads = _allocate(rng, UNIVERSAL_DYADS, UNIVERSAL_COURSES, 2, 8)
    rows = [{"date": day, "offer": "infant_massage", "dyads": count} for day, count in zip(days, dyads, strict=True)]
    for first, last in _months(WINDOW_END + DAY, today):
        rng = _month_rng("universal", first)
        for day in _distinct_days(rng, first, last, int(_share_of_month(first, last) >= 0.25)):
            rows.append({"date": day, "offer": "infant_massage", "dyads": rng.randint(3, 8)})
    return rows


# Files ----------------------------------------------------------------------------------------------------------

REFERRAL_COLUMNS = (
    "reference",
    "received_on",
    "pathway",
    "referrer_service",
    "caregiver_role",
    "caregiver_birth_year",
    "ethnicity",
    "postcode",
    "imd_decile",
    "antenatal",
    "infant_date_of_birth",
    "safeguarding_level",
    "risk_count",
    "complexities",
    "decision",
    "decision_on",
    "assessment_started_on",
    "intervention_started_on",
    "first_contact_on",
    "status",
    "status_on",
    "status_reason",
)
INTERVENTION_COLUMNS = ("reference", "intervention", "started_on", "ended_on", "sessions_attended")
OUTCOME_COLUMNS = (
    "reference",
    "caregiver",
    "instrument",
    "timepoint",
    "completed_on",
    *(f"item_{n}" for n in range(1, 15)),
    "total",
    "warmth",
    "invasion",
    "goal_1",
    "goal_2",
    "goal_3",
)
TRAINING_COLUMNS = (
    "date",
    "session_type",
    "title",
    "participants",
    "places_offered",
    "feedback_returned",
    "feedback_positive",
)
CONSULTATION_COLUMNS = ("date", "consultee_service", "sequence", "outcome", "children")
AWARENESS_COLUMNS = ("date", "title", "people_engaged")
UNIVERSAL_COLUMNS = ("date", "offer", "dyads")
INSTRUMENT_ORDER = ("phq9", "gad7", "mors_sf", "gbo")
TIMEPOINT_ORDER = ("T1", "MID", "T2")


def _referral_row(story: Story, today: datetime.date) -> dict:
    """The referral as its record stands on `today`: later events have not happened yet."""

    def known(day: datetime.date | None) -> datetime.date | None:
        return day if day is not None and day <= today else None

    decided, closed = story.decision_on <= today, story.closed_on <= today
    accepted = decided and story.accepted
    return {
        "reference": story.reference,
        "received_on": story.received_on,
        "pathway": story.pathway,
        "referrer_service": story.referrer_service,
        "caregiver_role": story.caregiver_role,
        "caregiver_birth_year": story.caregiver_birth_year,
        "ethnicity": story.ethnicity,
        "postcode": story.postcode,
        "imd_decile": story.imd_decile,
        "antenatal": "yes" if story.antenatal else "no",
        "infant_date_of_birth": known(story.infant_date_of_birth),
        "safeguarding_level": story.safeguarding_level if accepted else None,
        "risk_count": story.risk_count if accepted else None,
        "complexities": ";".join(story.complexities),
        "decision": (ACCEPTED if story.accepted else NOT_ACCEPTED_DECISION) if decided else PENDING,
        "decision_on": known(story.decision_on),
        "assessment_started_on": known(story.assessment_started_on),
        "intervention_started_on": known(story.intervention_started_on),
        "first_contact_on": known(story.first_contact_on),
        "status": story.fate if closed else IN_PROGRESS,
        "status_on": story.closed_on if closed else None,
        "status_reason": story.reason if closed else "",
    }


def _episode_row(story: Story, episode: Episode, today: datetime.date) -> dict:
    ended = episode.ended_on <= today
    # Sessions so far, for a piece of work still going on.
    done = 1 if ended else (today - episode.started_on).days / max(1, (episode.ended_on - episode.started_on).days)
    return {
        "reference": story.reference,
        "intervention": episode.intervention,
        "started_on": episode.started_on,
        "ended_on": episode.ended_on if ended else None,
        "sessions_attended": round(episode.sessions * done),
    }


def _questionnaire_row(story: Story, questionnaire: Questionnaire) -> dict:
    row = {
        "reference": story.reference,
        "caregiver": questionnaire.caregiver,
        "instrument": questionnaire.instrument,
        "timepoint": questionnaire.timepoint,
        "completed_on": questionnaire.completed_on,
        "total": questionnaire.total,
    }
    row.update({f"item_{n}": answer for n, answer in (questionnaire.items or {}).items()})
    row.update({f"goal_{n}": rating for n, rating in enumerate(questionnaire.goals or [], start=1)})
    return row


def _write(path: Path, columns: Sequence[str], rows: list[dict]) -> int:
    def cell(value) -> str:
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, datetime.date) else str(value)

    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(row.get(column)) for column in columns] for row in rows)
    return len(rows)


def demo_stories(today: datetime.date) -> list[Story]:
    """Every referral of the demo service received up to `today`, in order of receipt, with its planned future."""
    if today <= WINDOW_END:
        raise ValueError(f"The demo carries on after the published window: today must be after {WINDOW_END}")
    stories = _window_cohort() + _later_cohort(today)
    _number(stories)
    return stories


def write_demo_files(directory: Path, *, today: datetime.date) -> dict[str, int]:
    """Write the demo service's monitoring files, as they stand on `today`, into `directory`.

    Returns the number of rows written to each file. The same `today` always gives byte-identical files.
    """
    stories = demo_stories(today)
    episodes = [
        _episode_row(story, episode, today)
        for story in stories
        for episode in sorted(story.episodes, key=lambda episode: (episode.started_on, episode.intervention))
        if episode.started_on <= today
    ]
    questionnaires = sorted(
        (
            (story, questionnaire)
            for story in stories
            for questionnaire in story.questionnaires
            if questionnaire.completed_on <= today
        ),
        key=lambda pair: (
            pair[0].reference,
            pair[1].caregiver,
            INSTRUMENT_ORDER.index(pair[1].instrument),
            TIMEPOINT_ORDER.index(pair[1].timepoint),
        ),
    )
    files = {
        "referrals.csv": (REFERRAL_COLUMNS, [_referral_row(story, today) for story in stories]),
        "interventions.csv": (INTERVENTION_COLUMNS, episodes),
        "outcomes.csv": (OUTCOME_COLUMNS, [_questionnaire_row(*pair) for pair in questionnaires]),
        "training.csv": (
            TRAINING_COLUMNS,
            sorted(_training(today), key=lambda row: (row["date"], row["session_type"], row["title"])),
        ),
        "consultations.csv": (CONSULTATION_COLUMNS, _consultations(today)),
        "awareness.csv": (AWARENESS_COLUMNS, sorted(_awareness(today), key=lambda row: (row["date"], row["title"]))),
        "universal.csv": (UNIVERSAL_COLUMNS, sorted(_universal(today), key=lambda row: row["date"])),
    }
    directory.mkdir(parents=True, exist_ok=True)
    return {name: _write(directory / name, columns, rows) for name, (columns, rows) in files.items()}
