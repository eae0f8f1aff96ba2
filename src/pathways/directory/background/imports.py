"""Background jobs of the spreadsheet import: checking and importing files with many rows.

Each job is given the import's id, calls the service, and links back to the import's page.
"""

from pathways.core.errors import DomainError
from pathways.jobs.registry import job_handler

from ..services.spreadsheet import (
    CHECK_JOB,
    COMMIT_JOB,
    import_url,
    outcome_summary,
    preview_summary,
    spreadsheet_import_check,
    spreadsheet_import_commit,
)
from ..services.spreadsheet_files import SpreadsheetImport


def _import_of(job) -> SpreadsheetImport:
    spreadsheet_import = SpreadsheetImport.load(job.params.get("import_id"))
    if spreadsheet_import is None or spreadsheet_import.is_expired:
        raise DomainError("The uploaded file is no longer kept. Upload it again.")
    return spreadsheet_import


@job_handler(CHECK_JOB)
def check_import(job, progress):
    spreadsheet_import = spreadsheet_import_check(spreadsheet_import=_import_of(job), by=job.created_by,
                                                  progress=progress)
    return {
        "download_url": import_url(spreadsheet_import),
        "download_label": "See what the import would change",
        "summary": preview_summary(spreadsheet_import.preview),
    }


@job_handler(COMMIT_JOB)
def commit_import(job, progress):
    spreadsheet_import = spreadsheet_import_commit(spreadsheet_import=_import_of(job), by=job.created_by,
                                                   progress=progress)
    return {
        "download_url": import_url(spreadsheet_import),
        "download_label": "See the imported services",
        "summary": outcome_summary(spreadsheet_import.outcome),
    }
