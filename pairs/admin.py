from django.contrib import admin

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
