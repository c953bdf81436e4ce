"""Who the monitoring commands act as: `--user USERNAME`, or the first superuser (data-contract.md, Attributed)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from pairs.models import Team


def command_actor(username: str | None):
    users = get_user_model().objects.filter(is_active=True)
    actor = (
        users.filter(username=username).first() if username else users.filter(is_superuser=True).order_by("pk").first()
    )
    if actor is None:
        raise CommandError(f"No active user {username!r}" if username else "No superuser to attribute the work to")
    return actor


def command_team(slug: str) -> Team:
    try:
        return Team.objects.get(slug=slug)
    except Team.DoesNotExist:
        raise CommandError(f"No team with the slug {slug!r} (create it with create_team)") from None
