from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self):
        from auditlog.registry import auditlog

        from outcomes.hooks import OUTCOMES_PANEL, t2_questionnaires_guard
        from outcomes.models import Questionnaire, SafetyAlert
        from outcomes.registry import registry
        from referrals import hooks

        # A broken definition should stop the server starting, not fail on the first questionnaire.
        registry()
        # The version counter only guards against stale edits; the audit records what changed, not the counter.
        auditlog.register(Questionnaire, exclude_fields=["version"])
        auditlog.register(SafetyAlert)
        hooks.completion_guard_register(t2_questionnaires_guard)
        hooks.record_panel_register(OUTCOMES_PANEL)
