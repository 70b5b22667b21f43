from django.core.management.base import BaseCommand
from django.utils import timezone

from scheduling.services.holidays import holiday_closures_propose


class Command(BaseCommand):
    help = "Propose Dutch public holidays as (unconfirmed) closures for every active location."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year + 1)

    def handle(self, *args, year, **options):
        created = holiday_closures_propose(year=year, actor=None)
        self.stdout.write(
            f"{len(created)} holiday closures proposed for {year}; confirm them in the admin."
        )
