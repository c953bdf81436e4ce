from django.core.management.base import BaseCommand

from demo.accounts import demo_account_lines
from demo.loader import demo_load


class Command(BaseCommand):
    help = (
        "Create the demo service (Blackpool PaIRS), one demo account for each role, and its history from the "
        "demo monitoring files through the monitoring import. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Leave the demo accounts out (scripts/run prints them once the server has started).",
        )

    def handle(self, *args, **options):
        # Each step as it starts, so that a person waiting at the terminal sees the load moving (-v 0: silent).
        say = self._say if options["verbosity"] > 0 else None
        result, _ = demo_load(say=say)
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo service ready: Blackpool PaIRS"))
        if not options["no_accounts"]:
            for line in demo_account_lines():
                self.stdout.write(line)

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
