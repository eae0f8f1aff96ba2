"""The public, read-only API of the taxonomy and places."""

import pytest
from rest_framework.test import APIClient

from pathways.organisations.managed_lists import place_retire
from pathways.organisations.models import PlaceKind
from pathways.taxonomy.models import Term
from pathways.taxonomy.services import term_retire
from tests.factories import PlaceFactory

VOCABULARIES = "/api/v1/taxonomy/vocabularies/"
TERMS = "/api/v1/taxonomy/terms/"
PLACES = "/api/v1/places/"


@pytest.fixture
def api():
    return APIClient()


def _codes(response):
    return [term["code"] for term in response.json()["results"]]


def test_anyone_reads_the_vocabularies_without_signing_in(api, db):
    response = api.get(VOCABULARIES)
    assert response.status_code == 200
    assert [v["code"] for v in response.json()] == ["pathways", "service-categories", "client-groups"]
    assert response.json()[1] == {
        "code": "service-categories",
        "uuid": "549d5c35-f039-5dfa-ac66-0cc3d28fd83d",
        "name": "Service categories",
        "description": (
            "What a service does. The first nine are the categories of probation spend in the case study's Annex 2."
        ),
    }


def test_anyone_reads_a_term_by_its_code_with_its_stable_identifiers(api, db):
    health = Term.objects.get(code="category-health")
    dental = Term.objects.create(
        vocabulary=health.vocabulary, code="category-dental", name="Dental care", parent=health
    )
    response = api.get(f"{TERMS}category-dental/")
    assert response.status_code == 200
    assert response.json() == {
        "code": "category-dental",
        "uuid": str(dental.uuid),
        "name": "Dental care",
        "description": "",
        "vocabulary": "service-categories",
        "parent": "category-health",
        "retired": False,
        "retired_at": None,
    }


def test_a_retired_term_is_still_readable_by_its_code(api, curator, arts):
    term_retire(term=arts, reason="Not used.", by=curator)
    body = api.get(f"{TERMS}category-arts/").json()
    assert body["retired"] is True and body["retired_at"] is not None and body["name"] == "Arts"


def test_an_unknown_term_code_is_404(api, db):
    assert api.get(f"{TERMS}category-nothing/").status_code == 404


def test_terms_leave_out_retired_ones_unless_asked(api, curator, arts):
    term_retire(term=arts, reason="Not used.", by=curator)
    current = api.get(TERMS, {"vocabulary": "service-categories"})
    assert current.json()["count"] == 15 and "category-arts" not in _codes(current)
    everything = api.get(TERMS, {"vocabulary": "service-categories", "include_retired": "true"})
    assert everything.json()["count"] == 16 and _codes(everything)[-1] == "category-arts"


def test_terms_filter_by_vocabulary_and_search_by_words(api, db):
    assert api.get(TERMS).json()["count"] == 37
    pathways = api.get(TERMS, {"vocabulary": "pathways"})
    assert _codes(pathways)[0] == "pathway-accommodation" and pathways.json()["count"] == 9
    women = ["pathway-women-abuse", "pathway-women-prostitution", "group-women"]
    assert _codes(api.get(TERMS, {"q": "women"})) == women
    assert _codes(api.get(TERMS, {"q": "chaplaincy"})) == ["category-faith-support"]
    assert api.get(TERMS, {"vocabulary": "no-such-list"}).json()["count"] == 0


def test_a_malformed_filter_is_a_400(api, db):
    assert api.get(TERMS, {"include_retired": "perhaps"}).status_code == 400


def test_places_are_public_current_and_filter_by_kind(api, curator):
    west = PlaceFactory(kind=PlaceKind.PROBATION_REGION, name="West Yorkshire", code="")
    leeds = PlaceFactory(kind=PlaceKind.DELIVERY_UNIT, name="Leeds", parent=west)
    closed = PlaceFactory(kind=PlaceKind.DELIVERY_UNIT, name="Airedale")
    place_retire(place=closed, reason="Merged into Bradford.", by=curator)
    response = api.get(PLACES, {"kind": "delivery_unit"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": leeds.pk, "kind": "delivery_unit", "name": "Leeds", "code": "", "parent": west.pk}
    ]
    assert api.get(PLACES).json()["count"] == 2
    assert api.get(PLACES, {"kind": "county"}).status_code == 400


@pytest.mark.parametrize("url", [VOCABULARIES, TERMS, f"{TERMS}category-arts/", PLACES])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_can_write_through_the_api(api, curator, url, method):
    assert getattr(api, method)(url, {"name": "Changed"}, format="json").status_code == 405
    api.force_authenticate(curator)
    assert getattr(api, method)(url, {"name": "Changed"}, format="json").status_code == 405
    assert Term.objects.get(code="category-arts").name == "Arts"


def test_the_openapi_schema_documents_the_endpoints_and_their_filters(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    terms = schema["paths"]["/api/v1/taxonomy/terms/"]["get"]
    assert {p["name"] for p in terms["parameters"]} >= {"vocabulary", "include_retired", "q", "page"}
    assert set(schema["paths"]) >= {
        "/api/v1/taxonomy/vocabularies/", "/api/v1/taxonomy/terms/{code}/", "/api/v1/places/",
    }
    assert set(schema["paths"]["/api/v1/taxonomy/terms/{code}/"]) == {"get"}
    assert {p["name"] for p in schema["paths"]["/api/v1/places/"]["get"]["parameters"]} >= {"kind"}
    assert schema["components"]["schemas"]["Term"]["properties"]["uuid"]["format"] == "uuid"
