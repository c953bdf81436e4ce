from django.core.management.base import BaseCommand

from pairs.demo import demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo service (Blackpool PaIRS) and one demo account for each role. Idempotent."

    def handle(self, *args, **options):
        team, accounts = demo_accounts_create()
        self.stdout.write(self.style.SUCCESS(f"Demo service ready: {team.name}"))
        self.stdout.write("Demo accounts (user name / password / role):")
        for account in accounts:
            role = account.role.label if account.role else "administrator (Django admin)"
            self.stdout.write(f"  {account.username:<20} {account.password:<26} {role}")
