"""django-tables2 tables of casework, rendered by the generic NHS.UK template `templates/tables/nhsuk_table.html`."""

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html

from nhsuk.tables import NHSTable, NumericColumn
from referrals.models import GroupProgramme


class GroupProgrammeTable(NHSTable):
    caption = "Group programmes"
    title = tables.Column(verbose_name="Programme", linkify=True)
    intervention = tables.Column(verbose_name="Intervention", order_by=("intervention__label",))
    starts_on = tables.Column(verbose_name="Starts")
    places_offered = NumericColumn(verbose_name="Places")
    offered = NumericColumn(verbose_name="Offered")
    taken_up = NumericColumn(verbose_name="Taken up")
    sessions_held = NumericColumn(verbose_name="Sessions held")

    class Meta(NHSTable.Meta):
        model = GroupProgramme
        fields = ()
        order_by = ("-starts_on",)
        empty_text = "No group programmes yet."

    def render_starts_on(self, value):
        return date_format(value, "j M Y")

    def render_sessions_held(self, value, record):
        return format_html("{} of {}", value, record.sessions_planned)
