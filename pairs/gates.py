"""The one permission gate for every app's views: a permission of `pairs.rules.Perm` in the team worked in."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from pairs.rules import Perm, has_team_perm

View = Callable[..., HttpResponse]


def team_permission_required(permission: Perm) -> Callable[[View], View]:
    """Refuse (403) anyone without `permission` in the team they are working in (`request.team`)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def gated(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            permission_check(request, permission)
            return view(request, *args, **kwargs)

        gated.permission = permission  # type: ignore[attr-defined]
        return gated

    return decorator


def team_member_required(view: View) -> View:
    """Refuse (403) anyone not working in a team, for a view that loads its record in the team first (404 outside
    it) and only then checks the permission to act on it (`permission_check`): someone of another team is not told
    that the record exists, whatever their role."""

    @wraps(view)
    def gated(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(request, "team", None) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return gated


def permission_check(request: HttpRequest, permission: Perm) -> None:
    """Refuse (403) a person without `permission` in the team they are working in."""
    if not has_team_perm(request.user, permission, getattr(request, "team", None)):
        raise PermissionDenied
