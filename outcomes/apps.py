from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self):
        from auditlog.registry import auditlog

        from outcomes.models import Questionnaire, SafetyAlert
        from outcomes.registry import registry

        # A broken definition should stop the server starting, not fail on the first questionnaire.
        registry()
        auditlog.register(Questionnaire)
        auditlog.register(SafetyAlert)
