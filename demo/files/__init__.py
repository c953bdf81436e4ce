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

This package is plain Python (no Django): its codes (`codes.py`) are those of domain.md and data-contract.md.
"""

import csv
import datetime
from collections.abc import Sequence
from pathlib import Path

from demo.files.cohorts import later_cohort, number_references, window_cohort
from demo.files.published import WINDOW_END
from demo.files.rows import (
    AWARENESS_COLUMNS,
    CONSULTATION_COLUMNS,
    INSTRUMENT_ORDER,
    INTERVENTION_COLUMNS,
    OUTCOME_COLUMNS,
    REFERRAL_COLUMNS,
    TIMEPOINT_ORDER,
    TRAINING_COLUMNS,
    UNIVERSAL_COLUMNS,
    episode_row,
    questionnaire_row,
    referral_row,
)
from demo.files.stories import Story
from demo.files.workforce import awareness_rows, consultation_rows, training_rows, universal_rows


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
    stories = window_cohort() + later_cohort(today)
    number_references(stories)
    return stories


def write_demo_files(directory: Path, *, today: datetime.date) -> dict[str, int]:
    """Write the demo service's monitoring files, as they stand on `today`, into `directory`.

    Returns the number of rows written to each file. The same `today` always gives byte-identical files.
    """
    stories = demo_stories(today)
    episodes = [
        episode_row(story, episode, today)
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
        "referrals.csv": (REFERRAL_COLUMNS, [referral_row(story, today) for story in stories]),
        "interventions.csv": (INTERVENTION_COLUMNS, episodes),
        "outcomes.csv": (OUTCOME_COLUMNS, [questionnaire_row(*pair) for pair in questionnaires]),
        "training.csv": (
            TRAINING_COLUMNS,
            sorted(training_rows(today), key=lambda row: (row["date"], row["session_type"], row["title"])),
        ),
        "consultations.csv": (CONSULTATION_COLUMNS, consultation_rows(today)),
        "awareness.csv": (
            AWARENESS_COLUMNS,
            sorted(awareness_rows(today), key=lambda row: (row["date"], row["title"])),
        ),
        "universal.csv": (UNIVERSAL_COLUMNS, sorted(universal_rows(today), key=lambda row: row["date"])),
    }
    directory.mkdir(parents=True, exist_ok=True)
    return {name: _write(directory / name, columns, rows) for name, (columns, rows) in files.items()}
