from django.http import HttpRequest

from pairs.models import Membership, Team
from pairs.selectors import chosen_membership, memberships_of


class TeamRequest(HttpRequest):
    """A request as a view behind `pairs.gates.team_permission_required` sees it, once `CurrentTeamMiddleware` has
    run and the gate has let it through (so there is a team): for type annotations only."""

    memberships: list[Membership]
    membership: Membership
    team: Team


class CurrentTeamMiddleware:
    """Sets `request.memberships`, `request.membership` and `request.team` (the team worked in now, or None).

    The choice is kept in the session; at the start of a session it is the team the person last chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = memberships_of(request.user)
        request.membership = chosen_membership(request.memberships, request.session)
        request.team = request.membership.team if request.membership else None
        return self.get_response(request)
