"""Group programmes with their places and sessions."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from pairs.models import Team
from pairs.rules import Perm, has_team_perm
from referrals.models import (
    Caregiver,
    GroupPlace,
    GroupProgramme,
    GroupSession,
    ReferralQuerySet,
)
from referrals.pipeline import Status
from referrals.selectors.referral import referral_list


def group_programmes(*, user, team: Team) -> QuerySet:
    """The team's group programmes with their places and sessions counted in the database."""
    if not has_team_perm(user, Perm.WORK_WITH_CASES, team):
        return GroupProgramme.objects.none()
    places = GroupPlace.objects.filter(programme=OuterRef("pk"))
    return (
        GroupProgramme.objects.in_team(team)
        .select_related("intervention")
        .annotate(
            offered=_count(places),
            taken_up=_count(places.filter(status=GroupPlace.Status.TAKEN_UP)),
            sessions_held=_count(GroupSession.objects.filter(programme=OuterRef("pk"))),
        )
    )


def _count(queryset) -> Coalesce:
    """A correlated COUNT of `queryset` (filtered on OuterRef("pk")), 0 when there is nothing to count."""
    counted = queryset.order_by().values(queryset.model._meta.get_field("programme").attname)
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField())


def group_programme_record(*, user, team: Team, pk: int) -> GroupProgramme:
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("referral")).order_by("position")
    places = (
        GroupPlace.objects.select_related("referral")
        .annotate(family_name=Subquery(first_caregiver.values("name")[:1]), attended=Count("sessions_attended"))
        .order_by("offered_on", "pk")
    )
    return get_object_or_404(
        group_programmes(user=user, team=team).prefetch_related(
            "facilitators",
            Prefetch("places", places),
            Prefetch("sessions", GroupSession.objects.prefetch_related("attendees")),
        ),
        pk=pk,
    )


def group_offer_candidates(*, user, team: Team, programme: GroupProgramme) -> ReferralQuerySet:
    """Accepted, open referrals of the team not yet offered a place on the programme, the longest waiting first."""
    return (
        referral_list(user=user, team=team)
        .filter(status_as_at__in=[Status.IN_PROGRESS, Status.ON_HOLD])
        .exclude(group_places__programme=programme)
        .order_by("received_on", "pk")
    )


def group_session_places(programme: GroupProgramme) -> QuerySet:
    """The places taken up on the programme: the families whose attendance a session records."""
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("referral")).order_by("position")
    return (
        programme.places.filter(status=GroupPlace.Status.TAKEN_UP)
        .select_related("referral")
        .annotate(family_name=Subquery(first_caregiver.values("name")[:1]))
    )
