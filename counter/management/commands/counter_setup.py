from django.core.management.base import BaseCommand

from counter.services.setup import counter_setup


class Command(BaseCommand):
    help = "Default tariffs for extra services (idempotent). Schedules come with migrate."

    def handle(self, *args, **options):
        result = counter_setup()
        self.stdout.write(f"Default tariffs created: {result['tariffs_created']}.")
