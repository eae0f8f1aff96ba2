"""`pathways first_curator`: the first infrastructure body and its curator, on a new installation."""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from pathways.core.errors import DomainError
from pathways.organisations.services import first_curator_create

PASSWORD_VARIABLE = "PATHWAYS_FIRST_CURATOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create the first infrastructure body and its first person, who curates the knowledge base and "
        "manages the body (and so can invite colleagues). Refused once anyone curates. The password is "
        f"asked for twice, or read from {PASSWORD_VARIABLE} when there is no one to ask."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The infrastructure body's name.")
        parser.add_argument("--email", required=True, help="The curator's email address: they sign in with it.")
        parser.add_argument("--full-name", required=True, help="The curator's full name.")

    def handle(self, *args, organisation, email, full_name, **options):
        password = os.environ.get(PASSWORD_VARIABLE) or self._ask_password()
        try:
            user = first_curator_create(organisation_name=organisation, email=email, full_name=full_name,
                                        password=password)
        except DomainError as error:
            raise CommandError(error.message) from None
        membership = user.memberships.first()
        self.stdout.write(self.style.SUCCESS(
            f"{user.full_name} ({user.email}) curates and manages {membership.organisation}. They can sign in now."
        ))

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"Set {PASSWORD_VARIABLE}, or run the command where it can ask for a password.")
        password = getpass.getpass("Password for the curator: ")
        if password != getpass.getpass("The same password again: "):
            raise CommandError("The two passwords are different. Nothing was created.")
        return password
