from django.core.management.base import BaseCommand

from demo.accounts import demo_two_factor_lines
from demo.loader import demo_load


class Command(BaseCommand):
    help = (
        "Create the demo service (Blackpool PaIRS), one demo account for each role, and its history from the "
        "demo monitoring files through the monitoring import. Idempotent."
    )

    def handle(self, *args, **options):
        result, accounts = demo_load()
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo service ready: Blackpool PaIRS"))
        self.stdout.write("Demo accounts (user name / password / role):")
        for account in accounts:
            role = account.role.label if account.role else "administrator (Django admin)"
            self.stdout.write(f"  {account.username:<20} {account.password:<26} {role}")
        self.stdout.write("\n".join(demo_two_factor_lines()))
