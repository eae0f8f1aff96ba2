"""GET /api/v1/jobs/<id>/: how far the person's own job has gone."""

import uuid

import pytest

from pathways.jobs.models import JobStatus


def url(job_id):
    return f"/api/v1/jobs/{job_id}/"


def test_anonymous_is_refused(client, running_job):
    response = client.get(url(running_job.pk))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["worker", "other_manager"])
def test_someone_who_did_not_start_the_job_is_told_it_does_not_exist(who, client, running_job, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(running_job.pk)).status_code == 404


def test_an_unknown_or_malformed_job_id_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(url(uuid.uuid4())).status_code == 404
    assert client.get(url("not-a-job")).status_code == 404


def test_the_starter_gets_the_progress(client, manager, running_job):
    client.force_login(manager)

    response = client.get(url(running_job.pk))

    assert response.status_code == 200
    assert response.json() == {
        "id": str(running_job.pk),
        "title": "Export of the audit trail of Aire Valley Resettlement Trust",
        "status": "running",
        "status_label": "In progress",
        "finished": False,
        "done": 3,
        "total": 10,
        "percent": 30,
        "message": "Written 3 of 10 entries",
        "error": "",
        "result": {},
    }


def test_a_finished_job_reports_its_result(client, manager, running_job):
    running_job.status = JobStatus.SUCCEEDED
    running_job.done = 10
    running_job.result = {"download_url": "/somewhere/", "summary": "10 entries exported."}
    running_job.save()
    client.force_login(manager)

    body = client.get(url(running_job.pk)).json()

    assert (body["finished"], body["percent"], body["result"]) == (
        True,
        100,
        {"download_url": "/somewhere/", "summary": "10 entries exported."},
    )


def test_the_progress_endpoint_is_read_only(client, manager, running_job):
    client.force_login(manager)
    assert client.post(url(running_job.pk)).status_code in {403, 405}
