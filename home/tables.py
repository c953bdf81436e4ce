"""The caseload's and the waiting list's tables: referrals, with what outcomes says each family is owed."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from nhsuk.tables import NHSTable, NumericColumn
from outcomes.selectors import outstanding_by_referral
from referrals.display import OPEN_STEP_LABELS, status_tag
from referrals.models import Pathway, Referral
from referrals.pipeline import Status
from referrals.selectors.clocks import is_long_hold


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Not assigned"


# A case reference on one line (static/pairs/pairs.css).
REFERENCE_ATTRS = {"td": {"class": "pairs-reference"}}

# A list of the signed-in person's own cases does not repeat their name on every row.
MY_LIST_LEAVES_OUT = ("assigned_practitioner",)


class CaseloadTable(NHSTable):
    caption = "Referrals"
    compact = True
    reference = tables.Column(verbose_name="Reference", linkify=True, attrs=REFERENCE_ATTRS)
    family_name = tables.Column(verbose_name="Caregiver", default="Not recorded")
    pathway = tables.Column(verbose_name="Pathway")
    status_as_at = tables.Column(verbose_name="Status")
    days_since_referral = NumericColumn(
        verbose_name="Days since referral", accessor="received_on", order_by=("-received_on", "-pk")
    )
    assigned_practitioner = tables.Column(
        verbose_name="Practitioner", order_by=("assigned_practitioner__first_name", "assigned_practitioner__last_name")
    )
    next_appointment_at = tables.Column(verbose_name="Next appointment", default="None booked")

    class Meta(NHSTable.Meta):
        model = Referral
        fields = ()
        order_by = ("-received_on",)
        empty_text = "No referrals match."

    @cached_property
    def outstanding(self) -> dict:
        """The questionnaires each referral on the page shown owes (outcomes), read once for the page: not for every
        referral the filters let through, most of which are on other pages. The page's rows are the ones the table
        then shows (the same evaluated queryset), so this adds no query."""
        shown = [row.record.pk for row in self.paginated_rows]
        return outstanding_by_referral(Referral.objects.filter(pk__in=shown))

    def render_pathway(self, record):
        return Pathway(record.pathway).label

    def render_status_as_at(self, value, record):
        """The status, the step of an open referral and the questionnaires the family is owed (outcomes), under it."""
        lines = [status_tag(value)]
        if value == Status.IN_PROGRESS:
            lines.append(OPEN_STEP_LABELS[record.stage_as_at])
        if is_long_hold(record, timezone.localdate()):
            days = (timezone.localdate() - record.stage_began_on).days
            lines.append(
                format_html('<strong class="nhsuk-tag nhsuk-tag--orange">Long hold</strong> {} days', f"{days:,}")
            )
        if due := self.outstanding.get(record.pk, []):
            lines.append(
                format_html(
                    '<a class="nhsuk-link" href="{}">{} questionnaire{} due'
                    '<span class="nhsuk-u-visually-hidden"> for {}</span></a>',
                    reverse("outcomes:referral", args=[record.pk]),
                    len(due),
                    "" if len(due) == 1 else "s",
                    record.reference,
                )
            )
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def render_days_since_referral(self, value):
        return (timezone.localdate() - value).days

    def render_assigned_practitioner(self, value):
        return _person(value)

    def render_next_appointment_at(self, value):
        """Day and time on two lines, which keeps the team's list inside the page's width."""
        starts_at = timezone.localtime(value)
        return format_html("{}<br>{}", date_format(starts_at, "D j M"), date_format(starts_at, "H:i"))


class WaitingListTable(CaseloadTable):
    caption = "Waiting for intervention"
    stage_as_at = tables.Column(verbose_name="Stage", orderable=False)
    accepted_on = tables.Column(verbose_name="Accepted", orderable=False)
    days_since_referral = NumericColumn(verbose_name="Days waiting", accessor="received_on", orderable=False)

    class Meta(CaseloadTable.Meta):
        sequence = (
            "reference",
            "family_name",
            "stage_as_at",
            "accepted_on",
            "days_since_referral",
            "assigned_practitioner",
            "next_appointment_at",
        )
        exclude = ("status_as_at", "pathway")
        orderable = False
        empty_text = "No accepted referrals are waiting for intervention."

    def render_stage_as_at(self, value):
        return OPEN_STEP_LABELS[value]

    def render_accepted_on(self, value):
        return date_format(value, "j M Y")


def _names(people) -> str:
    return format_html_join(mark_safe("<br>"), "{}", ((person.name or "Name not recorded",) for person in people))


class SearchResultsTable(NHSTable):
    """The families a search finds, in the order of their rank (`referrals.selectors.search`)."""

    caption = "Families found"
    compact = True
    reference = tables.Column(verbose_name="Reference", linkify=True, attrs=REFERENCE_ATTRS)
    caregivers = tables.Column(verbose_name="Caregivers", empty_values=())
    infants = tables.Column(verbose_name="Infant", empty_values=())
    status_as_at = tables.Column(verbose_name="Status")
    assigned_practitioner = tables.Column(verbose_name="Practitioner", empty_values=())

    class Meta(NHSTable.Meta):
        model = Referral
        fields = ()
        orderable = False

    def render_caregivers(self, record):
        return _names(record.caregivers.all())

    def render_infants(self, record):
        return _names(record.infants.all()) or "Not recorded"

    def render_status_as_at(self, value, record):
        if value == Status.IN_PROGRESS:
            return format_html("{}<br>{}", status_tag(value), OPEN_STEP_LABELS[record.stage_as_at])
        return status_tag(value)

    def render_assigned_practitioner(self, value):
        return _person(value)
