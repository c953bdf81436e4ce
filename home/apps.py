from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages that compose the apps below: each role's landing page, the caseload and the waiting list."""

    name = "home"
    verbose_name = "Home"
