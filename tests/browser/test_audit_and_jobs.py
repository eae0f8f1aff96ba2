"""A manager filters the audit trail, exports it, watches the job finish and downloads the CSV:
with JavaScript the page polls for progress; without it the page refreshes itself."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.jobs.models import Job
from pathways.jobs.services import job_run


@pytest.fixture
def trail(manager, worker, charity):
    audit_record(
        actor=manager,
        action=AuditAction.CHANGED,
        target=charity,
        owner=charity,
        acting_for=charity,
        changes={"phone": ["", "0113 496 0000"]},
    )
    audit_record(actor=worker, action=AuditAction.VIEWED, target=charity, owner=charity, acting_for=charity)


@pytest.fixture
def consumer_waits(monkeypatch, settings, tmp_path):
    """Jobs stay queued until the test runs them, as they would until a consumer picked them up."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("pathways.jobs.tasks.run_job", lambda job_id: None)


def filter_and_export(web):
    page = web.page
    web.goto("/organisations/aire-valley/audit/")
    expect(page.locator("caption")).to_contain_text("2 entries")
    page.get_by_label("Action", exact=True).select_option("changed")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    expect(page.locator("caption")).to_contain_text("1 entry match these filters")
    web.assert_accessible()
    page.get_by_role("button", name="Export these entries as CSV").click()
    page.wait_for_url("**/jobs/*/")
    expect(page.locator("h1")).to_have_text("Export of the audit trail of Aire Valley Resettlement Trust")
    expect(page.locator("[data-job-status]")).to_have_text("Waiting to start")


def finish_and_download(web):
    page = web.page
    expect(page.locator("[data-job-status]")).to_have_text("Finished", timeout=10_000)
    expect(page.get_by_text("1 entry exported.")).to_be_visible()
    web.assert_accessible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV").click()
    assert download.value.suggested_filename.startswith("audit-trail-aire-valley-")
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2
    assert "Changed" in lines[1] and "Phone: (blank) → 0113 496 0000" in lines[1]


def test_with_javascript_the_job_page_follows_progress_and_offers_the_download(web, manager, trail, consumer_waits):
    web.sign_in(manager)
    filter_and_export(web)

    # Run the job between two polls of the progress API, as a consumer would while the page is open.
    with web.page.expect_response(lambda response: "/api/v1/jobs/" in response.url):
        pass
    job_run(job_id=Job.objects.get().pk)

    finish_and_download(web)


def test_without_javascript_the_job_page_refreshes_itself_until_finished(
    web_without_js, manager, trail, consumer_waits
):
    web_without_js.sign_in(manager)
    filter_and_export(web_without_js)

    # The page has loaded and will refresh itself in two seconds; the job finishes meanwhile.
    job_run(job_id=Job.objects.get().pk)

    finish_and_download(web_without_js)
