from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from auditlog.registry import auditlog

        from referrals import hooks
        from reports.models import KpiTarget, QuarterlyReport
        from reports.subject_access.panels import SUBJECT_ACCESS_PANEL

        auditlog.register(KpiTarget)
        auditlog.register(QuarterlyReport, exclude_fields=["issued_pdf", "updated_at", "version"])
        hooks.record_panel_register(SUBJECT_ACCESS_PANEL)
