"""Exporting the trail as CSV: a background job that writes a safe file and records that it did."""

import csv

import pytest

from pathways.audit.exports import HEADER, export_path, safe_cell
from pathways.audit.models import AuditAction, AuditEntry
from pathways.audit.selectors import AuditFilters
from pathways.audit.services import audit_export_start, audit_record, audit_trail_export
from pathways.jobs.models import JobStatus
from tests.factories import member


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def export(django_capture_on_commit_callbacks, **kwargs):
    """Start the export; tests run jobs at once, when the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_start(**kwargs)
    job.refresh_from_db()
    return job


def test_given_a_filtered_trail_when_exported_then_the_job_writes_those_entries(
    manager, charity, media, django_capture_on_commit_callbacks
):
    audit_record(
        actor=manager,
        action=AuditAction.CHANGED,
        target=charity,
        owner=charity,
        acting_for=charity,
        changes={"website": ["", "https://aire.example.org"]},
        ip_address="192.0.2.7",
    )
    audit_record(actor=manager, action=AuditAction.VIEWED, target=charity, owner=charity)

    job = export(
        django_capture_on_commit_callbacks, organisation=charity, by=manager, filters=AuditFilters(action="changed")
    )

    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (1, 1, 100)
    assert job.result == {
        "download_url": f"/organisations/aire-valley/audit/exports/{job.pk}/",
        "download_label": "Download the CSV",
        "summary": "1 entry exported.",
    }
    rows = read_csv(media / "exports" / f"{job.pk}.csv")
    assert rows[0] == HEADER
    assert len(rows) == 2
    assert rows[1][1:] == [
        "Morgan Manager <manager@example.org>",
        "Aire Valley Resettlement Trust",
        "Changed",
        "Organisation",
        "Aire Valley Resettlement Trust",
        str(charity.pk),
        "",
        "Website: (blank) → https://aire.example.org",
        "192.0.2.7",
    ]


def test_given_an_export_when_it_finishes_then_the_export_itself_is_in_the_trail(
    manager, charity, django_capture_on_commit_callbacks
):
    audit_record(actor=manager, action=AuditAction.CHANGED, target=charity, owner=charity)

    export(
        django_capture_on_commit_callbacks,
        organisation=charity,
        by=manager,
        filters=AuditFilters(action="changed", actor_id=manager.pk),
    )

    exported = AuditEntry.objects.get(action=AuditAction.EXPORTED)
    assert (exported.actor, exported.owner, exported.acting_for, exported.target_label) == (
        manager,
        charity,
        charity,
        "Aire Valley Resettlement Trust",
    )
    assert exported.changes == {
        "rows": 1,
        "filters": {"person": "Morgan Manager (manager@example.org)", "action": "Changed"},
    }


def test_an_unfiltered_export_says_so_in_its_entry(manager, charity, django_capture_on_commit_callbacks):
    export(django_capture_on_commit_callbacks, organisation=charity, by=manager, filters=AuditFilters())

    exported = AuditEntry.objects.get(action=AuditAction.EXPORTED)
    assert exported.changes == {"rows": 0, "filters": "none: every entry"}


@pytest.mark.parametrize(
    "text, cell",
    [
        ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
        ("+44 113 496 0000", "'+44 113 496 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain words = fine", "Plain words = fine"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_made_plain_text(text, cell):
    assert safe_cell(text) == cell


def test_a_person_named_like_a_formula_is_exported_as_plain_text(charity, django_capture_on_commit_callbacks):
    trickster = member("manager", charity, full_name="=cmd|'/c calc'!A1", email="trick@example.org")
    audit_record(actor=trickster, action=AuditAction.VIEWED, target=charity, owner=charity, reason="-see notes")

    job = export(django_capture_on_commit_callbacks, organisation=charity, by=trickster, filters=AuditFilters())

    row = read_csv(export_path(job.pk))[1]
    assert row[1] == "'=cmd|'/c calc'!A1 <trick@example.org>"
    assert row[7] == "'-see notes"


class RecordedProgress:
    def __init__(self):
        self.total = None
        self.reports = []

    def set_total(self, total):
        self.total = total

    def advance(self, done, message=""):
        self.reports.append((done, message))


def test_progress_is_reported_in_batches_and_at_the_end(manager, charity, media):
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=manager, actor_label="Morgan", owner=charity, action=AuditAction.VIEWED) for _ in range(450)
    )
    progress = RecordedProgress()

    rows = audit_trail_export(
        organisation=charity, by=manager, filters=AuditFilters(), path=media / "trail.csv", progress=progress
    )

    assert rows == 450
    assert progress.total == 450
    assert progress.reports == [
        (200, "Written 200 of 450 entries"),
        (400, "Written 400 of 450 entries"),
        (450, "Written 450 of 450 entries"),
    ]
    assert len(read_csv(media / "trail.csv")) == 451


def test_given_the_audit_entry_cannot_be_written_then_the_job_fails_and_leaves_no_file(
    manager, charity, media, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("pathways.audit.services.audit_record", refuse)

    job = export(django_capture_on_commit_callbacks, organisation=charity, by=manager, filters=AuditFilters())

    assert job.status == JobStatus.FAILED
    assert job.error == "Something went wrong. Nothing was saved. Try again, or ask for help."
    assert list((media / "exports").iterdir()) == []
