from django.contrib import admin

from reports.models import KpiTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ["team", "kpi", "from_service_year", "annual_target"]
    list_filter = ["team", "kpi"]
