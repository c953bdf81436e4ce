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
        # The version counter only guards against stale edits; the audit records what changed, not the counter.
        auditlog.register(Questionnaire, exclude_fields=["version"])
        auditlog.register(SafetyAlert)
