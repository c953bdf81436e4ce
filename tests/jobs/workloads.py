"""Work for the jobs of the tests, named by module path as a report's function would be."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError

from jobs.runner import GeneratedFile
from pairs.models import Team


def report(*, actor, heading: str) -> GeneratedFile:
    return GeneratedFile(name="report.txt", content_type="text/plain", content=f"{heading} for {actor}".encode())


def broken_report(*, actor, slug: str) -> GeneratedFile:
    Team.objects.create(name="Written before the crash", slug=slug)
    raise RuntimeError("the report's code has a bug")


def refused_report(*, actor) -> GeneratedFile:
    raise ValidationError("Only the team's service manager can see the exact figures.")


def report_once_its_team_exists(*, actor, slug: str) -> GeneratedFile:
    if not Team.objects.filter(slug=slug).exists():
        raise RuntimeError(f"no team {slug} yet")
    return report(actor=actor, heading=slug)


def write_then_stall(*, actor, slug: str, written: str) -> GeneratedFile:
    """Writes, says so in the file `written`, then takes long enough for a test to kill its worker half way."""
    Team.objects.create(name="Written by a worker that dies", slug=slug)
    Path(written).touch()
    time.sleep(120)
    return report(actor=actor, heading=slug)
