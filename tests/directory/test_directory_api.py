"""The directory REST API: services with funding, relationships and freshness; change requests; the
provision map. Anonymous, wrong role, other organisation, bad id and happy path for each endpoint."""

import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from pathways.directory.models import (
    ChangeRequest,
    ChangeRequestStatus,
    CheckMethod,
    Funding,
    FundingKind,
    RelationshipBasis,
    Service,
    StatutoryRelationship,
    ValueBand,
)
from pathways.directory.services.records import change_request_submit
from pathways.organisations.models import PlaceKind
from tests.factories import OrganisationFactory, directory_service, org_type

from .test_provision import ACCOMMODATION, make_places, make_stale

pytestmark = pytest.mark.django_db

SERVICES = reverse("api-directory-services")
CHANGE_REQUESTS = reverse("api-directory-change-requests")
PROVISION = reverse("api-directory-provision")


def service_url(service_id):
    return f"/api/v1/directory/services/{service_id}/"


def check_url(service):
    return reverse("api-directory-service-check", args=[str(service.uuid)])


def request_url(change_request, decision=False):
    name = "api-directory-change-request-decision" if decision else "api-directory-change-request"
    return reverse(name, args=[change_request.pk])


def names(response):
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def places():
    return make_places()


@pytest.fixture
def probation(db):
    return OrganisationFactory(name="West Yorkshire Probation", slug="wy-probation", type=org_type("probation-region"))


@pytest.fixture
def records(charity, other_charity, probation, places):
    """The charity's published service (funded, contracted) and draft; the other charity's published
    stale service and draft."""
    housing = directory_service(charity, name="Aire Housing Advice", terms=[ACCOMMODATION], areas=[places.leeds])
    Funding.objects.create(service=housing, kind=FundingKind.CONTRACTED, funder=probation, stream="Resettlement",
                           value_band=ValueBand.UNDER_50K)
    Funding.objects.create(service=housing, kind=FundingKind.CONTRACTED, funder_name="Leeds City Council")
    StatutoryRelationship.objects.create(
        service=housing, statutory_body=probation, basis=RelationshipBasis.CONTRACT, reference="WYP-2024-17"
    )
    draft = directory_service(charity, name="Aire Draft", publish=False, terms=[ACCOMMODATION], areas=[places.leeds])
    lantern = directory_service(other_charity, name="Calder Lantern Mentoring", areas=[places.sheffield])
    make_stale(lantern)
    Funding.objects.create(service=lantern, kind=FundingKind.NO_DIRECT_COST)
    other_draft = directory_service(other_charity, name="Calder Draft", publish=False)
    return {"housing": housing, "draft": draft, "lantern": lantern, "other_draft": other_draft}


class TestServices:
    def test_given_anyone_then_only_published_services_are_listed_with_funding_and_freshness(self, client, records):
        response = client.get(SERVICES)

        assert response.status_code == 200
        assert names(response) == ["Aire Housing Advice", "Calder Lantern Mentoring"]
        housing = response.json()["results"][0]
        assert housing["id"] == str(records["housing"].uuid)
        assert housing["organisation"]["slug"] == "aire-valley"
        assert housing["terms"] == [{"code": ACCOMMODATION, "name": "Accommodation", "vocabulary": "pathways"}]
        assert housing["freshness"]["is_stale"] is False
        assert housing["freshness"]["last_check_method"] == CheckMethod.PROVIDER_CONFIRMED
        assert [f["kind"] for f in housing["funding"]] == ["contracted", "contracted"]
        assert housing["funding"][0]["funder"]["slug"] == "wy-probation"
        assert housing["funding"][0]["value_band_label"] == "£10,000 to £50,000 a year"
        [relationship] = housing["statutory_relationships"]
        assert relationship["basis"] == "contract" and relationship["statutory_body"]["slug"] == "wy-probation"
        assert housing["web_url"].endswith(f"/directory/services/{records['housing'].uuid}/")

    def test_given_anyone_then_contract_references_and_checker_names_are_not_shown(self, client, records, manager):
        Service.objects.filter(pk=records["housing"].pk).update(last_checked_by=manager)

        housing = client.get(SERVICES).json()["results"][0]

        assert housing["statutory_relationships"][0]["reference"] is None
        assert housing["freshness"]["last_checked_by"] is None

    def test_given_someone_signed_in_then_they_see_contract_references_and_who_checked(
        self, client, records, manager, other_manager
    ):
        Service.objects.filter(pk=records["housing"].pk).update(last_checked_by=manager)
        client.force_login(other_manager)

        housing = client.get(service_url(records["housing"].uuid)).json()

        assert housing["statutory_relationships"][0]["reference"] == "WYP-2024-17"
        assert housing["freshness"]["last_checked_by"] == "Morgan Manager"

    def test_given_a_member_then_their_own_drafts_are_listed_and_not_anyone_elses(self, client, records, worker):
        client.force_login(worker)

        assert names(client.get(SERVICES)) == ["Aire Draft", "Aire Housing Advice", "Calder Lantern Mentoring"]
        assert client.get(service_url(records["draft"].uuid)).status_code == 200
        assert client.get(service_url(records["other_draft"].uuid)).status_code == 404

    def test_given_a_curator_then_every_record_is_listed(self, client, records, curator):
        client.force_login(curator)

        assert len(names(client.get(SERVICES))) == 4

    def test_given_a_draft_or_a_bad_id_then_not_found(self, client, records):
        assert client.get(service_url(records["draft"].uuid)).status_code == 404
        assert client.get(service_url(uuid.uuid4())).status_code == 404
        assert client.get(service_url("not-a-uuid")).status_code == 404
        assert client.get(service_url(records["housing"].uuid)).status_code == 200

    def test_filters(self, client, records, places, probation):
        def filtered(**query):
            return names(client.get(SERVICES, query))

        assert filtered(organisation="calder-lantern") == ["Calder Lantern Mentoring"]
        assert filtered(pathway=ACCOMMODATION) == ["Aire Housing Advice"]
        assert filtered(area=places.west.pk) == ["Aire Housing Advice"]
        assert filtered(area=places.region.pk) == ["Aire Housing Advice", "Calder Lantern Mentoring"]
        assert filtered(area=999999) == []
        assert filtered(stale="true") == ["Calder Lantern Mentoring"]
        assert filtered(stale="false") == ["Aire Housing Advice"]
        assert filtered(funding_kind=FundingKind.CONTRACTED) == ["Aire Housing Advice"]
        assert filtered(funding_kind=FundingKind.NO_DIRECT_COST) == ["Calder Lantern Mentoring"]
        assert filtered(relationship_basis=RelationshipBasis.CONTRACT) == ["Aire Housing Advice"]
        assert filtered(relationship_basis=RelationshipBasis.GRANT) == []
        assert filtered(statutory_body="wy-probation") == ["Aire Housing Advice"]
        assert filtered(publication="draft") == []

    def test_a_filter_value_that_is_not_allowed_is_a_clear_400(self, client, records):
        response = client.get(SERVICES, {"funding_kind": "lottery"})

        assert response.status_code == 400
        assert "funding_kind" in response.json()

    def test_the_list_takes_the_same_few_queries_however_many_services(
        self, client, records, charity, django_assert_max_num_queries
    ):
        for n in range(15):
            service = directory_service(charity, name=f"Service {n}", terms=[ACCOMMODATION])
            Funding.objects.create(service=service, kind=FundingKind.POOLED)

        with django_assert_max_num_queries(10):
            assert client.get(SERVICES).json()["count"] == 17


class TestMarkingChecked:
    def test_given_anyone_then_refused(self, client, records):
        assert client.post(check_url(records["housing"])).status_code == 403

    def test_given_another_organisation_then_its_draft_is_not_found(self, client, records, other_manager):
        client.force_login(other_manager)
        assert client.post(check_url(records["draft"])).status_code == 404
        assert client.post("/api/v1/directory/services/nope/check/").status_code == 404

    def test_given_a_worker_or_another_provider_then_forbidden(self, client, records, worker, other_manager):
        for person in (worker, other_manager):
            client.force_login(person)
            assert client.post(check_url(records["housing"])).status_code == 403

    def test_given_the_provider_or_a_curator_then_the_record_is_fresh_again(self, client, records, manager, curator):
        lantern = records["lantern"]
        client.force_login(curator)

        body = client.post(check_url(lantern)).json()

        assert body["freshness"]["is_stale"] is False
        assert body["freshness"]["last_check_method"] == CheckMethod.CURATOR_VERIFIED
        client.force_login(manager)
        body = client.post(check_url(records["draft"])).json()
        assert body["freshness"]["last_check_method"] == CheckMethod.PROVIDER_CONFIRMED


class TestChangeRequests:
    def report(self, client, service, **fields):
        data = {"service": str(service.uuid), "message": "The phone number has changed.", **fields}
        return client.post(CHANGE_REQUESTS, data, content_type="application/json")

    def test_given_anyone_then_they_report_a_problem_and_their_details_are_not_sent_back(self, client, records):
        response = self.report(
            client, records["housing"], reporter_name="Pat Public", reporter_email="Pat@Example.org",
            suggested_changes={"phone": "0113 496 0000"},
        )

        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "open" and body["service"]["name"] == "Aire Housing Advice"
        assert "reporter_email" not in body and "reporter_name" not in body
        assert "Pat" not in response.content.decode()
        saved = ChangeRequest.objects.get()
        assert (saved.reporter_email, saved.suggested_changes) == ("pat@example.org", {"phone": "0113 496 0000"})

    def test_given_a_draft_or_a_bad_id_then_the_service_is_named_as_the_problem(self, client, records):
        for service_id in (str(records["draft"].uuid), str(uuid.uuid4()), "nope"):
            response = client.post(
                CHANGE_REQUESTS, {"service": service_id, "message": "x"}, content_type="application/json"
            )
            assert response.status_code == 400
            assert "service" in response.json()
        assert not ChangeRequest.objects.exists()

    def test_given_bad_input_then_each_problem_is_named_and_nothing_is_saved(self, client, records):
        empty = self.report(client, records["housing"], message="   ")
        assert empty.status_code == 400
        assert empty.json()["errors"] == {"message": ["Describe the problem or the change."]}
        unknown = self.report(client, records["housing"], suggested_changes={"organisation": "x"})
        assert unknown.status_code == 400 and "organisation" in unknown.json()["detail"]
        bad_email = self.report(client, records["housing"], reporter_email="not an email")
        assert bad_email.status_code == 400 and "reporter_email" in bad_email.json()["errors"]
        assert not ChangeRequest.objects.exists()

    def test_given_anyone_then_listing_or_reading_them_is_refused(self, client, records):
        request = change_request_submit(service=records["housing"], message="Wrong address")

        assert client.get(CHANGE_REQUESTS).status_code == 403
        assert client.get(request_url(request)).status_code == 403

    def test_the_provider_sees_its_requests_with_who_sent_them_and_others_see_none(
        self, client, records, manager, worker, other_manager, curator
    ):
        ours = change_request_submit(
            service=records["housing"], message="Wrong address", reporter_email="pat@example.org"
        )
        theirs = change_request_submit(service=records["lantern"], message="Closed on Fridays")

        client.force_login(manager)
        [item] = client.get(CHANGE_REQUESTS).json()["results"]
        assert item["id"] == ours.pk and item["reporter_email"] == "pat@example.org"
        client.force_login(worker)
        assert client.get(CHANGE_REQUESTS).json()["results"] == []
        client.force_login(other_manager)
        assert [r["id"] for r in client.get(CHANGE_REQUESTS).json()["results"]] == [theirs.pk]
        client.force_login(curator)
        assert client.get(CHANGE_REQUESTS, {"status": "open"}).json()["count"] == 2
        assert client.get(CHANGE_REQUESTS, {"service": str(records["lantern"].uuid)}).json()["count"] == 1

    def test_reading_one_other_organisation_404_wrong_role_403_bad_id_404_provider_200(
        self, client, records, manager, worker, other_manager
    ):
        request = change_request_submit(service=records["housing"], message="Wrong address")

        client.force_login(other_manager)
        assert client.get(request_url(request)).status_code == 404
        client.force_login(worker)
        assert client.get(request_url(request)).status_code == 403
        client.force_login(manager)
        assert client.get("/api/v1/directory/change-requests/999999/").status_code == 404
        assert client.get(request_url(request)).json()["message"] == "Wrong address"

    def test_the_provider_accepts_one_with_a_reason_and_the_change_is_applied(
        self, client, records, manager, worker, other_manager
    ):
        request = change_request_submit(
            service=records["housing"], message="New number", suggested_changes={"phone": "0113 496 0000"}
        )
        url = request_url(request, decision=True)

        assert client.post(url, {"accept": True, "reason": "x"}, content_type="application/json").status_code == 403
        client.force_login(other_manager)
        assert client.post(url, {"accept": True, "reason": "x"}, content_type="application/json").status_code == 404
        client.force_login(worker)
        assert client.post(url, {"accept": True, "reason": "x"}, content_type="application/json").status_code == 403
        client.force_login(manager)
        missing = client.post(url, {"accept": True, "reason": "  "}, content_type="application/json")
        assert missing.status_code == 400

        response = client.post(url, {"accept": True, "reason": "Thank you."}, content_type="application/json")

        assert response.status_code == 200 and response.json()["status"] == ChangeRequestStatus.ACCEPTED
        assert response.json()["decided_by"] == "Morgan Manager"
        records["housing"].refresh_from_db()
        assert records["housing"].phone == "0113 496 0000"


class TestProvision:
    def test_given_anyone_then_the_maps_figures_are_returned(self, client, records, places):
        body = client.get(PROVISION, {"level": PlaceKind.LOCAL_AUTHORITY}).json()

        assert [a["name"] for a in body["areas"]] == ["Bradford", "Leeds", "Sheffield"]
        assert body["pathways"][0]["code"] == ACCOMMODATION
        leeds = next(c for c in body["cells"] if c["pathway"] == ACCOMMODATION and c["area"] == places.leeds.pk)
        assert leeds == {
            "pathway": ACCOMMODATION, "area": places.leeds.pk, "services": 1, "fresh": 1, "stale": 0,
            "status": "covered", "is_gap": False,
        }
        bradford = next(c for c in body["cells"] if c["pathway"] == ACCOMMODATION and c["area"] == places.bradford.pk)
        assert bradford["status"] == "gap"
        assert len(body["cells"]) == 9 * 3
        assert body["total"]["services"] == 1  # the Calder service has no pathway; drafts never count

    def test_it_looks_inside_an_area_when_asked(self, client, records, places):
        body = client.get(PROVISION, {"level": PlaceKind.LOCAL_AUTHORITY, "within": places.south.pk}).json()

        assert body["within"]["name"] == "South Yorkshire"
        assert [a["name"] for a in body["areas"]] == ["Sheffield"]

    def test_given_a_level_or_area_that_does_not_exist_then_400(self, client, records):
        assert client.get(PROVISION, {"level": "galaxy"}).status_code == 400
        response = client.get(PROVISION, {"within": 999999})
        assert response.status_code == 400 and "within" in response.json()


def test_the_schema_documents_the_directory_endpoints(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    paths = schema["paths"]
    assert {
        "/api/v1/directory/services/", "/api/v1/directory/services/{service_id}/",
        "/api/v1/directory/services/{service_id}/check/", "/api/v1/directory/change-requests/",
        "/api/v1/directory/change-requests/{change_request_id}/",
        "/api/v1/directory/change-requests/{change_request_id}/decision/", "/api/v1/directory/provision/",
    } <= set(paths)
    services = paths["/api/v1/directory/services/"]["get"]
    assert {"organisation", "pathway", "area", "stale", "funding_kind", "relationship_basis", "statutory_body"} <= {
        p["name"] for p in services["parameters"]
    }
    assert "funding" in services["summary"]
    post = paths["/api/v1/directory/change-requests/"]["post"]
    assert "without signing in" in post["description"]
    assert "reporter_email" not in schema["components"]["schemas"]["ChangeRequest"]["properties"]
    assert "reporter_email" in schema["components"]["schemas"]["ChangeRequestForDecider"]["properties"]
    assert {p["name"] for p in paths["/api/v1/directory/provision/"]["get"]["parameters"]} == {"level", "within"}
