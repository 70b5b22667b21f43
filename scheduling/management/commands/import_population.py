from django.core.management.base import BaseCommand, CommandError

from scheduling.services.reference import population_import


class Command(BaseCommand):
    help = "Import CBS population figures from a CSV with columns cbs_code, population, year."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        result = population_import(path=path)
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(result.errors)} error(s).")
        self.stdout.write(f"Imported {result.imported} population figure(s).")
