"""The import's second pass: one writer for each file, writing its records through the apps' own services.

A writer's `load()` reads the existing records of a chunk of rows at once; its `write()` creates one record, updates
it where it differs from the row, or leaves it unchanged, and says which.
"""

from monitoring.writers.bookings import AppointmentWriter, GroupPlaceWriter
from monitoring.writers.casework import InterventionWriter, OutcomeWriter, ReferralWriter
from monitoring.writers.workforce import AwarenessWriter, ConsultationWriter, TrainingWriter, UniversalWriter

WRITERS = {
    "referrals.csv": ReferralWriter,
    "interventions.csv": InterventionWriter,
    "outcomes.csv": OutcomeWriter,
    "training.csv": TrainingWriter,
    "consultations.csv": ConsultationWriter,
    "awareness.csv": AwarenessWriter,
    "universal.csv": UniversalWriter,
    "appointments.csv": AppointmentWriter,
    "group_places.csv": GroupPlaceWriter,
}
