"""`pathways load_postcodes PATH`: load postcode district centroids or the ONS Postcode Directory (CSV)."""

from django.core.management.base import BaseCommand, CommandError

from pathways.core.errors import DomainError
from pathways.directory.services.postcodes import postcodes_load


class Command(BaseCommand):
    help = (
        "Load where postcodes are, for distance search: a CSV of postcode districts (outcode, latitude, "
        "longitude, town, county) or the ONS Postcode Directory CSV (pcds, lat, long...). All or nothing; "
        "postcodes already loaded are updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file.")

    def handle(self, *args, path, **options):
        def progress(done):
            self.stdout.write(f"{done:,} postcodes read")

        try:
            result = postcodes_load(path=path, progress=progress if options["verbosity"] > 1 else None)
        except DomainError as error:
            raise CommandError(error.message) from None
        skipped = f" ({result.skipped:,} skipped: no location or no longer in use)" if result.skipped else ""
        noun = "postcode" if result.loaded == 1 else "postcodes"
        self.stdout.write(self.style.SUCCESS(f"Loaded {result.loaded:,} {noun} from the {result.layout}{skipped}."))
