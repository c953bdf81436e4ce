"""The NHS font's source is opt-in: without DJANGO_CSP_FONT_SOURCES the browser may fetch fonts from the app only,
so that a laptop without internet refuses the Frutiger request at once instead of waiting for it."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
FONT_SOURCES = "from django.conf import settings; print(' '.join(settings.SECURE_CSP['font-src']))"


def _font_sources(**environment: str) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", **environment)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", FONT_SOURCES],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return result.stdout.strip()


def test_fonts_come_from_the_app_only_unless_a_source_is_set():
    assert _font_sources() == "'self'"
    assert _font_sources(DJANGO_CSP_FONT_SOURCES="https://assets.nhs.uk") == "'self' https://assets.nhs.uk"


def test_no_page_links_or_preloads_a_font_from_elsewhere(client, db):
    response = client.get(reverse("login"))
    assert "font-src 'self';" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "assets.nhs.uk" not in page
    assert 'rel="preload"' not in page
    assert 'rel="preconnect"' not in page
