import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from pairs import services
from pairs.forms import TeamSwitchForm, TwoFactorEnrolForm, TwoFactorVerifyForm
from pairs.models import Membership
from pairs.rules import two_factor_required
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


# Two-factor sign-in ------------------------------------------------------------------------------------------

# The key of an authenticator app being set up: kept in the session, saved only once a code proves the app has it.
SESSION_NEW_KEY = "pairs_two_factor_new_key"
# The recovery codes of the enrolment just made, shown once on the next page and then forgotten.
SESSION_RECOVERY_CODES = "pairs_two_factor_recovery_codes"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else reverse("home:index")


def _second_step_passed(request, device) -> None:
    """The session now carries more rights than the password gave it: a new session key, as at sign-in."""
    request.session.cycle_key()
    otp_login(request, device)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in: a code of the authenticator app, or a recovery code."""
    user = request.user
    if not two_factor_required(user) or user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect_to_login(_next_url(request), reverse("two_factor_enrol"))
    form = TwoFactorVerifyForm(request.POST or None)
    if form.is_valid():
        device = services.two_factor_check(user=user, code=form.cleaned_data["code"])
        if device is not None:
            _second_step_passed(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    f"You used a recovery code: {device.token_set.count()} are left. If you no longer have your "
                    "authenticator app, set up a new one under Two-factor sign-in at the foot of the page.",
                )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            "The code is not right, or has been used. Enter the code your app shows now, or a recovery code. "
            "After several wrong codes, wait a minute before you try again.",
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter the code the app shows."""
    user = request.user
    if not two_factor_required(user):
        return redirect("home:index")
    if user_has_device(user) and not user.is_verified():
        # Replacing the app takes the app (or a recovery code): the password alone must not be enough.
        return redirect_to_login(_next_url(request), reverse("two_factor_verify"))
    key = request.session.setdefault(SESSION_NEW_KEY, random_hex(20))
    device = TOTPDevice(user=user, key=key)
    form = TwoFactorEnrolForm(request.POST or None)
    if form.is_valid():
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
        if totp.verify(form.cleaned_data["code"], tolerance=device.tolerance):
            device, codes = services.two_factor_enrol(user=user, key=key, last_step=totp.t())
            _second_step_passed(request, device)
            del request.session[SESSION_NEW_KEY]
            request.session[SESSION_RECOVERY_CODES] = codes
            return redirect(f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("code", "That is not the code the app shows now. Check the app's clock is right, and try again.")
    qr_code = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string()
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": f"data:image/svg+xml;base64,{base64.b64encode(qr_code).decode()}",
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "replacing": user_has_device(user),
        },
    )


@require_GET
def two_factor_recovery_codes(request):
    """The recovery codes of the enrolment just made: shown this once, then kept nowhere but in the database."""
    codes = request.session.pop(SESSION_RECOVERY_CODES, None)
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes, "next": _next_url(request)})


def server_error(request):
    """The 500 page (`handler500`), rendered without the request: whatever failed (the database, a middleware, the
    session) must not fail again while the page is drawn, and the page says nothing about what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render({"service_name": settings.SERVICE_NAME}))


def csrf_failure(request, reason=""):
    """The page of a form refused by the CSRF check (CSRF_FAILURE_VIEW), in the service's layout. The reason stays
    in the `django.security.csrf` log, not on the page."""
    return HttpResponseForbidden(loader.get_template("403_csrf.html").render(request=request))
