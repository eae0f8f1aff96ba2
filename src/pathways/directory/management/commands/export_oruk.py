"""`pathways export_oruk PATH`: write the published services as Open Referral UK 3.0."""

from django.core.management.base import BaseCommand, CommandError

from pathways.core.errors import DomainError
from pathways.directory.oruk.exporting import oruk_export


class Command(BaseCommand):
    help = (
        "Write every published service to PATH as Open Referral UK 3.0: a JSON list of full services "
        "(the /services/{id} shape), or with --csv a folder of ORUK CSV tables. Either can be read back "
        "by import_oruk."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .json file, or the folder with --csv.")
        parser.add_argument("--csv", action="store_true", help="Write a folder of CSV tables instead of JSON.")

    def handle(self, *args, path, csv, **options):
        try:
            count = oruk_export(path=path, as_tables=csv, by=None)
        except (DomainError, OSError) as error:
            raise CommandError(getattr(error, "message", str(error))) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {count:,} published services to {path}."))
