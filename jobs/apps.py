from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from auditlog.registry import auditlog

        from jobs.models import BackgroundJob

        # Who asked for what is on the job itself; the audit trail keeps each change of status and each download
        # of its file (an access entry), not the results, which can be long.
        auditlog.register(BackgroundJob, include_fields=["status"])
