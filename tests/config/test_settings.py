"""The production configuration: `check --deploy` is clean, and the app refuses to start without a real key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_READ_DOT_ENV": "false",
    "DJANGO_SECRET_KEY": "p" + "roduction-like-key-9f8e7d6c5b4a3z2y1x0w-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789",
    "DJANGO_ALLOWED_HOSTS": "pairs.example.nhs.uk",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_HSTS_SECONDS": "31536000",
}


def _manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, cwd=ROOT
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENVIRONMENT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_refuses_to_start_without_a_secret_key():
    environment = {**PRODUCTION_ENVIRONMENT, "DJANGO_SECRET_KEY": ""}
    result = _manage("check", **environment)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_refuses_a_django_insecure_key():
    environment = {**PRODUCTION_ENVIRONMENT, "DJANGO_SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}
    result = _manage("check", **environment)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
