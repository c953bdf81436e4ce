"""The questionnaires of a family: the published outcome figures in the window, plausible ones after."""

import datetime
import random

from demo.files.codes import COMPLETED, INDIVIDUAL, MORS_INVASION_ITEMS, MORS_WARMTH_ITEMS
from demo.files.draws import DAY, fit_goal_ratings, spread, working_day, working_day_between
from demo.files.published import (
    GBO_GOALS_PER_PAIR,
    GBO_MEAN_T1,
    GBO_MEAN_T2,
    GBO_PAIRS,
    MORS_PAIRS,
    PAIRED_COMPLETED,
    PHQ9_GAD7_PAIRS,
    SECOND_CAREGIVER_PAIRS,
    TOTALS_ONLY_PHQ9,
)
from demo.files.stories import Questionnaire, Story


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
    items = spread(rng, total - flagged, range(1, 9), 3)
    items[9] = int(flagged)
    return items


def _items(rng: random.Random, instrument: str, score: int | tuple[int, int]) -> dict[int, int]:
    if instrument == "phq9":
        return _phq9_items(rng, score)
    if instrument == "gad7":
        return spread(rng, score, range(1, 8), 3)
    warmth, invasion = score
    items = {**spread(rng, warmth, MORS_WARMTH_ITEMS, 5), **spread(rng, invasion, MORS_INVASION_ITEMS, 5)}
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
    return working_day_between(
        rng, max(opened, story.intervention_started_on - DAY * 21), story.intervention_started_on
    )


def _t2_date(
    rng: random.Random, story: Story, t1_on: datetime.date, not_before: datetime.date | None = None
) -> datetime.date:
    """In the last fortnight before discharge."""
    first = max(story.closed_on - DAY * 14, t1_on + DAY, not_before or t1_on)
    return working_day_between(rng, first, story.closed_on)


def window_questionnaires(rng: random.Random, completed: list[Story], disengaged: list[Story]) -> None:
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
    fit_goal_ratings(rng, t1_goals, GBO_MEAN_T1 * GBO_PAIRS, 1, 5)
    fit_goal_ratings(rng, t2_goals, GBO_MEAN_T2 * GBO_PAIRS, 8, 10)

    for story in paired:
        t1_on = _t1_date(rng, story)
        t2_on = _t2_date(rng, story, t1_on)
        mid_on = working_day(t1_on + (t2_on - t1_on) / 2) if (t2_on - t1_on).days > 150 else None
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


def later_questionnaires(rng: random.Random, story: Story, not_before: datetime.date | None = None) -> None:
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
