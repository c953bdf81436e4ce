from django.http import HttpRequest
from django.utils.cache import add_never_cache_headers

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


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in person is shown stays in a browser's cache or a proxy's: on a shared clinic computer the
    next person could otherwise go back to a family's record after sign-out.

    Every response to a signed-in person is marked, whatever the page: a rule by page would miss the next page that
    shows a name. Static files (served by WhiteNoise before this runs) and the public pages seen signed out stay
    cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"  # for HTTP/1.0 proxies, which ignore Cache-Control
        return response
