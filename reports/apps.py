from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from auditlog.registry import auditlog

        from reports.models import KpiTarget, QuarterlyReport

        auditlog.register(KpiTarget)
        auditlog.register(QuarterlyReport, exclude_fields=["issued_pdf", "updated_at", "version"])
