from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_otp import user_has_device

from pairs.models import Membership, Team
from pairs.rules import two_factor_required
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


class TwoFactorMiddleware:
    """Between the password and every page, the second step for those who need one (`two_factor_required`): the
    code of their authenticator app, or its enrolment when they have none. The admin is behind it too.

    Only the pages of that step, signing out, the session keep-alive and the public pages are open before it.
    """

    OPEN_BEFORE_SECOND_STEP = {
        "two_factor_verify",
        "two_factor_enrol",
        "logout",
        "session_keep_alive",
        "accessibility",
        "healthz",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not two_factor_required(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in self.OPEN_BEFORE_SECOND_STEP:
            return None
        step = "two_factor_verify" if user_has_device(user) else "two_factor_enrol"
        return redirect_to_login(request.get_full_path(), reverse(step))
