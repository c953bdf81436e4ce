"""The fixed cast every test uses: a practitioner, a manager and a commissioner of team A, a practitioner of team B;
the test client, whose `force_login` passes the second step of sign-in too; and the demo team, for the modules that
start from the demo service."""

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from auditlog.context import disable_auditlog
from django.apps import apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.plugin import blocking_manager_key

from pairs.models import Role, Team
from pairs.rules import two_factor_required
from tests.demo_snapshot import demo_load
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, TeamFactory, UserFactory


class SignedInClient(Client):
    """`force_login` skips the steps of signing in: the second factor of those who need one (tests/pairs/
    test_two_factor.py signs in step by step), as well as the password."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        # Asked of a fresh copy: the test's own `user` object keeps no roles read before its memberships change.
        if two_factor_required(type(user).objects.get(pk=user.pk)):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="Test client", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client() -> SignedInClient:
    return SignedInClient()


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def team_a(db):
    return TeamFactory(name="Team A", slug="team-a")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="Team B", slug="team-b")


def _member(username: str, team, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, team=team, role=role)
    return user


@pytest.fixture
def practitioner(team_a):
    return _member("practitioner_a", team_a, Role.PRACTITIONER)


@pytest.fixture
def manager(team_a):
    return _member("manager_a", team_a, Role.MANAGER)


@pytest.fixture
def commissioner(team_a):
    return _member("commissioner_a", team_a, Role.COMMISSIONER)


@pytest.fixture
def practitioner_b(team_b):
    return _member("practitioner_b", team_b, Role.PRACTITIONER)


@pytest.fixture(scope="module")
def demo_team(django_db_setup, django_db_blocker) -> Iterator[Team]:
    """The demo service's team, the service loaded once for the module (loading takes a while) inside a transaction
    rolled back after it; each test runs in a savepoint of its own, as every database test does."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield Team.objects.get(slug="blackpool")
        transaction.set_rollback(True)


@pytest.fixture
def practitioner_client(client, practitioner):
    client.force_login(practitioner)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def commissioner_client(client, commissioner):
    client.force_login(commissioner)
    return client


@pytest.fixture
def practitioner_b_client(client, practitioner_b):
    client.force_login(practitioner_b)
    return client


def _seed_functions():
    """The `seed` function of every data migration of the project's apps, in migration order."""
    functions = []
    for app in ("pairs", "referrals", "outcomes", "training", "reports"):
        package = importlib.import_module(f"{app}.migrations")
        for module in sorted(info.name for info in pkgutil.iter_modules(package.__path__)):
            migration = importlib.import_module(f"{app}.migrations.{module}")
            if callable(getattr(migration, "seed", None)):
                functions.append(migration.seed)
    return functions


SEEDS = _seed_functions()


@pytest.fixture
def vocabularies(transactional_db):
    """The coded lists the data migrations seed, which an earlier transactional test has flushed away: for the
    tests that need committed data (the browser tests, the backup).

    Seeded again by the migrations' own (idempotent) functions before every such test: serialized rollback
    would trip over the content types that a flush re-creates.
    """
    vocabularies_seed()


def vocabularies_seed() -> None:
    """The migrations' seeds, run as the migrations ran them: without audit entries (a migration's historical
    models have none)."""
    with disable_auditlog():
        for seed in SEEDS:
            seed(apps, None)


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    requested = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    fixtures = getattr(item, "fixturenames", ())
    return requested or "transactional_db" in fixtures or "live_server" in fixtures


# Whether the test's setup ran (it may have failed, after a flush's worth of work): a test skipped there (a
# `skipif`) never had a test database, let alone flushed one.
_set_up = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "setup":
        item.stash[_set_up] = not report.skipped
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A transactional test ends with a flush, which empties the coded lists the migrations seed. Run alone, pytest
    puts those tests last; spread over processes (pytest-xdist), the next test in this process may be an ordinary one
    that expects the lists, so the database is put back as `migrate` left it once the flush is done."""
    result = yield
    # After the last test the test database itself is gone with the session's fixtures: nothing to seed. A test
    # skipped before its setup ran flushed nothing, and the first of a process has no test database to seed yet.
    if _is_transactional(item) and nextitem is not None and item.stash.get(_set_up, False):
        with item.config.stash[blocking_manager_key].unblock():
            database_as_migrated()
    return result


def database_as_migrated() -> None:
    """After a flush, the database row for row and key for key as `migrate` left it: the flush keeps counting the
    keys on, so the content types, the permissions and the seeded lists are made again from the first key, in the
    order `migrate` made them. A test after a transactional one then starts from the same state as the first test
    of its process, and the demo snapshot (tests/demo_snapshot.py) puts the demo back onto that state instead of
    loading it for real again (a minute on SQLite, more on PostgreSQL)."""
    call_command("flush", interactive=False, verbosity=0, reset_sequences=True, inhibit_post_migrate=True)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    vocabularies_seed()


# Generated-input tests (Hypothesis): 200 examples each, no deadline (a shared machine is slow now and then), and
# the test's own database fixtures shared by the examples, which add only what is valid. HYPOTHESIS_PROFILE=quick
# runs 20 while writing a test.
import os  # noqa: E402

from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

_SLOW_AND_SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
hypothesis_settings.register_profile("pairs", max_examples=200, deadline=None, suppress_health_check=_SLOW_AND_SHARED)
hypothesis_settings.register_profile("quick", max_examples=20, deadline=None, suppress_health_check=_SLOW_AND_SHARED)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "pairs"))
