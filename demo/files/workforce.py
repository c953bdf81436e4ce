"""Workforce activity: training sessions, consultations, awareness events and universal offers."""

import datetime
import random

from demo.files.distributions import AWARENESS_TITLES, TRAINING_TITLES
from demo.files.draws import (
    DAY,
    SEED,
    allocate,
    calendar_months,
    distinct_days,
    month_rng,
    pick,
    share_of_month,
    working_day_between,
)
from demo.files.published import (
    AWARENESS_EVENTS,
    CHILDREN,
    CHILDREN_RECORDED_IN,
    CONSULTATION_OUTCOMES,
    CONSULTATION_SERVICES,
    PEOPLE_ENGAGED,
    TRAINING,
    UNIVERSAL_COURSES,
    UNIVERSAL_DYADS,
    WINDOW_END,
    WINDOW_START,
)


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


def training_rows(today: datetime.date) -> list[dict]:
    rng = random.Random(f"{SEED}:training")
    rows = []
    for session_type, sessions, participants, (low, high), extra_places in TRAINING:
        counts = allocate(rng, participants, sessions, low, high)
        for day, count in zip(distinct_days(rng, WINDOW_START, WINDOW_END, sessions), counts, strict=True):
            rows.append(_training_session(rng, day, session_type, count, extra_places))
    for first, last in calendar_months(WINDOW_END + DAY, today):
        rng = month_rng("training", first)
        share = share_of_month(first, last)
        planned = {  # session type: (sessions this month, participants per session, extra places)
            "introduction": (max(1, round(rng.randint(3, 6) * share)), (4, 14), (0, 6)),
            "imh_pir": (round((rng.random() < 0.5) * share), (5, 10), (0, 4)),
            "bitesize": (round((rng.random() < 0.3) * share), (20, 60), (0, 20)),
            "other": (round((rng.random() < 0.2) * share), (6, 20), (0, 6)),
        }
        for session_type, (sessions, (low, high), extra_places) in planned.items():
            for day in distinct_days(rng, first, last, sessions):
                rows.append(_training_session(rng, day, session_type, rng.randint(low, high), extra_places))
    return rows


def consultation_rows(today: datetime.date) -> list[dict]:
    rng = random.Random(f"{SEED}:consultations")
    services = [code for code, count in CONSULTATION_SERVICES for _ in range(count)]
    outcomes = [code for code, count in CONSULTATION_OUTCOMES for _ in range(count)]
    rng.shuffle(services)
    rng.shuffle(outcomes)
    children = dict.fromkeys(range(len(services)))
    recorded = rng.sample(sorted(children), CHILDREN_RECORDED_IN)
    counts = allocate(rng, CHILDREN, CHILDREN_RECORDED_IN, 1, 3, draw=lambda: rng.choices((1, 2, 3), (6, 2, 1))[0])
    children.update(zip(recorded, counts, strict=True))
    rows = [
        {
            "date": working_day_between(rng, WINDOW_START, WINDOW_END),
            "consultee_service": service,
            "outcome": outcome,
            "children": children[n],
        }
        for n, (service, outcome) in enumerate(zip(services, outcomes, strict=True))
    ]
    service_weights = dict(CONSULTATION_SERVICES)
    outcome_weights = {**dict(CONSULTATION_OUTCOMES), "advice_only": 6}
    for first, last in calendar_months(WINDOW_END + DAY, today):
        rng = month_rng("consultations", first)
        for _ in range(max(1, round(rng.randint(4, 8) * share_of_month(first, last)))):
            rows.append(
                {
                    "date": working_day_between(rng, first, last),
                    "consultee_service": pick(rng, service_weights),
                    "outcome": pick(rng, outcome_weights),
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


def awareness_rows(today: datetime.date) -> list[dict]:
    rng = random.Random(f"{SEED}:awareness")
    days = distinct_days(rng, WINDOW_START, WINDOW_END, AWARENESS_EVENTS)
    people = allocate(rng, PEOPLE_ENGAGED, AWARENESS_EVENTS, 15, 120)
    rows = [
        {"date": day, "title": rng.choice(AWARENESS_TITLES), "people_engaged": count}
        for day, count in zip(days, people, strict=True)
    ]
    for first, last in calendar_months(WINDOW_END + DAY, today):
        rng = month_rng("awareness", first)
        for day in distinct_days(rng, first, last, round(rng.choice((0, 1, 1, 2)) * share_of_month(first, last))):
            rows.append({"date": day, "title": rng.choice(AWARENESS_TITLES), "people_engaged": rng.randint(10, 80)})
    return rows


def universal_rows(today: datetime.date) -> list[dict]:
    """Infant massage courses in the family hubs, counted by the date each course began."""
    rng = random.Random(f"{SEED}:universal")
    days = distinct_days(rng, WINDOW_START, WINDOW_END, UNIVERSAL_COURSES)
    dyads = allocate(rng, UNIVERSAL_DYADS, UNIVERSAL_COURSES, 2, 8)
    rows = [{"date": day, "offer": "infant_massage", "dyads": count} for day, count in zip(days, dyads, strict=True)]
    for first, last in calendar_months(WINDOW_END + DAY, today):
        rng = month_rng("universal", first)
        for day in distinct_days(rng, first, last, int(share_of_month(first, last) >= 0.25)):
            rows.append({"date": day, "offer": "infant_massage", "dyads": rng.randint(3, 8)})
    return rows
