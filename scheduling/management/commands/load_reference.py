from django.core.management.base import BaseCommand

from core.roles import roles_ensure
from scheduling.services.catalog import service_catalog_ensure
from scheduling.services.reference import reference_load


class Command(BaseCommand):
    help = "Load regions, the 56 Noord-Brabant municipalities, the services and roles (idempotent)."

    def handle(self, *args, **options):
        result = reference_load()
        service_catalog_ensure()
        roles_ensure()
        self.stdout.write(
            f"Regions created: {result.regions_created}; municipalities created: "
            f"{result.municipalities_created}, already present: {result.municipalities_unchanged}."
        )
