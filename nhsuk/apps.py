from django.apps import AppConfig


class NhsukConfig(AppConfig):
    name = "nhsuk"
    verbose_name = "NHS.UK design system"
