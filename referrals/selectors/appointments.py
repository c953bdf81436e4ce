"""A practitioner's week of appointments."""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from pairs.models import Team
from referrals.models import (
    Appointment,
    Caregiver,
)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def practitioner_week(*, user, team: Team, practitioner, monday: datetime.date) -> list[tuple[datetime.date, list]]:
    """The practitioner's appointments in the week from `monday`, day by day (Monday to Sunday)."""
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min))
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("referral")).order_by("position")
    appointments = (
        Appointment.objects.visible_to(user, team)
        .filter(practitioner=practitioner, starts_at__gte=start, starts_at__lt=end)
        .select_related("referral")
        .annotate(family_name=Subquery(first_caregiver.values("name")[:1]))
        .order_by("starts_at")
    )
    days: dict[datetime.date, list] = {monday + datetime.timedelta(days=offset): [] for offset in range(7)}
    for appointment in appointments:
        days[timezone.localtime(appointment.starts_at).date()].append(appointment)
    return list(days.items())
