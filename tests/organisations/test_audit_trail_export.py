"""Exporting the organisation's trail from its page, and downloading the file the job wrote."""

import csv
import io
import uuid

import pytest
from django.utils import timezone

from pathways.audit.models import AuditAction, AuditEntry
from pathways.audit.services import audit_record
from pathways.jobs.models import Job, JobStatus
from pathways.organisations.models import Membership
from tests.factories import member

EXPORT = "/organisations/aire-valley/audit/export/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def trail(manager, worker, charity):
    audit_record(
        actor=manager, action=AuditAction.CHANGED, target=charity, owner=charity, changes={"phone": ["", "0113 496 0000"]}
    )
    audit_record(actor=worker, action=AuditAction.VIEWED, target=charity, owner=charity)


def start_export(client, query="", capture=None):
    with capture(execute=True):
        return client.post(EXPORT + query)


def download_url(job):
    return f"/organisations/{job.organisation.slug}/audit/exports/{job.pk}/"


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


# Starting the export -------------------------------------------------------------------------------

def test_anonymous_is_sent_to_sign_in_and_nothing_starts(client, charity):
    response = client.post(EXPORT)
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")
    assert not Job.objects.exists()


@pytest.mark.parametrize("who", ["worker", "other_manager"])
def test_people_without_the_capability_get_not_found_and_nothing_starts(who, client, charity, request):
    client.force_login(request.getfixturevalue(who))
    assert client.post(EXPORT).status_code == 404
    assert not Job.objects.exists()


def test_an_unknown_organisation_is_not_found(client, manager):
    client.force_login(manager)
    assert client.post("/organisations/no-such-organisation/audit/export/").status_code == 404


def test_an_export_is_started_by_the_button_not_by_a_link(client, manager, charity):
    client.force_login(manager)
    assert client.get(EXPORT).status_code == 405


def test_the_button_keeps_the_filters_of_the_page(client, manager, charity, trail):
    client.force_login(manager)

    html = client.get("/organisations/aire-valley/audit/", {"action": "changed", "page": "1"}).content.decode()

    assert f'<form method="post" action="{EXPORT}?action=changed" novalidate>' in html


def test_a_manager_exports_the_filtered_trail_and_is_taken_to_the_job(
    client, manager, charity, trail, media, django_capture_on_commit_callbacks
):
    client.force_login(manager)

    response = start_export(client, "?action=changed", capture=django_capture_on_commit_callbacks)

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.kind, job.created_by, job.organisation, job.status) == (
        "audit.export", manager, charity, JobStatus.SUCCEEDED
    )
    html = client.get(response.url).content.decode()
    assert "1 entry exported." in html
    assert f'href="{download_url(job)}">Download the CSV</a>' in html
    rows = list(csv.reader((media / "exports" / f"{job.pk}.csv").open(encoding="utf-8-sig")))
    assert [row[3] for row in rows[1:]] == ["Changed"]
    exported = AuditEntry.objects.get(action=AuditAction.EXPORTED)
    assert exported.changes == {"rows": 1, "filters": {"action": "Changed"}}


def test_invalid_filters_start_nothing_and_go_back_to_the_trail(client, manager, charity, trail):
    client.force_login(manager)

    response = client.post(EXPORT + "?date_from_0=31&date_from_1=2&date_from_2=2026")

    assert response.status_code == 302
    assert response.url == "/organisations/aire-valley/audit/?date_from_0=31&date_from_1=2&date_from_2=2026"
    assert not Job.objects.exists()


# Downloading the file ------------------------------------------------------------------------------

@pytest.fixture
def finished_export(client, manager, charity, trail, django_capture_on_commit_callbacks):
    client.force_login(manager)
    start_export(client, capture=django_capture_on_commit_callbacks)
    client.logout()
    return Job.objects.get()


def test_the_person_who_exported_downloads_the_csv_with_a_sensible_name(client, manager, finished_export):
    client.force_login(manager)

    response = client.get(download_url(finished_export))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    stamp = timezone.localtime(finished_export.created_at).strftime("%Y-%m-%d-%H%M")
    assert response["Content-Disposition"] == f'attachment; filename="audit-trail-aire-valley-{stamp}.csv"'
    rows = csv_rows(response)
    assert [(row[3], row[8]) for row in rows[1:]] == [
        ("Viewed", ""),
        ("Changed", "Phone: (blank) → 0113 496 0000"),
    ]


def test_anonymous_is_sent_to_sign_in_to_download(client, finished_export):
    response = client.get(download_url(finished_export))
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


def test_another_manager_of_the_organisation_cannot_download_someone_elses_export(client, charity, finished_export):
    colleague = member("manager", charity)
    client.force_login(colleague)
    assert client.get(download_url(finished_export)).status_code == 404


@pytest.mark.parametrize("who", ["worker", "other_manager"])
def test_people_without_the_capability_cannot_download(who, client, finished_export, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(download_url(finished_export)).status_code == 404


def test_a_manager_who_has_left_can_no_longer_download_their_export(client, manager, finished_export):
    Membership.objects.filter(user=manager).update(ended_at=timezone.now())
    client.force_login(manager)
    assert client.get(download_url(finished_export)).status_code == 404


def test_the_export_is_only_found_under_its_own_organisation(client, manager, other_charity, finished_export):
    Membership.objects.create(user=manager, organisation=other_charity, role=Membership.objects.get(user=manager).role)
    client.force_login(manager)
    assert client.get(f"/organisations/calder-lantern/audit/exports/{finished_export.pk}/").status_code == 404


def test_an_unknown_export_or_a_job_of_another_kind_is_not_found(client, manager, charity, finished_export):
    other_kind = Job.objects.create(
        kind="tests.refused", title="Import", created_by=manager, organisation=charity, status=JobStatus.SUCCEEDED
    )
    client.force_login(manager)
    assert client.get(f"/organisations/aire-valley/audit/exports/{uuid.uuid4()}/").status_code == 404
    assert client.get(download_url(other_kind)).status_code == 404
    assert client.get(f"/organisations/no-such-organisation/audit/exports/{finished_export.pk}/").status_code == 404


def test_an_export_that_has_not_finished_cannot_be_downloaded(client, manager, charity):
    queued = Job.objects.create(kind="audit.export", title="Export", created_by=manager, organisation=charity)
    client.force_login(manager)
    assert client.get(download_url(queued)).status_code == 404
