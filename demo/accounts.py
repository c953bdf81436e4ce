"""The demo service a newcomer signs in to: the Blackpool team and one account for each role.

Demo passwords (and the demo's authenticator key) are printed by `manage.py load_demo`; they are for a laptop and
the production smoke test, never for a real deployment (docs/adr/0007-two-factor.md).
"""

import base64
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from pairs.models import Membership, ReferencePattern, Role, Team
from pairs.services import two_factor_enrol

DEMO_TEAM = {
    "slug": "blackpool",
    "name": "Blackpool PaIRS",
    "commissioning_body": "NHS Lancashire and South Cumbria ICB",
    "births_per_year": 1480,
    "service_started_on": datetime.date(2023, 3, 1),
    "year_start_month": 3,
    # The references of its monitoring files (BPL-2023-0001, numbered afresh each year), which new referrals
    # carry on.
    "reference_prefix": "BPL-",
    "reference_pattern": ReferencePattern.YEAR_NUMBER,
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    role: Role | None
    is_superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("demo.practitioner", "demo-practitioner-pass", "Priya", "Testpractitioner", Role.PRACTITIONER),
    DemoAccount("demo.manager", "demo-manager-password", "Morgan", "Testmanager", Role.MANAGER),
    DemoAccount("demo.commissioner", "demo-commissioner-pass", "Chris", "Testcommissioner", Role.COMMISSIONER),
    DemoAccount("demo.admin", "demo-administrator-pass", "Alex", "Testadmin", None, is_superuser=True),
]


# The authenticator app of the demo accounts that sign in with two factors (the manager, the administrator): a
# published key, like their passwords, so that anyone can compute the demo's codes. Hex of b"PaIRS demo only key!".
DEMO_TWO_FACTOR_KEY = "50614952532064656d6f206f6e6c79206b657921"


def demo_two_factor_lines() -> list[str]:
    """What `load_demo` says about the second step of signing in, after the accounts."""
    if not settings.OTP_REQUIRED:
        return ["Two-factor sign-in is off here (DJANGO_OTP_REQUIRED=false): the passwords are enough."]
    key = base64.b32encode(bytes.fromhex(DEMO_TWO_FACTOR_KEY)).decode()
    return [
        "Two-factor sign-in: demo.manager and demo.admin then enter the code of an authenticator app set up with",
        f"  the key {key} (time-based, 6 digits), or print the current code with",
        "  .venv/bin/python -c 'from django_otp.oath import totp; "
        f"""print("%06d" % totp(bytes.fromhex("{DEMO_TWO_FACTOR_KEY}")))'""",
    ]


@transaction.atomic
def demo_accounts_create() -> tuple[Team, list[DemoAccount]]:
    """Create (or reset) the demo team and its accounts. Running it again changes nothing else."""
    team, _ = Team.objects.update_or_create(slug=DEMO_TEAM["slug"], defaults=DEMO_TEAM)
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.nhs.uk",
                "is_staff": account.is_superuser,
                "is_superuser": account.is_superuser,
                "is_active": True,
            },
        )
        user.set_password(account.password)
        user.save(update_fields=["password"])
        if account.role is not None:
            Membership.objects.update_or_create(user=user, team=team, defaults={"role": account.role})
        # Enrolled whether or not two-factor sign-in is on here, so that switching it on needs no new setup.
        needs_two_factor = account.is_superuser or account.role == Role.MANAGER
        if needs_two_factor and not TOTPDevice.objects.filter(user=user, key=DEMO_TWO_FACTOR_KEY).exists():
            two_factor_enrol(user=user, key=DEMO_TWO_FACTOR_KEY)
    return team, DEMO_ACCOUNTS


def demo_account_lines() -> list[str]:
    """The demo accounts as the terminal shows them, a heading and one line each, then the second step of signing
    in."""
    lines = ["Demo accounts (user name / password / role):"]
    for account in DEMO_ACCOUNTS:
        role = account.role.label if account.role else "administrator (Django admin)"
        lines.append(f"  {account.username:<20} {account.password:<26} {role}")
    return lines + demo_two_factor_lines()
