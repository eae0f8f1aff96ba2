"""The public OCDS endpoint: anyone may read published processes; drafts, other prefixes and nonsense are 404."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pathways.commissioning.api import open_data as api
from pathways.commissioning.models import Opportunity
from pathways.commissioning.ocds import ocid_for, validation

from .factories import make_opportunity
from .open_data_fixtures import *  # noqa: F403
from .open_data_fixtures import SECRET_TEXT, opportunity_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return APIClient()


def test_anyone_gets_a_valid_release_package_of_every_published_process(api_client, probation, leeds, agency_worker):
    awarded = opportunity_in("awarded", probation, areas=[leeds])
    forthcoming = opportunity_in("forthcoming", probation, areas=[leeds], title="Later work")
    make_opportunity(probation, areas=[leeds], title="A draft")

    response = api_client.get("/api/v1/ocds/releases/")

    assert response.status_code == 200
    package = response.json()
    assert validation.release_package_errors(package) == []
    assert {release["ocid"] for release in package["releases"]} == {ocid_for(awarded), ocid_for(forthcoming)}
    assert "A draft" not in response.content.decode()
    assert SECRET_TEXT.split()[0] not in response.content.decode()


def test_a_signed_in_member_of_the_buyer_still_does_not_see_drafts(api_client, probation, leeds, commissioner):
    make_opportunity(probation, areas=[leeds], title="A draft")
    api_client.force_authenticate(commissioner)

    response = api_client.get("/api/v1/ocds/releases/")

    assert response.status_code == 200
    assert "A draft" not in response.content.decode()


def test_the_releases_come_a_page_of_processes_at_a_time_with_a_link_to_the_next(
    api_client, probation, leeds, monkeypatch
):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    for number in range(3):
        opportunity_in("open", probation, areas=[leeds], title=f"Work {number}")

    first = api_client.get("/api/v1/ocds/releases/")
    second = api_client.get(first.json()["links"]["next"])

    assert len({release["ocid"] for release in first.json()["releases"]}) == 2
    assert 'rel="next"' in first["Link"]
    assert len({release["ocid"] for release in second.json()["releases"]}) == 1
    assert "links" not in second.json()


def test_since_gives_only_the_releases_dated_from_then(api_client, probation, leeds):
    old = opportunity_in("open", probation, areas=[leeds], title="Old work")
    Opportunity.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - timedelta(days=60), open_for_bids_at=timezone.now() - timedelta(days=60),
        updated_at=timezone.now() - timedelta(days=60),
    )
    new = opportunity_in("open", probation, areas=[leeds], title="New work")
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    response = api_client.get("/api/v1/ocds/releases/", {"since": since})

    assert response.status_code == 200
    assert {release["ocid"] for release in response.json()["releases"]} == {ocid_for(new)}


@pytest.mark.parametrize("query, field", [({"since": "last tuesday"}, "since"), ({"page": "99"}, "page"),
                                          ({"page": "two"}, "page")])
def test_a_bad_page_or_date_is_a_400_naming_the_field(api_client, probation, leeds, query, field):
    opportunity_in("open", probation, areas=[leeds])

    response = api_client.get("/api/v1/ocds/releases/", query)

    assert response.status_code == 400
    assert field in response.json()


def test_the_record_of_a_process_validates_and_shows_its_latest_state(api_client, probation, leeds):
    opportunity = opportunity_in("awarded", probation, areas=[leeds])

    response = api_client.get(f"/api/v1/ocds/records/{ocid_for(opportunity)}/")

    assert response.status_code == 200
    package = response.json()
    assert validation.record_package_errors(package) == []
    assert package["records"][0]["compiledRelease"]["tender"]["status"] == "complete"


def test_the_releases_of_one_process_validate(api_client, probation, leeds):
    opportunity = opportunity_in("cancelled", probation, areas=[leeds])

    response = api_client.get(f"/api/v1/ocds/releases/{ocid_for(opportunity)}/")

    assert response.status_code == 200
    assert validation.release_package_errors(response.json()) == []
    assert response.json()["releases"][-1]["tag"] == ["tenderCancellation"]


@pytest.mark.parametrize("path", ["records", "releases"])
def test_a_draft_another_prefix_an_unknown_id_or_nonsense_is_not_found(api_client, probation, leeds, path, commissioner):
    draft = make_opportunity(probation, areas=[leeds])
    published = opportunity_in("open", probation, areas=[leeds])
    api_client.force_authenticate(commissioner)

    for ocid in [ocid_for(draft), f"ocds-other-{published.uuid}", f"ocds-pathways-{uuid.uuid4()}", "nonsense",
                 f"{ocid_for(published)}-extra"]:
        assert api_client.get(f"/api/v1/ocds/{path}/{ocid}/").status_code == 404, ocid


def test_the_endpoints_are_in_the_api_documentation(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    if response.status_code == 404:
        pytest.skip("The schema is served elsewhere")
    text = response.content.decode()

    assert "/api/v1/ocds/releases/" in text
    assert "/api/v1/ocds/records/{ocid}/" in text
    assert "Open contracting data (OCDS)" in text


def test_the_opportunity_page_links_to_its_record_and_releases(client, probation, leeds):
    opportunity = opportunity_in("open", probation, areas=[leeds])

    response = client.get(f"/opportunities/{opportunity.uuid}/")

    assert f"/api/v1/ocds/records/{ocid_for(opportunity)}/" in response.content.decode()
    assert f"/api/v1/ocds/releases/{ocid_for(opportunity)}/" in response.content.decode()


def test_a_draft_page_seen_by_its_commissioner_has_no_open_data_links(client, probation, leeds, commissioner):
    draft = make_opportunity(probation, areas=[leeds])
    client.force_login(commissioner)

    response = client.get(f"/opportunities/{draft.uuid}/")

    assert response.status_code == 200
    assert "/api/v1/ocds/" not in response.content.decode()


def test_the_open_data_page_explains_what_is_never_published(client):
    response = client.get("/opportunities/open-data/")

    assert response.status_code == 200
    assert "What is never published" in response.content.decode()
