from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "pairs"
    verbose_name = "Teams and people"

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model
        from django.utils.module_loading import autodiscover_modules
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Each app's `rules.py` grants its permissions. (django-rules' app is not installed: its template tag would
        # ask `user.has_perm`, see pairs/templatetags/rules.py.)
        autodiscover_modules("rules")

        from pairs import signals  # noqa: F401  (connects the sign-in log)
        from pairs.models import Membership, Team

        auditlog.register(Team)
        auditlog.register(Membership)
        # Who may administer, and who may sign in at all: each grant or withdrawal is in the audit trail.
        auditlog.register(get_user_model(), include_fields=["is_superuser", "is_staff", "is_active"])
        # Second factors set up and replaced; never their keys or codes.
        auditlog.register(TOTPDevice, include_fields=["name", "confirmed"])
        auditlog.register(StaticDevice, include_fields=["name", "confirmed"])
