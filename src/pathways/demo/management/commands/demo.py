"""`pathways demo`: load the demo region, Yorkshire and the Humber, into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from pathways.core.errors import DomainError
from pathways.demo.region import database_is_empty, demo_load


class Command(BaseCommand):
    help = "Load the demo region (Yorkshire and the Humber) into an empty database, all or nothing."

    def add_arguments(self, parser):
        when = parser.add_mutually_exclusive_group()
        when.add_argument(
            "--if-empty", action="store_true",
            help="Load only if the database is empty; otherwise say so and succeed (used by `make run`).",
        )
        when.add_argument(
            "--force", action="store_true",
            help="Load alongside existing data, unless the demo's people are already there. Nothing is removed.",
        )

    def handle(self, *args, if_empty, force, **options):
        if if_empty and not database_is_empty():
            self.stdout.write("Database already has data; demo not loaded.")
            return
        try:
            counts = demo_load(force=force)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded the demo region, Yorkshire and the Humber: {places} places, {organisations} organisations, "
                "{people} people, {services} services, {opportunities} opportunities and {bids} bids."
                " `pathways demo_sign_ins` lists the sign-ins.".format(**counts)
            )
        )
