from django.db.models import F

from pairs.models import Membership

SESSION_TEAM_KEY = "pairs_team_id"


def memberships_of(user) -> list[Membership]:
    """The person's active memberships, the most recently chosen team first."""
    if not user.is_authenticated:
        return []
    return list(Membership.objects.for_user(user).order_by(F("last_selected_at").desc(nulls_last=True), "team__name"))


def chosen_membership(memberships: list[Membership], session) -> Membership | None:
    """The membership of the team chosen in this session, else the one chosen most recently."""
    chosen = session.get(SESSION_TEAM_KEY)
    for membership in memberships:
        if membership.team_id == chosen:
            return membership
    return memberships[0] if memberships else None
