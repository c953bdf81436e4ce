from django.conf import settings

from pairs.rules import two_factor_required


def service(request):
    """The service name, the session-timeout settings, and whether the person signs in with two factors and has
    yet to pass the second (the menu waits until then), for the base template."""
    required = two_factor_required(request.user)
    return {
        "service_name": settings.SERVICE_NAME,
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "two_factor_required": required,
        "two_factor_pending": required and not request.user.is_verified(),
    }
