"""`pathways import_oruk PATH`: import Open Referral UK services, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from pathways.core.errors import DomainError
from pathways.directory.oruk.importing import FeedRefused, oruk_import
from pathways.directory.oruk.sources import documents_at


class _Progress:
    """Prints how far the import has gone, now and then."""

    def __init__(self, out, quiet: bool):
        self.out = out
        self.quiet = quiet
        self.total = None
        self.last = ""

    def set_total(self, total: int) -> None:
        self.total = total

    def advance(self, done: int, message: str = "") -> None:
        if not self.quiet and message and message != self.last and (done % 10_000 == 0 or done == self.total):
            self.out.write(message)
            self.last = message


class Command(BaseCommand):
    # The checks of the whole project cost a second or more at start; an import needs none of them.
    requires_system_checks = []
    help = (
        "Import Open Referral UK 3.0 services from PATH: a JSON list of full services (the /services/{id} "
        "shape), a page with 'contents', or a folder of ORUK CSV tables. Every record is checked first; if "
        "any has a problem, nothing is saved, every problem is listed (record, field, message) and the "
        "command fails. Importing the same feed again updates rather than duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .json file or a folder of CSV tables.")
        parser.add_argument("--draft", action="store_true",
                            help="Add new services as drafts instead of publishing them.")
        parser.add_argument("--quiet", action="store_true", help="Print only problems and the outcome.")
        parser.add_argument("--serial", action="store_true",
                            help="Check the whole feed before writing anything, in one process (slower).")

    def handle(self, *args, path, draft, quiet, serial, **options):
        def report(problem):
            self.stderr.write(str(problem))

        try:
            with documents_at(path) as documents:
                result = oruk_import(
                    documents=documents, by=None, source=str(path), publish=not draft,
                    progress=_Progress(self.stdout, quiet), on_problem=report, parallel=not serial,
                )
        except FeedRefused as refused:
            raise CommandError(refused.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(result.summary))
