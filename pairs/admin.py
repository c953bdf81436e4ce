from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from pairs.audit import page_access_record
from pairs.models import Membership, Service, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "commissioning_body", "births_per_year", "disclosure_control"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "is_active"]
    list_filter = ["team", "role", "is_active"]
    autocomplete_fields = ["user", "team"]


class VocabularyAdmin(admin.ModelAdmin):
    """Administrators extend the coded lists; codes are kept once records use them, so retire instead of deleting."""

    list_display = ["label", "code", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["label", "code"]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Service, VocabularyAdmin)


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditTrailAdmin(LogEntryAdmin):
    """The audit trail for administrators: who did what to which record and when, never what the record says.

    The changed fields are named, their values are not shown (they hold families' names and clinical details; the
    record's own history shows them to its team's service manager), and the search is by who acted, the record's
    reference or the correlation id, never by content. Every reading of the trail is itself an access entry.
    """

    search_fields = ["actor__username", "object_repr", "cid"]
    readonly_fields = ["created", "resource_url", "action", "user_url", "msg_short", "remote_addr", "additional_data"]
    fieldsets = [(None, {"fields": readonly_fields})]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        shown = getattr(response, "context_data", {}).get("cl")
        page_access_record(request, subject=LogEntry, shown=shown.result_list if shown is not None else ())
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        entry = self.get_object(request, object_id)
        if entry is not None:
            page_access_record(request, subject=LogEntry, shown=[entry])
        return response
