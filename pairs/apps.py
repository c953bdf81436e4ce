from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "pairs"
    verbose_name = "Teams and people"

    def ready(self):
        from auditlog.registry import auditlog

        from pairs import signals  # noqa: F401  (connects the sign-in log)
        from pairs.models import Membership, Team

        auditlog.register(Team)
        auditlog.register(Membership)
