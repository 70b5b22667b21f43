from django.core.management.base import BaseCommand
from django.db import transaction

from core.hooks import hooks_call
from core.roles import roles_ensure


class Command(BaseCommand):
    help = "Load realistic demo data and one login per role (idempotent)."

    def handle(self, *args, **options):
        roles_ensure()
        logins = []
        with transaction.atomic():
            for result in hooks_call("DEMO_SEEDERS").values():
                if result is None:
                    continue
                created = getattr(result, "created_appointments", None)
                if created is not None:
                    self.stdout.write(f"Demo visits created: {created}.")
                logins += getattr(result, "logins", [])
        self.stdout.write("Demo logins (user / password / role):")
        for username, password, role in logins:
            self.stdout.write(f"  {username:<14} {password:<10} {role}")
