"""The Open Referral UK read API: open to anyone, paged in the profile's shape, published services only,
and every response valid against the profile's schemas."""

import uuid

import pytest

from pathways.directory.oruk.mapping import FEATURE_TAXONOMY_ID, feature_term_id
from pathways.directory.models import Publication
from pathways.taxonomy.models import Term, Vocabulary

from .conftest import API, assert_valid, assert_valid_response

PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response["Content-Type"].startswith("application/json")
    return response


def test_given_anyone_when_they_ask_the_root_then_it_names_the_version_profile_and_openapi(client, db):
    response = get(client, "/")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "3.0"
    assert data["profile"].startswith("https://")
    assert data["openapi_url"].endswith("/api/openreferral/v3/openapi.json")
    assert_valid_response("/", data)
    assert client.get(API + "/openapi.json").json()["info"]["title"] == "Open Referral UK Profile"


def test_given_published_and_draft_services_when_listed_then_only_published_appear_in_a_valid_page(
    client, housing, employment, draft
):
    data = get(client, "/services").json()
    assert set(data) == PAGE_KEYS
    assert [item["name"] for item in data["contents"]] == ["Employment skills", "Housing advice drop-in"]
    assert data["total_items"] == 2 and data["size"] == 2 and data["total_pages"] == 1
    assert data["first_page"] and data["last_page"] and not data["empty"]
    assert_valid_response("/services", data)
    for item in data["contents"]:
        assert_valid("service_list", item)
        assert item["organization"]["id"] == str(
            {housing.uuid: housing, employment.uuid: employment}[uuid.UUID(item["id"])].organisation.uuid
        )


def test_given_three_services_when_paged_by_two_then_pages_say_where_they_are(client, housing, employment, provider):
    from tests.factories import directory_service

    directory_service(provider, name="Arts workshop")
    first = get(client, "/services", per_page=2).json()
    second = get(client, "/services", per_page=2, page=2).json()
    beyond = get(client, "/services", per_page=2, page=5).json()
    assert [first["total_items"], first["total_pages"], first["size"], first["first_page"], first["last_page"]] == [3, 2, 2, True, False]
    assert [second["page_number"], second["size"], second["first_page"], second["last_page"]] == [2, 1, False, True]
    assert beyond["contents"] == [] and beyond["empty"] and beyond["last_page"]
    names = [item["name"] for item in first["contents"] + second["contents"]]
    assert names == ["Arts workshop", "Employment skills", "Housing advice drop-in"]
    for page in (first, second, beyond):
        assert_valid_response("/services", page)


@pytest.mark.parametrize("params, error", [
    ({"page": "0"}, "page"), ({"page": "two"}, "page"), ({"per_page": "1000"}, "per_page"),
    ({"taxonomy_term_id": "not-a-uuid"}, "taxonomy_term_id"),
    ({"taxonomy_term_id": "0b7c4f3e-5d1a-4c2b-9e8f-6a7d3c2b1a09"}, "taxonomy_term_id"),
    ({"day": "Funday"}, "day"), ({"start_time": "25:00"}, "start_time"), ({"minimum_age": "old"}, "minimum_age"),
    ({"proximity": "1000"}, "proximity"), ({"full": "maybe"}, "full"),
])
def test_given_a_parameter_that_cannot_be_read_when_listing_then_400_names_it(client, db, params, error):
    response = get(client, "/services", **params)
    assert response.status_code == 400
    assert error in response.json()["errors"]


def test_given_a_term_when_filtering_by_taxonomy_term_id_then_only_services_with_it(client, housing, employment):
    term = Term.objects.get(code="pathway-ete")
    data = get(client, "/services", taxonomy_term_id=str(term.uuid)).json()
    assert [item["name"] for item in data["contents"]] == ["Employment skills"]


def test_given_a_vocabulary_when_filtering_by_taxonomy_id_then_services_with_any_of_its_terms(client, housing, employment):
    categories = Vocabulary.objects.get(code="service-categories")
    data = get(client, "/services", taxonomy_id=str(categories.uuid)).json()
    assert [item["name"] for item in data["contents"]] == ["Housing advice drop-in"]
    pathways = Vocabulary.objects.get(code="pathways")
    assert get(client, "/services", taxonomy_id=str(pathways.uuid)).json()["total_items"] == 2


def test_given_pathways_features_when_filtering_by_feature_term_then_flags_are_matched(client, housing, employment):
    data = get(client, "/services", taxonomy_term_id=feature_term_id("setting-custody")).json()
    assert [item["name"] for item in data["contents"]] == ["Employment skills"]
    assert get(client, "/services", taxonomy_id=FEATURE_TAXONOMY_ID).json()["total_items"] == 2


def test_given_ages_days_and_times_when_filtering_then_schedules_and_ages_decide(client, housing, employment):
    names = lambda **params: [item["name"] for item in get(client, "/services", **params).json()["contents"]]  # noqa: E731
    assert names(minimum_age=20) == ["Employment skills"]
    assert names(maximum_age=70) == ["Housing advice drop-in"]
    assert names(day="TU") == ["Housing advice drop-in"]
    assert names(day="monday") == ["Employment skills"]
    assert names(start_time="09:30") == ["Housing advice drop-in"]
    assert names(end_time="12:00") == ["Housing advice drop-in"]
    assert names(organization_id=str(employment.organisation.uuid)) == ["Employment skills"]


def test_given_full_true_when_listing_then_services_are_fully_nested(client, housing):
    data = get(client, "/services", full="true").json()
    item = data["contents"][0]
    assert item["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "LS1 5AB"
    assert_valid("service", item)


def test_given_a_published_service_when_fetched_then_it_is_fully_nested_and_valid(client, housing):
    data = get(client, f"/services/{housing.uuid}").json()
    assert_valid_response("/services/{id}", data)
    assert_valid("service", data)
    assert data["id"] == str(housing.uuid)
    assert data["organization"]["name"] == "Aire Housing Trust"
    assert data["minimum_age"] == 18 and data["maximum_age"] == 65
    assert data["assured_date"] == housing.last_checked_at.date().isoformat()
    location = data["service_at_locations"][0]["location"]
    assert location["latitude"] == 53.7974
    assert location["addresses"][0] | {} == location["addresses"][0]
    assert location["addresses"][0]["address_1"] == "1 Park Row"
    assert location["accessibility"][0]["description"] == "Step-free entrance"
    schedules = {(s["byday"], s["opens_at"], s["closes_at"], s["description"]) for s in data["schedules"]}
    assert schedules == {("TU", "10:00", "12:00", "Drop-in: no appointment needed"), ("TH", "14:00", "16:00", "By appointment")}
    assert {s["freq"] for s in data["schedules"]} == {"WEEKLY"}
    assert data["service_areas"][0]["name"] == "Leeds"
    assert [language["name"] for language in data["languages"]] == ["English", "Urdu"]
    assert data["cost_options"][0]["amount"] == 0
    assert data["contacts"][0]["phones"][0]["number"] == "0113 496 0001"
    assert data["funding"] == []
    terms = {attribute["taxonomy_term"]["term"] for attribute in data["attributes"]}
    assert terms == {"pathway-accommodation", "category-housing", "route-self", "setting-community"}
    accommodation = Term.objects.get(code="pathway-accommodation")
    assert str(accommodation.uuid) in {attribute["taxonomy_term_id"] for attribute in data["attributes"]}


def test_given_a_charged_service_when_fetched_then_its_cost_is_described(client, employment):
    data = get(client, f"/services/{employment.uuid}").json()
    assert data["fees"] == "£5 a session"
    assert data["cost_options"][0]["amount_description"] == "£5 a session"


@pytest.mark.parametrize("path", ["/services/{}", "/service_at_locations/{}", "/taxonomies/{}", "/taxonomy_terms/{}"])
@pytest.mark.parametrize("bad_id", ["5f0e9d8c-7b6a-4d3c-8b2a-1f0e9d8c7b6a", "not-a-uuid"])
def test_given_an_unknown_id_when_fetched_then_404_json(client, db, path, bad_id):
    response = get(client, path.format(bad_id))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_given_a_draft_or_withdrawn_service_when_fetched_by_id_then_404(client, housing, draft):
    assert get(client, f"/services/{draft.uuid}").status_code == 404
    housing.publication = Publication.WITHDRAWN
    housing.save(update_fields=["publication"])
    assert get(client, f"/services/{housing.uuid}").status_code == 404
    sal = housing.service_at_locations.get()
    assert get(client, f"/service_at_locations/{sal.uuid}").status_code == 404
    assert get(client, "/service_at_locations").json()["total_items"] == 0


def test_given_services_at_locations_when_listed_then_published_places_in_a_valid_page(client, housing, employment, draft):
    from tests.factories import LocationFactory

    hidden = LocationFactory(organisation=draft.organisation)
    draft.service_at_locations.create(location=hidden)
    data = get(client, "/service_at_locations").json()
    assert_valid_response("/service_at_locations", data)
    assert data["total_items"] == 2
    first = data["contents"][0]
    assert_valid("service_at_location_list", first)
    assert first["service"]["name"] == "Employment skills"
    assert first["location"]["name"] == "Works Office"


def test_given_a_postcode_and_proximity_when_listing_places_then_only_near_ones_nearest_first(
    client, housing, employment, postcodes
):
    near_leeds = get(client, "/service_at_locations", postcode="LS6 1AA", proximity="10000").json()
    assert [item["service"]["name"] for item in near_leeds["contents"]] == ["Housing advice drop-in"]
    both = get(client, "/service_at_locations", postcode="BD1 1AA").json()
    assert [item["service"]["name"] for item in both["contents"]] == ["Employment skills", "Housing advice drop-in"]
    far = get(client, "/service_at_locations", postcode="HU1", proximity="5000").json()
    assert far["total_items"] == 0 and far["empty"]
    assert get(client, "/service_at_locations", postcode="ZZ99").status_code == 400


def test_given_a_service_at_a_location_when_fetched_then_it_nests_the_location_and_the_full_service(client, housing):
    sal = housing.service_at_locations.get()
    data = get(client, f"/service_at_locations/{sal.uuid}").json()
    assert_valid_response("/service_at_locations/{id}", data)
    assert_valid("service_at_location", data)
    assert data["location"]["addresses"][0]["postal_code"] == "LS1 5AB"
    assert data["service"]["id"] == str(housing.uuid)
    assert_valid("service", data["service"])


def test_given_the_taxonomy_when_listed_then_vocabularies_and_terms_are_valid_pages(client, db):
    taxonomies = get(client, "/taxonomies").json()
    assert_valid_response("/taxonomies", taxonomies)
    names = [item["name"] for item in taxonomies["contents"]]
    assert "Resettlement pathways" in names and "Pathways service features" in names
    terms = get(client, "/taxonomy_terms", per_page=200).json()
    assert_valid_response("/taxonomy_terms", terms)
    assert terms["total_items"] == Term.objects.count() + 9
    paged = get(client, "/taxonomy_terms", per_page=5, page=2).json()
    assert paged["size"] == 5 and paged["page_number"] == 2


def test_given_a_taxonomy_or_term_id_when_fetched_then_its_record(client, db):
    vocabulary = Vocabulary.objects.get(code="pathways")
    taxonomy = get(client, f"/taxonomies/{vocabulary.uuid}").json()
    assert_valid_response("/taxonomies/{id}", taxonomy)
    assert taxonomy["name"] == "Resettlement pathways"
    assert {term["term"] for term in taxonomy["taxonomy_terms"]} >= {"pathway-accommodation"}
    term = Term.objects.get(code="pathway-accommodation")
    data = get(client, f"/taxonomy_terms/{term.uuid}").json()
    assert_valid_response("/taxonomy_terms/{id}", data)
    assert data == {
        "id": str(term.uuid), "name": term.name, "description": term.description, "taxonomy": vocabulary.name,
        "taxonomy_id": str(vocabulary.uuid), "term": "pathway-accommodation",
    }
    feature = get(client, f"/taxonomy_terms/{feature_term_id('peer-led')}").json()
    assert feature["taxonomy_id"] == FEATURE_TAXONOMY_ID
    assert get(client, f"/taxonomies/{FEATURE_TAXONOMY_ID}").json()["taxonomy_terms"]


def test_given_many_services_when_listed_or_nested_then_queries_do_not_grow(
    client, provider, places, django_assert_max_num_queries
):
    from tests.factories import LocationFactory, directory_service

    for n in range(12):
        location = LocationFactory(organisation=provider)
        directory_service(provider, name=f"Service {n:02}", terms=["pathway-health", "category-health"],
                          areas=[places["leeds"]], locations=[location])
    with django_assert_max_num_queries(2):
        get(client, "/services", per_page=50)
    with django_assert_max_num_queries(7):
        get(client, "/services", per_page=50, full="true")
    with django_assert_max_num_queries(2):
        get(client, "/service_at_locations", per_page=50)
    sal = provider.locations.first().service_at_locations.get()
    with django_assert_max_num_queries(8):
        get(client, f"/service_at_locations/{sal.uuid}")
    service = sal.service
    with django_assert_max_num_queries(6):
        get(client, f"/services/{service.uuid}")


def test_given_a_search_when_listing_services_then_search_decides_which_and_in_what_order(client, housing, employment, draft):
    data = get(client, "/services", search="housing").json()
    assert [item["name"] for item in data["contents"]] == ["Housing advice drop-in"]
    assert_valid_response("/services", data)
    assert get(client, "/services", search="training").json()["total_items"] == 1
    assert get(client, "/services", search="pilot").json()["total_items"] == 0  # only in the draft


def test_given_a_search_with_a_term_when_listing_then_both_must_match(client, housing, employment):
    accommodation = Term.objects.get(code="pathway-accommodation")
    ete = Term.objects.get(code="pathway-ete")
    assert get(client, "/services", search="housing", taxonomy_term_id=str(accommodation.uuid)).json()["total_items"] == 1
    assert get(client, "/services", search="housing", taxonomy_term_id=str(ete.uuid)).json()["total_items"] == 0


def test_given_a_search_with_a_filter_search_cannot_answer_then_the_database_narrows_it(client, housing, employment):
    data = get(client, "/services", search="training", minimum_age=20).json()
    assert [item["name"] for item in data["contents"]] == ["Employment skills"]
    assert get(client, "/services", search="housing", day="MO").json()["total_items"] == 0


def test_given_a_postcode_and_proximity_when_listing_services_then_only_near_ones_nearest_first(
    client, housing, employment, postcodes
):
    near = get(client, "/services", postcode="LS6", proximity="10000").json()
    assert [item["name"] for item in near["contents"]] == ["Housing advice drop-in"]
    by_distance = get(client, "/services", postcode="BD1 1AA").json()
    assert [item["name"] for item in by_distance["contents"]] == ["Employment skills", "Housing advice drop-in"]
    beyond = get(client, "/services", postcode="BD1 1AA", page=3, per_page=1).json()
    assert beyond["contents"] == [] and beyond["total_items"] == 2
    assert get(client, "/services", postcode="nowhere").status_code == 400


def test_given_a_search_when_listing_places_then_only_places_of_matching_services(client, housing, employment):
    data = get(client, "/service_at_locations", search="training").json()
    assert [item["service"]["name"] for item in data["contents"]] == ["Employment skills"]
