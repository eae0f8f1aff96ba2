"""`pathways demo_sign_ins`: the demo's sign-ins, one per role, and where each lands."""

import os

from django.core.management.base import BaseCommand

from pathways.demo.region import demo_sign_ins


class Command(BaseCommand):
    help = "Print the demo sign-ins: role, email, password and the home each lands on."

    def handle(self, *args, **options):
        sign_ins = demo_sign_ins()
        if not sign_ins:
            self.stdout.write("The demo is not loaded in this database, so there are no demo sign-ins.")
            return
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        header = ("Role", "Email", "Password", "Lands on")
        rows = [header, *((s.role, s.email, s.password, s.home) for s in sign_ins)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * width for width in widths))
        self.stdout.write(f"Demo sign-ins (sign in at http://{host}:{port}/sign-in/):\n")
        self.stdout.write("\n".join(lines))
