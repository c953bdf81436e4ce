from django.contrib import admin

from pairs.admin import VocabularyAdmin
from referrals.models import Intervention


@admin.register(Intervention)
class InterventionAdmin(VocabularyAdmin):
    list_display = [*VocabularyAdmin.list_display, "format", "level"]
    list_filter = [*VocabularyAdmin.list_filter, "format", "level"]
