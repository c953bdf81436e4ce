from django.contrib import admin

from pairs.admin import VocabularyAdmin
from referrals.models import (
    Complexity,
    DeclineReason,
    DisengagementReason,
    HoldReason,
    ImdPostcode,
    Intervention,
    ThriveLevel,
)


@admin.register(Intervention)
class InterventionAdmin(VocabularyAdmin):
    list_display = [*VocabularyAdmin.list_display, "format", "level"]
    list_filter = [*VocabularyAdmin.list_filter, "format", "level"]


for vocabulary in (Complexity, DisengagementReason, HoldReason, DeclineReason, ThriveLevel):
    admin.site.register(vocabulary, VocabularyAdmin)


@admin.register(ImdPostcode)
class ImdPostcodeAdmin(admin.ModelAdmin):
    """Read-only: the lookup is loaded with `manage.py load_imd_lookup`."""

    list_display = ["postcode", "lsoa_code", "imd_decile"]
    search_fields = ["postcode", "lsoa_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
