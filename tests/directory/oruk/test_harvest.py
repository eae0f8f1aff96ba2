"""Harvesting another Open Referral UK API as a background job, and the curator's page that starts it."""

import time as clock

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from werkzeug import Response

from pathways.core.errors import DomainError
from pathways.directory.models import Service
from pathways.directory.oruk.harvest import HARVEST_JOB, harvest_documents, oruk_harvest_start
from pathways.jobs.models import Job, JobStatus
from pathways.jobs.services import job_run

from .feeds import full_service, spoiled

PAGE_URL = reverse("directory:harvest")


def serve_pages(httpserver, documents, *, per_page=2, summaries=False):
    """An ORUK API at httpserver's /oruk whose /services pages hold ``documents``."""
    import json
    import math

    def services(request):
        page = int(request.args.get("page", 1))
        size = int(request.args.get("per_page", per_page)) and per_page
        chunk = documents[(page - 1) * size: page * size]
        total_pages = math.ceil(len(documents) / size)
        contents = [{k: v for k, v in d.items() if k in ("id", "name", "status", "organization_id")} if summaries else d
                    for d in chunk]
        body = {"total_items": len(documents), "total_pages": total_pages, "page_number": page, "size": len(chunk),
                "first_page": page == 1, "last_page": page >= total_pages, "empty": not chunk, "contents": contents}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/oruk/services").respond_with_handler(services)
    for document in documents:
        httpserver.expect_request(f"/oruk/services/{document['id']}").respond_with_json(document)
    return httpserver.url_for("/oruk")


def start_and_run(curator, base_url) -> Job:
    job = oruk_harvest_start(base_url=base_url, by=curator)
    return job_run(job_id=job.pk)


def test_given_another_api_when_a_curator_harvests_it_then_every_page_is_imported(httpserver, curator, places, postcodes):
    base_url = serve_pages(httpserver, [full_service(1), full_service(2), full_service(3)])
    job = start_and_run(curator, base_url + "/")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["summary"] == "3 services read: 3 added, 0 changed, 0 unchanged; 1 organisations added."
    assert job.total == 3 and job.done == 3
    assert Service.objects.count() == 3
    assert {s.last_checked_by for s in Service.objects.all()} == {curator}
    # A second harvest finds nothing new.
    again = start_and_run(curator, base_url)
    assert again.result["summary"].startswith("3 services read: 0 added, 0 changed, 3 unchanged")


def test_given_an_api_that_lists_only_summaries_when_harvested_then_each_service_is_fetched_in_full(
    httpserver, curator, places, postcodes
):
    base_url = serve_pages(httpserver, [full_service(1), full_service(2)], summaries=True)
    job = start_and_run(curator, base_url)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert Service.objects.get(name="Imported service 2").schedules.count() == 2


def test_given_a_feed_with_a_bad_record_when_harvested_then_nothing_is_saved_and_the_job_lists_the_problems(
    httpserver, curator, places, postcodes
):
    base_url = serve_pages(httpserver, [full_service(1), spoiled(full_service(2), ["status"], "open"), full_service(3)])
    job = start_and_run(curator, base_url)
    assert job.status == JobStatus.FAILED
    lines = job.error.splitlines()
    assert lines[0] == "The feed was not imported: 1 problem in 3 records. Nothing was saved."
    assert lines[1].startswith("Record 2 (id ") and "$.status: 'open' is not one of" in lines[1]
    assert Service.objects.count() == 0


@pytest.mark.parametrize("respond, message", [
    (lambda server: server.expect_request("/oruk/services").respond_with_data("broken", status=500), "answered 500"),
    (lambda server: server.expect_request("/oruk/services").respond_with_data("<html>hello</html>"), "did not answer with JSON"),
    (lambda server: server.expect_request("/oruk/services").respond_with_json({"services": []}), "is not a page of services"),
])
def test_given_an_address_that_is_not_a_working_api_when_harvested_then_the_job_fails_saying_why(
    httpserver, curator, respond, message
):
    respond(httpserver)
    job = start_and_run(curator, httpserver.url_for("/oruk"))
    assert job.status == JobStatus.FAILED
    assert message in job.error and "/oruk/services?page=1" in job.error and "Nothing was saved" in job.error


def test_given_a_server_that_does_not_answer_in_time_when_harvested_then_it_gives_up(httpserver):
    def slow(request):
        clock.sleep(1.5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/oruk/services").respond_with_handler(slow)
    with pytest.raises(DomainError, match="Could not reach"):
        list(harvest_documents(base_url=httpserver.url_for("/oruk"), timeout=0.3))


def test_given_an_unreachable_address_when_harvested_then_the_message_names_it(curator, db):
    job = start_and_run(curator, "http://127.0.0.1:9/oruk")
    assert job.status == JobStatus.FAILED and "Could not reach http://127.0.0.1:9/oruk/services" in job.error


@pytest.mark.parametrize("address", ["", "ftp://example.org/api", "not an address", "file:///etc/passwd"])
def test_given_an_address_that_is_not_http_when_a_harvest_is_started_then_refused(curator, address):
    with pytest.raises(DomainError) as error:
        oruk_harvest_start(base_url=address, by=curator)
    assert error.value.field == "base_url"
    assert not Job.objects.exists()


@pytest.mark.parametrize("address", [
    "http://127.0.0.1:8000/api", "http://10.1.2.3/api", "http://169.254.169.254/latest/meta-data",
    "http://192.168.0.10/oruk", "http://[::1]/oruk", "http://0.0.0.0/oruk",
])
def test_given_a_private_or_local_address_when_a_harvest_is_started_then_refused(curator, settings, address):
    settings.HARVEST_PRIVATE_ADDRESSES = False
    with pytest.raises(DomainError, match="private or local address") as error:
        oruk_harvest_start(base_url=address, by=curator)
    assert error.value.field == "base_url"
    assert not Job.objects.exists()


def test_given_a_name_for_a_local_address_when_harvested_then_no_request_is_made(httpserver, settings, db):
    settings.HARVEST_PRIVATE_ADDRESSES = False
    serve_pages(httpserver, [full_service(1)])
    base_url = f"http://localhost:{httpserver.port}/oruk"
    with pytest.raises(DomainError, match="localhost is at .*, a private or local address"):
        list(harvest_documents(base_url=base_url))
    assert httpserver.log == []


def test_given_a_public_api_that_redirects_to_a_local_address_then_the_redirect_is_not_followed(
        httpserver, settings, monkeypatch, db):
    """Each redirect is checked as the first request was: here the first address counts as public (the
    test cannot reach the internet) and the one it redirects to does not."""
    from pathways.directory.oruk import harvest

    serve_pages(httpserver, [full_service(1)])
    httpserver.expect_request("/moved/services").respond_with_response(
        Response(status=302, headers={"Location": f"http://localhost:{httpserver.port}/oruk/services"}))
    settings.HARVEST_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(harvest, "_may_reach", lambda address: address.version == 4)  # 127.0.0.1 "public"
    monkeypatch.setattr(harvest.socket, "getaddrinfo", _localhost_as_ipv6(harvest.socket.getaddrinfo))
    with pytest.raises(DomainError, match="localhost is at ::1"):
        list(harvest_documents(base_url=f"http://127.0.0.1:{httpserver.port}/moved"))
    assert [request.path for request, _response in httpserver.log] == ["/moved/services"]


def _localhost_as_ipv6(getaddrinfo):
    """``localhost`` answering with ::1 only, whatever this machine's hosts file says."""
    import socket

    def resolve(host, port, *args, **kwargs):
        if host == "localhost":
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))]
        return getaddrinfo(host, port, *args, **kwargs)
    return resolve


def test_given_someone_who_is_not_a_curator_when_starting_a_harvest_then_refused(manager, worker):
    for person in (manager, worker):
        with pytest.raises(PermissionDenied):
            oruk_harvest_start(base_url="https://example.org/api", by=person)


# The page -----------------------------------------------------------------------------------------

def test_given_someone_signed_out_when_they_open_the_harvest_page_then_they_are_asked_to_sign_in(client, db):
    response = client.get(PAGE_URL)
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.parametrize("who", ["worker", "manager"])
def test_given_someone_who_is_not_a_curator_when_they_open_the_harvest_page_then_403(client, db, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGE_URL).status_code == 403
    assert client.post(PAGE_URL, {"base_url": "https://example.org/api"}).status_code == 403
    assert not Job.objects.exists()


def test_given_a_curator_when_they_give_a_bad_address_then_the_form_says_so_and_keeps_it(client, curator):
    client.force_login(curator)
    response = client.post(PAGE_URL, {"base_url": "example dot org"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "Enter the address of an Open Referral UK API" in body
    assert 'value="example dot org"' in body
    assert not Job.objects.exists()


def test_given_a_curator_when_they_start_a_harvest_then_they_see_its_job_page(client, curator, monkeypatch):
    monkeypatch.setattr("pathways.jobs.tasks.run_job", lambda job_id: None)
    client.force_login(curator)
    assert client.get(PAGE_URL).status_code == 200
    response = client.post(PAGE_URL, {"base_url": "https://directory.example.org/api/openreferral/v3/"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.kind == HARVEST_JOB and job.created_by == curator
    assert job.params == {"base_url": "https://directory.example.org/api/openreferral/v3"}
    listing = client.get(PAGE_URL).content.decode()
    assert "https://directory.example.org/api/openreferral/v3" in listing and "Waiting to start" in listing


def test_given_pathways_own_api_when_harvested_then_every_service_reads_back_unchanged(
    live_server, housing, employment, draft
):
    from tests.factories import member
    from tests.factories import OrganisationFactory, org_type

    curator = member("curator", OrganisationFactory(type=org_type("infrastructure-body")))
    job = start_and_run(curator, live_server.url + "/api/openreferral/v3")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["summary"].startswith("2 services read: 0 added, 0 changed, 2 unchanged")
