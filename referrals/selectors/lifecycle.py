"""Reads of a family's records over their life: whether a referral is restricted, the history of corrections to its
family's details, and the team's records past their retention date (UK GDPR for health records)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pairs.models import Team
from pairs.periods import format_date
from referrals.audit import AuditRow, audit_rows
from referrals.models import (
    Correction,
    PipelineEvent,
    Referral,
    Restriction,
    RetentionDecision,
    RetentionReview,
)
from referrals.pipeline import CLOSED_STATUSES

RESTRICTION_KEPT_AS = "_active_restriction"


def active_restriction(referral: Referral) -> Restriction | None:
    """The referral's restriction in force, if any: one query, kept on the referral for the rest of the request
    (the record page's notice and its section both ask)."""
    if not hasattr(referral, RESTRICTION_KEPT_AS):
        restriction = Restriction.objects.active().filter(referral=referral).select_related("restricted_by").first()
        setattr(referral, RESTRICTION_KEPT_AS, restriction)
    return getattr(referral, RESTRICTION_KEPT_AS)


def unrestricted(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """The referrals without a restriction in force: what an export other than the subject access export holds."""
    return referrals.exclude(pk__in=Restriction.objects.active().values("referral_id"))


@dataclass(frozen=True)
class CorrectionRow:
    reason: str
    audit: AuditRow


def correction_history(referral: Referral) -> list[CorrectionRow]:
    """Each correction of the family's details, newest first: who, when, what changed from and to, and why. One
    query (the corrected records have no foreign key that the history names)."""
    corrections = list(
        Correction.objects.filter(referral=referral).select_related("log_entry__actor", "log_entry__content_type")
    )
    rows = audit_rows([correction.log_entry for correction in corrections])
    return [CorrectionRow(correction.reason, row) for correction, row in zip(corrections, rows, strict=True)]


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Retention:
    """When a referral's records reach the end of the team's retention period, and why that day."""

    retained_until: datetime.date
    why: str


def retention_of(*, team: Team, youngest_born: datetime.date | None, closed_on: datetime.date) -> Retention:
    """The later of the team's years after the youngest infant's birth (or due date) and its years after closure."""
    after_closure = years_after(closed_on, team.retention_years_after_closure)
    closure_why = f"{team.retention_years_after_closure} years after the referral closed on {format_date(closed_on)}"
    if youngest_born is None:
        return Retention(after_closure, closure_why)
    after_birth = years_after(youngest_born, team.retention_years_after_birth)
    if after_birth >= after_closure:
        born = format_date(youngest_born)
        birth_years = team.retention_years_after_birth
        return Retention(after_birth, f"{birth_years} years after the youngest infant's birth on {born}")
    return Retention(after_closure, closure_why)


@dataclass(frozen=True)
class RetentionRow:
    referral: Referral
    retention: Retention
    review: RetentionReview | None
    today: datetime.date

    @property
    def is_due(self) -> bool:
        """Not yet reviewed, or kept until a day that has come."""
        if self.review is None:
            return True
        keep_until = self.review.keep_until
        return self.review.decision == RetentionDecision.KEEP and keep_until is not None and keep_until <= self.today


def _closing_events():
    latest = PipelineEvent.objects.filter(referral=OuterRef("pk")).order_by("-occurred_on", "-sequence")
    return latest.values("status")[:1], latest.values("occurred_on")[:1]


def referrals_with_retention_facts(referrals: QuerySet[Referral]) -> QuerySet[Any]:
    """Annotate `youngest_born` (the latest infant's birth, or due date if unborn), `latest_status` and
    `latest_on` (the latest pipeline event's status and date)."""
    status, occurred_on = _closing_events()
    return referrals.annotate(
        youngest_born=Max(Coalesce("infants__date_of_birth", "infants__due_date")),
        latest_status=Subquery(status),
        latest_on=Subquery(occurred_on),
    )


def retention_of_referral(referral: Referral) -> Retention | None:
    """The referral's retention date, or None while it is open. One query."""
    facts = referrals_with_retention_facts(Referral.objects.filter(pk=referral.pk)).get()
    if facts.latest_status not in CLOSED_STATUSES:
        return None
    return retention_of(team=referral.team, youngest_born=facts.youngest_born, closed_on=facts.latest_on)


def retention_of_record(referral: Referral) -> Retention | None:
    """The same, from the record page's referral (`selectors.referral_record`): no query, its infants and events
    being loaded with it."""
    events = sorted(referral.events.all(), key=lambda event: (event.occurred_on, event.sequence))
    if not events or events[-1].status not in CLOSED_STATUSES:
        return None
    births = [infant.date_of_birth or infant.due_date for infant in referral.infants.all()]
    youngest = max((day for day in births if day), default=None)
    return retention_of(team=referral.team, youngest_born=youngest, closed_on=events[-1].occurred_on)


def records_past_retention(*, user, team: Team, today: datetime.date) -> list[RetentionRow]:
    """The team's closed referrals whose retention date has passed, oldest retention date first, each with its
    latest review. Two queries, however many records: the referrals with their facts, and their reviews.

    The database keeps only the referrals past both periods' ends (each end compared as a date `years` before
    today); the later end is the retention date, worked out here for those few."""
    born_by = years_after(today, -team.retention_years_after_birth)
    closed_by = years_after(today, -team.retention_years_after_closure)
    reviews = RetentionReview.objects.select_related("decided_by").order_by("-decided_at", "-pk")
    referrals = (
        referrals_with_retention_facts(Referral.objects.visible_to(user, team))
        .filter(latest_status__in=CLOSED_STATUSES, latest_on__lt=closed_by)
        .filter(Q(youngest_born__lt=born_by) | Q(youngest_born=None))
        .prefetch_related(Prefetch("retention_reviews", queryset=reviews, to_attr="reviews_newest_first"))
    )
    rows = [
        RetentionRow(
            referral,
            retention_of(team=team, youngest_born=referral.youngest_born, closed_on=referral.latest_on),
            next(iter(referral.reviews_newest_first), None),
            today,
        )
        for referral in referrals
    ]
    return sorted(rows, key=lambda row: (row.retention.retained_until, row.referral.reference))
