from django.core.management.base import BaseCommand

from scheduling.roles import roles_ensure
from scheduling.services.demo import demo_seed


class Command(BaseCommand):
    help = "Load realistic demo data and one login per role (idempotent)."

    def handle(self, *args, **options):
        roles_ensure()
        result = demo_seed()
        self.stdout.write(f"Demo visits created: {result.created_appointments}.")
        self.stdout.write("Demo logins (user / password / role):")
        for username, password, role in result.logins:
            self.stdout.write(f"  {username:<14} {password:<10} {role}")
