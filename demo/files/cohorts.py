"""The referrals: the window cohort of the published tables, then about seven a month up to `today`."""

import datetime
import random

from demo.files.codes import (
    AT_REFERRAL,
    COMPLETED,
    DISENGAGED_DURING_INTERVENTION,
    GROUP,
    IN_ASSESSMENT,
    IN_INTERVENTION,
    IN_PROGRESS,
    INDIVIDUAL,
    ON_HOLD,
)
from demo.files.distributions import FATE_FROM_STAGE_WEIGHTS, LATER_FATE_WEIGHTS
from demo.files.draws import DAY, SEED, allocate, calendar_months, month_rng, pick, share_of_month, working_day_between
from demo.files.interventions import assign_window_episodes, intervention_codes, schedule_episodes
from demo.files.published import (
    ANTENATAL_REFERRALS,
    ENGAGEMENT,
    ETHNICITY,
    IN_PROGRESS_STAGES,
    INFANT_AGE_DAYS,
    MEAN_INFANT_AGE_MONTHS,
    ON_HOLD_STAGES,
    WINDOW_END,
    WINDOW_START,
)
from demo.files.questionnaires import later_questionnaires, window_questionnaires
from demo.files.stories import Story, draw_family, draw_infant, new_story, offsets, stage_events

REFERENCE_PREFIX = "BPL"
DAYS_PER_MONTH = 365.25 / 12


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


def window_cohort() -> list[Story]:
    """The 99 referrals of Table 2, with the published demographics, interventions and outcomes."""
    _check_published_tables()
    rng = random.Random(f"{SEED}:window")
    stories = []
    hold_stages = iter(ON_HOLD_STAGES)
    for pathway, status, count in ENGAGEMENT:
        if status == IN_PROGRESS:
            continue
        for _ in range(count):
            days = offsets(rng, pathway, status, next(hold_stages) if status == ON_HOLD else AT_REFERRAL)
            received_on = working_day_between(rng, WINDOW_START, WINDOW_END - DAY * days["closed"])
            stories.append(new_story(rng, pathway, status, received_on, days))
    in_progress = []
    for pathway, stage, count in IN_PROGRESS_STAGES:
        # Group work has no separate assessment to disengage from.
        fates = {
            fate: weight
            for fate, weight in FATE_FROM_STAGE_WEIGHTS[stage].items()
            if fate in LATER_FATE_WEIGHTS[pathway]
        }
        for _ in range(count):
            fate = pick(rng, fates)
            days = offsets(rng, pathway, fate)
            # In `stage` at the window end: the event opening it on or before the end, the one closing it after.
            opening, closing = stage_events(days, stage)
            first = max(WINDOW_START, WINDOW_END - DAY * (days[closing] - 1))
            received_on = working_day_between(rng, first, WINDOW_END - DAY * days[opening])
            in_progress.append(new_story(rng, pathway, fate, received_on, days))
    stories = sorted(stories + in_progress, key=lambda story: story.received_on)

    individual = [story for story in stories if story.pathway == INDIVIDUAL]
    for story in rng.sample(individual, ANTENATAL_REFERRALS):
        story.antenatal = True
    ethnicities = [code for code, count in ETHNICITY for _ in range(count)]
    rng.shuffle(ethnicities)
    for story, ethnicity in zip(stories, ethnicities, strict=True):
        draw_family(rng, story, ethnicity=ethnicity)
    for pathway, mean_months in MEAN_INFANT_AGE_MONTHS.items():
        born = [story for story in stories if story.pathway == pathway and not story.antenatal]
        low, high = INFANT_AGE_DAYS[pathway]
        mode = 120 if pathway == INDIVIDUAL else 1400
        total_days = round(mean_months * DAYS_PER_MONTH * len(born))
        ages = allocate(
            rng, total_days, len(born), low, high, draw=lambda a=low, b=high, c=mode: rng.triangular(a, b, c)
        )
        for story, age_days in zip(born, ages, strict=True):
            draw_infant(rng, story, age_days)
    for story in stories:
        if story.antenatal:
            draw_infant(rng, story)

    finished = [story for story in stories if story not in in_progress and story.intervention_started_on]
    assign_window_episodes(rng, finished)
    window_questionnaires(
        rng,
        [story for story in finished if story.fate == COMPLETED],
        [story for story in finished if story.fate == DISENGAGED_DURING_INTERVENTION],
    )
    for story in in_progress:
        if story.intervention_started_on:
            schedule_episodes(rng, story, intervention_codes(rng, story.pathway))
        later_questionnaires(rng, story, not_before=WINDOW_END + DAY)
    return stories


def later_cohort(today: datetime.date) -> list[Story]:
    """About seven referrals a month after the window, each with its own future beyond `today`."""
    stories = []
    for first, last in calendar_months(WINDOW_END + DAY, today):
        rng = month_rng("referrals", first)
        count = max(1, round(rng.randint(6, 8) * share_of_month(first, last)))
        for received_on in sorted(working_day_between(rng, first, last) for _ in range(count)):
            pathway = INDIVIDUAL if rng.random() < 0.65 else GROUP
            fate = pick(rng, LATER_FATE_WEIGHTS[pathway])
            days = offsets(rng, pathway, fate, rng.choice((AT_REFERRAL, IN_ASSESSMENT, IN_INTERVENTION)))
            story = new_story(rng, pathway, fate, received_on, days)
            story.antenatal = pathway == INDIVIDUAL and rng.random() < 0.12
            draw_family(rng, story)
            draw_infant(rng, story)
            if story.intervention_started_on:
                schedule_episodes(rng, story, intervention_codes(rng, pathway))
            later_questionnaires(rng, story)
            stories.append(story)
    return stories


def number_references(stories: list[Story]) -> None:
    """Case references in order of receipt, numbered afresh each calendar year: BPL-2023-0001."""
    numbers: dict[int, int] = {}
    for story in stories:
        year = story.received_on.year
        numbers[year] = numbers.get(year, 0) + 1
        story.reference = f"{REFERENCE_PREFIX}-{year}-{numbers[year]:04d}"
