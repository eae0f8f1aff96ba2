"""The job page (/jobs/<id>/) and the list of the person's jobs (/jobs/)."""

import uuid

import pytest

from pathways.jobs.models import Job, JobStatus
from pathways.jobs.services import job_start

REFRESH = '<meta http-equiv="refresh" content="2">'


def page(client, job_id):
    return client.get(f"/jobs/{job_id}/")


def test_anonymous_is_sent_to_sign_in(client, running_job):
    response = page(client, running_job.pk)
    assert response.status_code == 302
    assert response.url == f"/sign-in/?next=/jobs/{running_job.pk}/"


@pytest.mark.parametrize("who", ["worker", "other_manager"])
def test_someone_who_did_not_start_the_job_gets_not_found(who, client, running_job, request):
    client.force_login(request.getfixturevalue(who))
    assert page(client, running_job.pk).status_code == 404


def test_an_unknown_or_malformed_job_is_not_found(client, manager):
    client.force_login(manager)
    assert page(client, uuid.uuid4()).status_code == 404
    assert client.get("/jobs/12345/").status_code == 404


def test_a_running_job_shows_its_progress_and_refreshes_itself(client, manager, running_job):
    client.force_login(manager)

    response = page(client, running_job.pk)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Export of the audit trail of Aire Valley Resettlement Trust</h1>" in html
    assert "govuk-tag--light-blue" in html and "In progress" in html
    assert 'aria-labelledby="job-progress-label" max="10" value="3">30%</progress>' in html
    assert "3 of 10" in html
    assert "Written 3 of 10 entries" in html
    # Without JavaScript the page refreshes itself; with it, the script polls the API instead.
    assert f"<noscript>{REFRESH}</noscript>" in html
    assert f'data-job-progress="/api/v1/jobs/{running_job.pk}/"' in html
    assert 'src="/static/jobs/progress.js"' in html


def test_a_job_not_yet_started_shows_an_indeterminate_bar(client, manager, charity):
    job = Job.objects.create(kind="audit.export", title="Export", created_by=manager, organisation=charity)
    client.force_login(manager)

    html = page(client, job.pk).content.decode()

    assert "Waiting to start" in html
    assert 'aria-labelledby="job-progress-label">0%</progress>' in html
    assert "Getting ready" in html
    assert REFRESH in html


def test_a_finished_job_shows_its_outcome_and_stops_refreshing(client, manager, running_job):
    running_job.status = JobStatus.SUCCEEDED
    running_job.done = 10
    running_job.result = {
        "download_url": "/organisations/aire-valley/audit/exports/x/",
        "download_label": "Download the CSV",
        "summary": "10 entries exported.",
    }
    running_job.save()
    client.force_login(manager)

    html = page(client, running_job.pk).content.decode()

    assert "govuk-notification-banner--success" in html
    assert "10 entries exported." in html
    assert 'href="/organisations/aire-valley/audit/exports/x/">Download the CSV</a>' in html
    assert "govuk-tag--green" in html
    assert REFRESH not in html
    assert "progress.js" not in html
    assert "<progress" not in html


def test_a_job_refused_by_a_rule_shows_the_reason_in_plain_words(
    client, manager, charity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.refused", title="Import of services", by=manager, organisation=charity)
    client.force_login(manager)

    html = page(client, job.pk).content.decode()

    assert "This job did not finish." in html
    assert "The file had no rows we could read. Check it is a CSV file and try again." in html
    assert "govuk-tag--red" in html and "Failed" in html
    assert REFRESH not in html


def test_a_job_that_crashed_shows_a_plain_message_not_the_error(
    client, manager, charity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.crashes", title="Import of services", by=manager, organisation=charity)
    client.force_login(manager)

    html = page(client, job.pk).content.decode()

    assert "Something went wrong. Nothing was saved. Try again, or ask for help." in html
    assert "a bug" not in html


def test_the_list_needs_sign_in(client):
    response = client.get("/jobs/")
    assert response.status_code == 302
    assert response.url == "/sign-in/?next=/jobs/"


def test_the_list_shows_only_the_persons_own_jobs(client, manager, worker, charity, running_job):
    Job.objects.create(kind="audit.export", title="Someone else's export", created_by=worker, organisation=charity)
    client.force_login(manager)

    response = client.get("/jobs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/jobs/{running_job.pk}/"' in html
    assert "3 of 10" in html
    assert "Someone else&#x27;s export" not in html


def test_the_list_says_when_there_are_no_jobs(client, worker):
    client.force_login(worker)
    assert "You have not started any background jobs yet." in client.get("/jobs/").content.decode()


@pytest.fixture
def scheduled_run(db):
    return Job.objects.create(kind="commissioning.alerts", title="Alerts about new opportunities", scheduled=True,
                              status=JobStatus.SUCCEEDED, done=2, total=2, result={"summary": "2 alerts sent."})


def test_an_operator_sees_the_runs_on_pathways_own_schedule_beside_their_own_jobs(client, manager, scheduled_run):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    listing = client.get("/jobs/").content.decode()
    assert "Runs on Pathways’ own schedule" in listing and "Alerts about new opportunities" in listing
    assert "2 alerts sent." in listing
    assert page(client, scheduled_run.pk).status_code == 200


def test_nobody_else_sees_a_scheduled_run(client, manager, worker, scheduled_run):
    for person in (manager, worker):
        client.force_login(person)
        listing = client.get("/jobs/").content.decode()
        assert "own schedule" not in listing and "Alerts about new opportunities" not in listing
        assert page(client, scheduled_run.pk).status_code == 404
