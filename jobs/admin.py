from django.contrib import admin

from jobs.models import BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """For looking into a job (its worker, its task's id in django-tasks-db's table); jobs change only by running."""

    list_display = ["title", "kind", "team", "requested_by", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "kind", "team"]
    search_fields = ["id", "title", "requested_by__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
