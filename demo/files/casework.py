"""The demo's casework on `today`: who holds each case, the open cases' appointments (appointments.csv) and the
group families' places on runs of their programmes (group_places.csv).

- Every accepted family has a practitioner: the demo practitioner two cases in three, the service manager the rest.
- Each open individual case has its recent appointments and the next one booked: waiting for assessment, the
  assessment booked; in assessment, one visit done and the next booked; in intervention, the weekly sessions of the
  last three weeks (one missed now and then) and next week's. Nobody is booked twice at once, and every
  appointment falls after the published window, which their attended ones therefore cannot change.
- The group families in intervention are on runs of their latest intervention: a family joins a run at most two
  weeks after it starts, or a new run starts with it. The group families not yet in intervention are offered
  places on the next run.

Draws are seeded by the case reference (and the runs follow from the stories), so the same `today` always gives
the same casework.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from demo.files.codes import AT_REFERRAL, GROUP, IN_ASSESSMENT, IN_INTERVENTION
from demo.files.stories import Story

# The demo accounts who hold cases (demo/accounts.py): the practitioner two cases in three, the manager the rest.
PRACTITIONER, MANAGER = "demo.practitioner", "demo.manager"
PRACTITIONER_SHARE = 2 / 3
CASEWORK_SEED = "blackpool-{reference}-casework"
APPOINTMENT_TIMES = (datetime.time(9, 30), datetime.time(11, 0), datetime.time(13, 30), datetime.time(15, 0))
VISIT_MODES = ("home", "home", "clinic", "family_hub")
MISSED_SHARE = 0.15
GROUP_PLACES = 8
GROUP_LATEST_JOINING = datetime.timedelta(weeks=2)
NEXT_GROUP_INTERVENTION = "circle_of_security"
# The season a group run is named after, by the month it starts in (January first).
SEASONS = ("Winter",) * 2 + ("Spring",) * 3 + ("Summer",) * 3 + ("Autumn",) * 3 + ("Winter",)
APPOINTMENT_COLUMNS = ("reference", "starts_at", "kind", "mode", "outcome", "practitioner")
GROUP_PLACE_COLUMNS = (
    "reference",
    "intervention",
    "programme_starts_on",
    "programme_title",
    "offered_on",
    "status",
    "responded_on",
)


@dataclass
class Place:
    reference: str
    offered_on: datetime.date
    status: str
    responded_on: datetime.date | None
    joined_on: datetime.date | None  # the day the family began on the run: its sessions are from then


@dataclass
class GroupRun:
    intervention: str
    starts_on: datetime.date
    title: str
    places: list[Place] = field(default_factory=list)


def _casework_rng(reference: str) -> random.Random:
    return random.Random(CASEWORK_SEED.format(reference=reference))


def _clinician(rng: random.Random) -> str:
    return PRACTITIONER if rng.random() < PRACTITIONER_SHARE else MANAGER


def clinician_of(reference: str) -> str:
    """The username of the demo account who holds the case."""
    return _clinician(_casework_rng(reference))


def _known(day: datetime.date | None, today: datetime.date) -> datetime.date | None:
    return day if day is not None and day <= today else None


def _open_on(story: Story, today: datetime.date) -> bool:
    """Accepted and in progress on `today` (not on hold, not closed)."""
    return story.accepted and story.decision_on <= today < story.closed_on


def _stage(story: Story, today: datetime.date) -> tuple[str, datetime.date]:
    """The stage an open case has reached on `today`, and the day it began."""
    if intervention_on := _known(story.intervention_started_on, today):
        return IN_INTERVENTION, intervention_on
    if assessment_on := _known(story.assessment_started_on, today):
        return IN_ASSESSMENT, assessment_on
    return AT_REFERRAL, story.decision_on


# appointments.csv ------------------------------------------------------------------------------------------------


def _weekday(day: datetime.date, *, later: bool) -> datetime.date:
    """The day itself, or for a weekend the Monday after (`later`) or the Friday before."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1 if later else -1)
    return day


def _free_slot(diary: set, clinician: str, day: datetime.date, *, later: bool, rng) -> datetime.datetime:
    """The first time on a weekday from `day` (going forward when `later`, else back) at which `clinician` is free;
    the slot is then taken in `diary`."""
    day = _weekday(day, later=later)
    for time in rng.sample(APPOINTMENT_TIMES, len(APPOINTMENT_TIMES)):
        if (clinician, day, time) not in diary:
            diary.add((clinician, day, time))
            return datetime.datetime.combine(day, time)
    return _free_slot(diary, clinician, day + datetime.timedelta(days=1 if later else -1), later=later, rng=rng)


def _appointments(story: Story, clinician: str, today: datetime.date, rng, diary: set) -> list[dict]:
    stage, stage_began_on = _stage(story, today)
    days_ago = []
    kind = "assessment"
    if stage == IN_ASSESSMENT:
        days_ago = [rng.randrange(2, 10)]
    elif stage == IN_INTERVENTION:
        days_ago = [7 * weeks + rng.randrange(1, 5) for weeks in (2, 1, 0)]
        kind = "intervention"
    first_contact_on = _known(story.first_contact_on, today)
    earliest = max(stage_began_on, first_contact_on or stage_began_on) + datetime.timedelta(days=1)

    def row(starts_at: datetime.datetime, outcome: str = "") -> dict:
        return {
            "reference": story.reference,
            "starts_at": f"{starts_at:%Y-%m-%d %H:%M}",
            "kind": kind,
            "mode": rng.choice(VISIT_MODES),
            "outcome": outcome,
            "practitioner": clinician,
        }

    rows = []
    for ago in days_ago:
        starts_at = _free_slot(diary, clinician, today - datetime.timedelta(days=ago), later=False, rng=rng)
        if starts_at.date() < earliest:
            continue
        missed = rng.random() < MISSED_SHARE
        rows.append(row(starts_at, "did_not_attend" if missed else "attended"))
    next_day = today + datetime.timedelta(days=rng.randrange(1, 8 if stage == IN_INTERVENTION else 15))
    rows.append(row(_free_slot(diary, clinician, next_day, later=True, rng=rng)))
    return rows


def appointment_rows(stories: list[Story], today: datetime.date) -> list[dict]:
    """The open individual cases' recent and next appointments, newest referral first into the diary."""
    diary: set[tuple] = set()
    rows: list[dict] = []
    for story in reversed(stories):
        if not _open_on(story, today):
            continue
        rng = _casework_rng(story.reference)
        clinician = _clinician(rng)
        if story.pathway == GROUP and _stage(story, today)[0] == IN_INTERVENTION:
            continue  # on a group run: its sessions are the group's register, not appointments
        rows += _appointments(story, clinician, today, rng, diary)
    return sorted(rows, key=lambda row: (row["reference"], row["starts_at"]))


# group_places.csv ------------------------------------------------------------------------------------------------


def _open_to(run: GroupRun, day: datetime.date) -> bool:
    """Whether a family starting on `day` can still join the run."""
    return day <= run.starts_on + GROUP_LATEST_JOINING and len(run.places) < GROUP_PLACES


def group_runs(stories: list[Story], today: datetime.date) -> list[GroupRun]:
    """The runs the open group families are on or offered, each with its places in the order they were offered."""
    joining, waiting = [], []
    for story in stories:
        if story.pathway != GROUP or not _open_on(story, today):
            continue
        if _stage(story, today)[0] != IN_INTERVENTION:
            waiting.append(story)
            continue
        episodes = sorted(
            (episode for episode in story.episodes if episode.started_on <= today),
            key=lambda episode: (episode.started_on, episode.intervention),
        )
        if episodes:
            joining.append((episodes[-1].started_on, story, episodes[-1].intervention))
    runs_named: Counter[tuple] = Counter()

    def new_run(intervention: str, starts_on: datetime.date) -> GroupRun:
        season = f"{SEASONS[starts_on.month - 1]} {starts_on.year}"
        runs_named[intervention, season] += 1
        count = runs_named[intervention, season]
        return GroupRun(intervention, starts_on, season if count == 1 else f"{season} ({count})")

    def place(story: Story, offered_on: datetime.date, *, taken_up: bool, joined_on=None) -> Place:
        offered_on = max(offered_on, story.decision_on)
        replied_on = min(offered_on + datetime.timedelta(days=3), today) if taken_up else None
        return Place(story.reference, offered_on, "taken_up" if taken_up else "offered", replied_on, joined_on)

    runs: dict[str, list[GroupRun]] = {}  # intervention: its runs, the latest last
    for started_on, story, intervention in sorted(joining, key=lambda joiner: joiner[0]):
        intervention_runs = runs.setdefault(intervention, [])
        if not intervention_runs or not _open_to(intervention_runs[-1], started_on):
            intervention_runs.append(new_run(intervention, started_on))
        run = intervention_runs[-1]
        run.places.append(
            place(story, run.starts_on - datetime.timedelta(days=14), taken_up=True, joined_on=started_on)
        )
    every_run = [run for intervention_runs in runs.values() for run in intervention_runs]
    if waiting:
        next_run = new_run(NEXT_GROUP_INTERVENTION, _weekday(today + datetime.timedelta(weeks=5), later=True))
        next_run.places = [
            place(story, today - datetime.timedelta(days=7), taken_up=position % 2 == 0)
            for position, story in enumerate(waiting[:GROUP_PLACES])
        ]
        every_run.append(next_run)
    return every_run


def group_place_rows(runs: list[GroupRun]) -> list[dict]:
    rows = [
        {
            "reference": place.reference,
            "intervention": run.intervention,
            "programme_starts_on": run.starts_on,
            "programme_title": run.title,
            "offered_on": place.offered_on,
            "status": place.status,
            "responded_on": place.responded_on,
        }
        for run in runs
        for place in run.places
    ]
    return sorted(rows, key=lambda row: (row["reference"], row["intervention"], row["programme_starts_on"]))
