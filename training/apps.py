from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Workforce activity"

    def ready(self):
        from auditlog.registry import auditlog

        from training.models import (
            AwarenessEvent,
            Consultation,
            ConsultationChild,
            Feedback,
            TrainingAttendance,
            TrainingSession,
            UniversalOfferContact,
        )

        for model in (
            TrainingSession,
            TrainingAttendance,
            Consultation,
            ConsultationChild,
            AwarenessEvent,
            UniversalOfferContact,
            Feedback,
        ):
            auditlog.register(model)
