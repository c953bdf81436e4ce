"""The rows of each file, as a record stands on `today`, in the columns of data-contract.md section 1."""

import datetime

from demo.files.codes import ACCEPTED, IN_PROGRESS, NOT_ACCEPTED_DECISION, PENDING
from demo.files.stories import Episode, Questionnaire, Story

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


def referral_row(story: Story, today: datetime.date) -> dict:
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


def episode_row(story: Story, episode: Episode, today: datetime.date) -> dict:
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


def questionnaire_row(story: Story, questionnaire: Questionnaire) -> dict:
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
