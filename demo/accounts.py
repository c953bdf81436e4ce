"""The demo service a newcomer signs in to: the Blackpool team and one account for each role.

Demo passwords are printed by `manage.py load_demo`; they are for a laptop, never for a real deployment.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from pairs.models import Membership, ReferencePattern, Role, Team

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
    return team, DEMO_ACCOUNTS


def demo_account_lines() -> list[str]:
    """The demo accounts as the terminal shows them, a heading and one line each."""
    lines = ["Demo accounts (user name / password / role):"]
    for account in DEMO_ACCOUNTS:
        role = account.role.label if account.role else "administrator (Django admin)"
        lines.append(f"  {account.username:<20} {account.password:<26} {role}")
    return lines
