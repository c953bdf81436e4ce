"""Settings for the test suite: the project's own, with a throwaway key and plain-HTTP cookies."""

import os
import tempfile

# The suite is hermetic: a developer's .env never changes what the tests see.
os.environ["DJANGO_READ_DOT_ENV"] = "false"

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "k3y-" * 12)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")

from config.settings import *  # noqa: F403

# On SQLite the test database is a file, not Django's in-memory default: an in-memory database is one connection
# that the live server's thread shares with the test's, so a request the browser still has in flight when the next
# test starts would interleave its savepoints with that test's ("no such savepoint"). A file gives each thread its
# own connection. A throwaway database need not survive a power cut, hence synchronous=OFF.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"pairs-tests-{os.getpid()}.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"  # noqa: F405

# Each test gets a fresh connection; the pool would keep connections across the test database's lifetime.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CRISPY_FAIL_SILENTLY = False
# A task runs as it is enqueued, in the test's own transaction (the worker's queue has tests of its own).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT = None  # type: ignore[assignment]  # served from the finders; nothing is collected for tests
