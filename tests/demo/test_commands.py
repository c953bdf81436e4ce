from io import StringIO

import pytest
from django.core.management import call_command

from pairs.models import Membership, Team
from tests.demo_snapshot import demo_load

pytestmark = pytest.mark.django_db


def test_load_demo_creates_one_account_per_role_and_is_idempotent():
    demo_load()
    call_command("load_demo", stdout=StringIO())
    team = Team.objects.get(slug="blackpool")
    assert team.year_start_month == 3
    roles = set(Membership.objects.filter(team=team).values_list("role", flat=True))
    assert roles == {"practitioner", "manager", "commissioner"}
    assert Membership.objects.filter(team=team).count() == 3
