"""Background jobs of the audit app, found by pathways.jobs.registry."""

from django.urls import reverse

from pathways.jobs.registry import job_handler

from .exports import EXPORT_JOB, export_path
from .selectors import AuditFilters
from .services import audit_trail_export


@job_handler(EXPORT_JOB)
def export_audit_trail(job, progress):
    rows = audit_trail_export(
        organisation=job.organisation,
        by=job.created_by,
        filters=AuditFilters.from_params(job.params["filters"]),
        path=export_path(job.pk),
        progress=progress,
    )
    return {
        "download_url": reverse(
            "organisations:audit-export-download", kwargs={"slug": job.organisation.slug, "job_id": job.pk}
        ),
        "download_label": "Download the CSV",
        "summary": f"{rows:,} {'entry' if rows == 1 else 'entries'} exported.",
    }
