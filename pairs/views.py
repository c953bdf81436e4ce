from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pairs import services
from pairs.forms import PeriodForm, TeamSwitchForm
from pairs.models import Membership, Role
from pairs.selectors import SESSION_TEAM_KEY
from referrals.selectors import team_caseload_counts
from reports.selectors import kpi_figures, kpi_table


def home(request):
    """Each role's own landing page in the team being worked in: the practitioner's caseload, the service
    manager's dashboard (today's cases and this quarter's KPIs), the commissioner's quarterly figures."""
    membership = request.membership
    if membership is None:
        return render(request, "pairs/home_no_team.html")
    context = {}
    if membership.role in (Role.MANAGER, Role.COMMISSIONER):
        period = PeriodForm.for_team(None, team=request.team).chosen
        figures = kpi_figures(user=request.user, team=request.team, period=period)
        context.update(period=period, figures=figures, kpis=kpi_table(figures))
    if membership.role == Role.MANAGER:
        context["cases"] = team_caseload_counts(user=request.user, team=request.team)
    return render(request, f"pairs/home_{membership.role}.html", context)


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
        next_url = "home"
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
