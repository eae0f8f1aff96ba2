"""Serve Pathways on one machine: Django's web server and a Huey job consumer, together.

At scale, run gunicorn and `pathways run_huey` as separate processes instead (see the README).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Pathways with its background job consumer (PORT, default 8000)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-jobs", action="store_true", help="Do not start the job consumer.")

    def handle(self, *args, port, host, no_jobs, **options):
        consumer = None
        if not no_jobs and not settings.HUEY.get("immediate"):
            consumer = subprocess.Popen(
                [sys.executable, "-m", "pathways.cli", "run_huey", "--quiet"],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "pathways.settings"},
            )
            self.stdout.write(f"Job consumer started (process {consumer.pid}).")
        self.stdout.write(self.style.SUCCESS(f"Pathways is at http://{host}:{port}/  (Ctrl-C to stop)"))
        # Stopped by a supervisor (SIGTERM) as by Ctrl-C: unwind, so the consumer is stopped too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if consumer is not None and consumer.poll() is None:
                consumer.send_signal(signal.SIGTERM)
                try:
                    consumer.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    consumer.kill()
