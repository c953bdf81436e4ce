"""The one permission gate for every app's views: a permission of `pairs.rules.Perm` in the team worked in."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from pairs.rules import Perm

View = Callable[..., HttpResponse]


def team_permission_required(permission: Perm) -> Callable[[View], View]:
    """Refuse (403) anyone without `permission` in the team they are working in (`request.team`)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def gated(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            team = getattr(request, "team", None)
            if team is None or not request.user.has_perm(permission, team):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        gated.permission = permission  # type: ignore[attr-defined]
        return gated

    return decorator
