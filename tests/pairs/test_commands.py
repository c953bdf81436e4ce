import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pairs.models import Team

pytestmark = pytest.mark.django_db


def test_create_team_creates_then_does_nothing():
    out = StringIO()
    call_command(
        "create_team",
        "leap",
        "--name",
        "LEAP PAIRS",
        "--service-start",
        "2019-04-01",
        "--year-start-month",
        "4",
        stdout=out,
    )
    team = Team.objects.get(slug="leap")
    assert (team.name, team.service_started_on, team.year_start_month) == ("LEAP PAIRS", datetime.date(2019, 4, 1), 4)
    call_command("create_team", "leap", "--name", "Another name", stdout=out)
    assert Team.objects.get(slug="leap").name == "LEAP PAIRS"
    assert "already exists" in out.getvalue()


def test_create_team_rejects_a_bad_date():
    with pytest.raises(CommandError, match="not a date"):
        call_command("create_team", "x", "--name", "X", "--service-start", "2019-13-01")
    assert not Team.objects.filter(slug="x").exists()
