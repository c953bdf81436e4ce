"""The list tables of workforce activity, rendered by the project's NHS.UK table template.

The totals row (tfoot) shows the totals of every record in the period, computed in the database by the list's
QuerySet (`totals()`), never summed from the rows of one page.
"""

import django_tables2 as tables
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from nhsuk.tables import NHSTable, NumericColumn
from training.models import AwarenessEvent, Consultation, Feedback, FeedbackKind, TrainingSession, UniversalOfferContact


def _total(field: str):
    return lambda table: table.totals[field]


def _records(singular: str, plural: str):
    def footer(table) -> str:
        count = table.totals["records"]
        return f"Total: {count} {singular if count == 1 else plural}"

    return footer


class ActivityTable(NHSTable):
    """A period's records with their totals. `change_url` names the edit page; `describe` a record for its link."""

    change_url = ""
    date = tables.Column(verbose_name="Date")
    change = tables.Column(
        verbose_name=mark_safe('<span class="nhsuk-u-visually-hidden">Actions</span>'),
        empty_values=(),
        accessor="pk",
    )

    class Meta(NHSTable.Meta):
        orderable = False
        sequence = ("date", "...", "change")

    def __init__(self, data, *, totals: dict, caption: str, **kwargs):
        super().__init__(data, **kwargs)
        self.totals = totals
        self.caption = caption

    def render_date(self, value):
        return date_format(value, "j M Y")

    def describe(self, record) -> str:
        return str(record)

    def render_change(self, record):
        return format_html(
            '<a class="nhsuk-link" href="{}">Change<span class="nhsuk-u-visually-hidden"> {}</span></a>',
            reverse(self.change_url, args=[record.pk]),
            self.describe(record),
        )


class TrainingSessionTable(ActivityTable):
    change_url = "training:session_edit"
    date = tables.Column(verbose_name="Date", footer=_records("session", "sessions"))
    session_type = tables.Column(verbose_name="Type")
    title = tables.Column()
    trainers = tables.Column(default="")
    places_offered = NumericColumn(verbose_name="Places", default="", footer=_total("places_offered"))
    participants = NumericColumn(footer=_total("participants"))
    feedback_returned = NumericColumn(verbose_name="Forms returned", default="", footer=_total("feedback_returned"))
    feedback_positive = NumericColumn(verbose_name="Rated positive", default="", footer=_total("feedback_positive"))

    class Meta(ActivityTable.Meta):
        model = TrainingSession
        fields = ()
        empty_text = "No training sessions in this period."

    def describe(self, record) -> str:
        return f"{record.title}, {date_format(record.date, 'j M Y')}"


class ConsultationTable(ActivityTable):
    change_url = "training:consultation_edit"
    date = tables.Column(verbose_name="Date", footer=_records("consultation", "consultations"))
    consultee_service = tables.Column(verbose_name="Consultee's service")
    sequence = NumericColumn(verbose_name="Number")
    mode = tables.Column()
    outcome = tables.Column()
    children = NumericColumn(verbose_name="Children discussed", default="Not recorded", footer=_total("children"))

    class Meta(ActivityTable.Meta):
        model = Consultation
        fields = ()
        empty_text = "No consultations in this period."

    def describe(self, record) -> str:
        return f"consultation {record.sequence} with {record.consultee_service}, {date_format(record.date, 'j M Y')}"


class AwarenessEventTable(ActivityTable):
    change_url = "training:awareness_event_edit"
    date = tables.Column(verbose_name="Date", footer=_records("event", "events"))
    title = tables.Column()
    audience = tables.Column()
    people_engaged = NumericColumn(footer=_total("people_engaged"))

    class Meta(ActivityTable.Meta):
        model = AwarenessEvent
        fields = ()
        empty_text = "No awareness events in this period."

    def describe(self, record) -> str:
        return f"{record.title}, {date_format(record.date, 'j M Y')}"


class UniversalOfferContactTable(ActivityTable):
    change_url = "training:universal_contact_edit"
    date = tables.Column(verbose_name="Date", footer=_records("day", "days"))
    offer = tables.Column()
    dyads = NumericColumn(verbose_name="Dyads reached", footer=_total("dyads"))

    class Meta(ActivityTable.Meta):
        model = UniversalOfferContact
        fields = ()
        empty_text = "No universal offer contacts in this period."

    def describe(self, record) -> str:
        return f"{record.offer}, {date_format(record.date, 'j M Y')}"


def _feedback_footer(table) -> str:
    totals = table.totals
    return (
        f"Total: {totals['records']} ({totals['compliment']} compliment{pluralize(totals['compliment'])}, "
        f"{totals['complaint']} complaint{pluralize(totals['complaint'])}, "
        f"{totals['service_user']} service-user feedback)"
    )


class FeedbackTable(ActivityTable):
    change_url = "training:feedback_edit"
    date = tables.Column(verbose_name="Received", footer=_feedback_footer)
    kind = tables.Column(verbose_name="Type")
    theme = tables.Column()
    status = tables.Column(
        verbose_name="Complaint",
        accessor="resolved_on",
        empty_values=(),
        footer=lambda table: f"{table.totals['open_complaints']} open",
    )

    class Meta(ActivityTable.Meta):
        model = Feedback
        fields = ()
        empty_text = "No feedback in this period."

    def render_status(self, record):
        if record.kind != FeedbackKind.COMPLAINT:
            return ""
        if record.resolved_on is None:
            return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', "orange", "Open")
        return format_html(
            '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong> {}',
            "green",
            "Resolved",
            date_format(record.resolved_on, "j M Y"),
        )

    def describe(self, record) -> str:
        return f"{record.get_kind_display().lower()} received {date_format(record.date, 'j M Y')}"
