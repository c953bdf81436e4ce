"""Every sign-in, sign-out and failed sign-in goes to the `pairs.security` log, never with the password."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("pairs.security")


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info("login user=%s address=%s", user.get_username(), _client_address(request))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else "-"
    logger.info("logout user=%s address=%s", username, _client_address(request))


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in `credentials`; only the username is recorded.
    logger.warning("login-failed user=%s address=%s", credentials.get("username", "-"), _client_address(request))
