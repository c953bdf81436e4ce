from django.conf import settings


def service(request):
    """The service name and the session-timeout settings, for the base template."""
    return {
        "service_name": settings.SERVICE_NAME,
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
