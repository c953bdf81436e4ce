from django.core.management.base import BaseCommand

from demo.accounts import demo_account_lines


class Command(BaseCommand):
    help = "Print the demo accounts that `manage.py load_demo` creates (user name, password, role)."

    def handle(self, *args, **options):
        for line in demo_account_lines():
            self.stdout.write(line)
