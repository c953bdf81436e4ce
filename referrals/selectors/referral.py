"""Referrals: the lists, the record and its forms' scope, and the open referrals a new one may duplicate."""

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.models import CLINICAL_ROLES, Membership, Team
from referrals.models import (
    Appointment,
    Caregiver,
    GroupPlace,
    ImdPostcode,
    InterventionEpisode,
    LevelsRecord,
    PipelineEvent,
    Referral,
    ReferralQuerySet,
)
from referrals.pipeline import Stage, State, Status
from referrals.selectors.clocks import with_clock_dates, with_current_stage
from referrals.selectors.lifecycle import active_restriction
from referrals.validators import normalise_nhs_number, normalise_postcode

User = get_user_model()


def clinicians(team: Team) -> QuerySet:
    """The practitioners and service managers of the team: who can hold cases and see families."""
    members = Membership.objects.filter(team=team, is_active=True, role__in=CLINICAL_ROLES)
    return User.objects.filter(Exists(members.filter(user=OuterRef("pk")))).order_by("first_name", "last_name")


def referral_list(*, user, team: Team) -> ReferralQuerySet:
    """Referrals of the team with their current status, family name and next appointment, for every list."""
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("pk")).order_by("position")
    upcoming = Appointment.objects.filter(referral=OuterRef("pk"), outcome="", starts_at__gte=timezone.now()).order_by(
        "starts_at"
    )
    return (
        Referral.objects.visible_to(user, team)
        .with_current_status()
        .annotate(
            family_name=Subquery(first_caregiver.values("name")[:1]),
            next_appointment_at=Subquery(upcoming.values("starts_at")[:1]),
        )
        .select_related("assigned_practitioner", "referrer_service")
    )


def waiting_list(*, user, team: Team) -> ReferralQuerySet:
    """Accepted referrals not yet in intervention (waiting, or in assessment), the longest waiting first."""
    return (
        referral_list(user=user, team=team)
        .filter(status_as_at=Status.IN_PROGRESS, stage_as_at__in=[Stage.REFERRAL, Stage.ASSESSMENT])
        .order_by("received_on", "pk")
    )


def team_caseload_counts(*, user, team: Team) -> dict[str, int]:
    """How many of the team's referrals stand at each open step today, for the service manager: one query.

    Grouped by status and stage, each read once a referral: counted with a filter a step, the status subquery would
    be repeated in every count.
    """
    steps = {
        (Status.AWAITING_DECISION, Stage.REFERRAL): "awaiting_decision",
        (Status.IN_PROGRESS, Stage.REFERRAL): "waiting_for_assessment",
        (Status.IN_PROGRESS, Stage.ASSESSMENT): "in_assessment",
        (Status.IN_PROGRESS, Stage.INTERVENTION): "in_intervention",
    }
    counts = dict.fromkeys([*steps.values(), "on_hold"], 0)
    rows = (
        Referral.objects.visible_to(user, team)
        .with_current_status()
        .values_list("status_as_at", "stage_as_at")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for status, stage, n in rows:
        step = "on_hold" if status == Status.ON_HOLD else steps.get((status, stage))
        if step:
            counts[step] += n
    return counts


def referral_record(*, user, team: Team, pk: int) -> Referral:
    """One referral with everything its record page shows, or 404 outside the person's team."""
    queryset = (
        Referral.objects.visible_to(user, team)
        .with_current_status()
        .select_related("team", "referrer_service", "assigned_practitioner", "thrive_level", "created_by")
        .prefetch_related(
            "complexities",
            "caregivers",
            "infants",
            Prefetch(
                "events",
                PipelineEvent.objects.select_related(
                    "recorded_by", "decline_reason", "disengagement_reason", "hold_reason"
                ),
            ),
            Prefetch("appointments", Appointment.objects.select_related("practitioner")),
            Prefetch("interventions", InterventionEpisode.objects.select_related("intervention")),
            Prefetch("levels_history", LevelsRecord.objects.select_related("thrive_level", "recorded_by")),
            Prefetch(
                "group_places",
                GroupPlace.objects.select_related("programme__intervention").annotate(
                    attended=Count("sessions_attended")
                ),
            ),
        )
    )
    # The clocks and the current stage as the KPI engine defines them, in the record's own query.
    today = timezone.localdate()
    referral = get_object_or_404(with_current_stage(with_clock_dates(queryset, today), today), pk=pk)
    # Kept on the referral for the page's notice and for what the page offers (nothing while restricted).
    active_restriction(referral)
    return referral


def referral_in_scope(*, user, team: Team, pk: int) -> Referral:
    """The bare referral, for the forms that change it, or 404 outside the person's team."""
    return get_object_or_404(Referral.objects.visible_to(user, team).with_current_status(), pk=pk)


def open_referrals_matching(*, user, team: Team, caregivers: Sequence[dict]) -> list[Referral]:
    """Open referrals of the team with a caregiver of the same NHS number, or of the same name and date of birth."""
    match = Q()
    for caregiver in caregivers:
        nhs_number = normalise_nhs_number(caregiver.get("nhs_number", ""))
        if nhs_number:
            match |= Q(caregivers__nhs_number=nhs_number)
        name, born = (caregiver.get("name") or "").strip(), caregiver.get("date_of_birth")
        if name and born:
            match |= Q(caregivers__name__iexact=name, caregivers__date_of_birth=born)
    if not match:
        return []
    matching = Referral.objects.visible_to(user, team).filter(match).values("pk")
    return list(
        Referral.objects.filter(pk__in=matching)
        .open_as_at(timezone.localdate())
        .select_related("assigned_practitioner")
        .order_by("-received_on")
    )


def referral_state(referral: Referral) -> State | None:
    """The state left by the referral's latest event (None before its first): one query."""
    latest = referral.events.order_by("-occurred_on", "-sequence").values("status", "stage").first()
    if latest is None:
        return None
    return State(Status(latest["status"]), Stage(latest["stage"]))


def imd_decile_for_postcode(postcode: str) -> int | None:
    """The decile of the loaded lookup (`manage.py load_imd_lookup`), or None when the postcode is not in it."""
    if not postcode:
        return None
    lookup = ImdPostcode.objects.filter(postcode=normalise_postcode(postcode))
    return lookup.values_list("imd_decile", flat=True).first()
