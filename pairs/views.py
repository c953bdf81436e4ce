from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pairs import services
from pairs.forms import TeamSwitchForm
from pairs.models import Membership
from pairs.selectors import SESSION_TEAM_KEY


@require_POST
def team_switch(request):
    form = TeamSwitchForm(request.POST, memberships=request.memberships)
    if not form.is_valid():
        raise Http404("You are not a member of that team.")
    try:
        membership = services.team_select(user=request.user, team_id=form.cleaned_data["team"])
    except Membership.DoesNotExist:
        raise Http404("You are not a member of that team.") from None
    request.session[SESSION_TEAM_KEY] = membership.team_id
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "home:index"
    return redirect(next_url)


@require_POST
def session_keep_alive(request):
    """Touching the session (SESSION_SAVE_EVERY_REQUEST) restarts its 30-minute idle clock."""
    return HttpResponse(status=204)


@login_not_required
@require_GET
def accessibility_statement(request):
    return render(request, "pairs/accessibility.html")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means unhealthy, whatever its class
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """The 500 page (`handler500`), rendered without the request: whatever failed (the database, a middleware, the
    session) must not fail again while the page is drawn, and the page says nothing about what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render({"service_name": settings.SERVICE_NAME}))


def csrf_failure(request, reason=""):
    """The page of a form refused by the CSRF check (CSRF_FAILURE_VIEW), in the service's layout. The reason stays
    in the `django.security.csrf` log, not on the page."""
    return HttpResponseForbidden(loader.get_template("403_csrf.html").render(request=request))
