"""`pathways send_search_alerts`: run the saved-search alerts now, as a background job that is recorded."""

from django.core.management.base import BaseCommand, CommandError

from pathways.directory.services.saved_searches import saved_search_alerts_start
from pathways.jobs.models import JobStatus
from pathways.jobs.services import job_run


class Command(BaseCommand):
    help = "Email the owners of due saved searches about newly published services (the morning job, now)."

    def handle(self, *args, **options):
        job = job_run(job_id=saved_search_alerts_start().pk)
        if job.status == JobStatus.FAILED:
            raise CommandError(job.error or "The alert run failed.")
        self.stdout.write(self.style.SUCCESS(job.result.get("summary", "Done.")))
