import datetime

from django.db import transaction
from django.utils import timezone

from pairs.models import Membership, Team


@transaction.atomic
def team_select(*, user, team_id: int) -> Membership:
    """Make `team_id` the team the person works in, remembered for their next sign-in.

    Raises Membership.DoesNotExist when the person has no active role in that team.
    """
    membership = Membership.objects.for_user(user).select_for_update().get(team_id=team_id)
    membership.last_selected_at = timezone.now()
    membership.save(update_fields=["last_selected_at"])
    return membership


@transaction.atomic
def team_create(
    *, slug: str, name: str, service_started_on: datetime.date | None = None, year_start_month: int = 4
) -> tuple[Team, bool]:
    """Create a team, or return the existing one with that slug unchanged (data-contract.md, `create_team`)."""
    existing = Team.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    team = Team(slug=slug, name=name, service_started_on=service_started_on, year_start_month=year_start_month)
    team.full_clean()
    team.save()
    return team, True
