import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pairs.services import team_create


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--service-start: {value!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Create a team (a service). Does nothing if a team with that slug already exists."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--service-start", type=iso_date, default=None, help="YYYY-MM-DD")
        parser.add_argument("--year-start-month", type=int, default=4, choices=range(1, 13), metavar="N")

    def handle(self, *args, slug, name, service_start, year_start_month, **options):
        try:
            team, created = team_create(
                slug=slug, name=name, service_started_on=service_start, year_start_month=year_start_month
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created team {team.slug} ({team.name})"))
        else:
            self.stdout.write(f"Team {team.slug} already exists; nothing changed")
