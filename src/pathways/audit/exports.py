"""The audit trail as a CSV file that opens safely in a spreadsheet."""

import csv
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from pathways.jobs.models import JobStatus

from .formatting import changes_text
from .models import AuditEntry

EXPORT_JOB = "audit.export"
HEADER = [
    "When (UK time)",
    "Person",
    "Acting for",
    "Action",
    "Kind of record",
    "Record",
    "Record ID",
    "Reason",
    "Changes",
    "IP address",
]
# A spreadsheet treats a cell starting with one of these as a formula (or a hidden part of one).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Progress is written once per batch, not once per row.
BATCH = 200


def export_path(job_id) -> Path:
    """Where a job's file is kept. MEDIA_ROOT is not served: files leave only through the download view."""
    return Path(settings.MEDIA_ROOT) / "exports" / f"{job_id}.csv"


def export_file(*, job, organisation) -> Path | None:
    """The finished file of an audit export job for ``organisation``, or None if there is none."""
    path = export_path(job.pk)
    finished = job.kind == EXPORT_JOB and job.status == JobStatus.SUCCEEDED
    if not finished or job.organisation_id != organisation.pk or not path.exists():
        return None
    return path


def export_filename(*, job) -> str:
    return f"audit-trail-{job.organisation.slug}-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.csv"


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def entry_row(entry: AuditEntry) -> list[str]:
    cells = [
        timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor_label,
        entry.acting_for.name if entry.acting_for else "",
        entry.get_action_display(),
        entry.target_type.name.capitalize() if entry.target_type else "",
        entry.target_label,
        entry.target_id,
        entry.reason,
        changes_text(entry.changes),
        entry.ip_address or "",
    ]
    return [safe_cell(cell) for cell in cells]


def write_csv(entries: Iterable[AuditEntry], path: Path, *, total: int, progress=None) -> int:
    """Write the header and one row per entry; report progress in batches. Returns the rows written."""
    rows = 0
    # The byte-order mark tells spreadsheets the file is UTF-8, so names with accents survive.
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for rows, entry in enumerate(entries, start=1):
            writer.writerow(entry_row(entry))
            if progress is not None and rows % BATCH == 0:
                progress.advance(rows, f"Written {rows:,} of {total:,} entries")
    if progress is not None:
        progress.advance(rows, f"Written {rows:,} of {total:,} entries")
    return rows
