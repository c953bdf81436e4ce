from django.db import transaction
from django.utils import timezone

from pairs.models import Membership


@transaction.atomic
def team_select(*, user, team_id: int) -> Membership:
    """Make `team_id` the team the person works in, remembered for their next sign-in.

    Raises Membership.DoesNotExist when the person has no active role in that team.
    """
    membership = Membership.objects.for_user(user).select_for_update().get(team_id=team_id)
    membership.last_selected_at = timezone.now()
    membership.save(update_fields=["last_selected_at"])
    return membership
