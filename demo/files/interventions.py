"""The interventions of a family: which, and laid across its intervention period."""

import random

from demo.files.codes import COURSE_SESSIONS, DISENGAGED_DURING_INTERVENTION, GROUP, OPENING_INTERVENTIONS
from demo.files.draws import DAY, pick_several, working_day
from demo.files.published import WINDOW_EPISODES
from demo.files.stories import Episode, Story


def schedule_episodes(rng: random.Random, story: Story, codes: list[str]) -> None:
    """Lay the family's interventions across its intervention period, the shorter opening pieces first."""
    codes = sorted(codes, key=lambda code: (code not in OPENING_INTERVENTIONS, codes.index(code)))
    first, last = story.intervention_started_on, story.closed_on
    span = (last - first).days
    starts = [min(last, working_day(first + DAY * (span * n // len(codes)))) for n in range(len(codes))]
    for n, (code, started_on) in enumerate(zip(codes, starts, strict=True)):
        # Each piece of work runs into the next a little; the last runs to the close.
        ended_on = last if n == len(codes) - 1 else min(last, working_day(starts[n + 1] + DAY * rng.randint(0, 21)))
        weeks = (ended_on - started_on).days / 7
        attendance = rng.uniform(0.4, 0.7) if story.fate == DISENGAGED_DURING_INTERVENTION else rng.uniform(0.75, 1)
        sessions = max(1, min(COURSE_SESSIONS[code], round(weeks * attendance)))
        story.episodes.append(Episode(code, started_on, ended_on, sessions))


def intervention_codes(rng: random.Random, pathway: str) -> list[str]:
    """Interventions in the proportions the service published: most families one or two, a few three."""
    count = 1 if pathway == GROUP else rng.choice((1, 1, 2, 2, 3))
    return pick_several(rng, dict(WINDOW_EPISODES[pathway]), count)


def assign_window_episodes(rng: random.Random, families: list[Story]) -> None:
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
            schedule_episodes(rng, story, given)
