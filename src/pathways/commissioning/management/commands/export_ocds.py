"""`pathways export_ocds PATH`: one OCDS 1.1 release package of every published process, written to PATH.

The releases are built and written one process at a time (never the whole package in memory), each checked
against the release schema as it goes, and the package's own fields against the package schema. If anything
fails to validate, the command says what and exits with a non-zero status, and no file is left behind.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pathways.commissioning.ocds import packages, validation
from pathways.commissioning.ocds.releases import published_opportunities

MAX_LISTED = 20


class Command(BaseCommand):
    help = "Write one OCDS 1.1 release package of every published process to PATH."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file to write.")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.is_dir():
            raise CommandError(f"{path} is a folder: give the name of the file to write.")
        problems: list[str] = []
        written: list[str] = []
        uri = settings.SITE_URL.rstrip("/") + "/api/v1/ocds/releases/"

        def checked(releases):
            for release in releases:
                problems.extend(f"release {release['id']}: {problem}" for problem in validation.release_errors(release))
                if not written:
                    package = packages.release_package([release], uri=uri)
                    problems.extend(f"package: {problem}" for problem in validation.release_package_errors(package))
                written.append(release["id"])
                yield release

        releases = packages.releases_for(published_opportunities().iterator(chunk_size=100))
        partial = target.with_name(target.name + ".partial")
        try:
            with open(partial, "w", encoding="utf-8") as handle:
                for chunk in packages.release_package_stream(checked(releases), uri=uri):
                    handle.write(chunk)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {path}: {error.strerror or error}.") from error
        if not written:
            problems.append("there is no published process yet, and a release package needs at least one release")
        if len(set(written)) != len(written):
            problems.append("package: two releases have the same id")
        if problems:
            partial.unlink(missing_ok=True)
            listed = "\n".join(f"  {problem}" for problem in problems[:MAX_LISTED])
            more = f"\n  ... and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
            raise CommandError(f"Nothing written: the release package does not validate against OCDS 1.1:\n{listed}{more}")
        os.replace(partial, target)
        count = len(written)
        self.stdout.write(f"Wrote {count} release{'s' if count != 1 else ''} to {path}.")
