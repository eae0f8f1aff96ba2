"""The list of organisations, for curators only."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, PlaceFactory, org_type

pytestmark = pytest.mark.django_db

URL = reverse("organisations:list")


def names_in(response):
    return [organisation.name for organisation in response.context["page"]]


def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('web:sign-in')}?next={URL}"


@pytest.mark.parametrize("person", ["manager", "worker"])
def test_given_someone_who_is_not_a_curator_then_the_list_is_not_found(person, client, request):
    client.force_login(request.getfixturevalue(person))
    assert client.get(URL).status_code == 404


def test_given_a_curator_then_they_see_every_organisation_with_its_size_and_can_add_one(
    client, curator, charity, other_charity
):
    charity.annual_income = 50000
    charity.save()
    client.force_login(curator)
    response = client.get(URL)
    assert response.status_code == 200
    assert names_in(response) == [
        "Aire Valley Resettlement Trust", "Calder Lantern Project", "Ridings Voluntary Action"
    ]
    content = response.content.decode()
    assert "Small (£10,000 to £100,000)" in content
    assert reverse("organisations:create") in content


def test_given_a_name_search_then_only_matching_organisations_are_listed(client, curator, charity, other_charity):
    client.force_login(curator)
    assert names_in(client.get(URL, {"q": "lantern"})) == ["Calder Lantern Project"]


def test_given_a_type_filter_then_only_that_type_is_listed(client, curator, charity, infrastructure_body):
    client.force_login(curator)
    assert names_in(client.get(URL, {"type": "infrastructure-body"})) == ["Ridings Voluntary Action"]


def test_given_an_area_filter_then_only_organisations_working_there_are_listed(
    client, curator, charity, other_charity
):
    wakefield = PlaceFactory(name="Wakefield")
    other_charity.areas.add(wakefield)
    client.force_login(curator)
    assert names_in(client.get(URL, {"area": wakefield.pk})) == ["Calder Lantern Project"]


def test_given_no_match_then_the_page_says_so(client, curator):
    client.force_login(curator)
    response = client.get(URL, {"q": "nothing like this"})
    assert "No organisations found" in response.content.decode()


def test_given_many_organisations_then_they_are_paged_and_the_search_is_kept_in_the_links(client, curator):
    OrganisationFactory.create_batch(30, type=org_type("prison"))
    client.force_login(curator)
    first = client.get(URL, {"type": "prison"})
    assert len(first.context["page"]) == 25
    content = first.content.decode()
    assert 'class="govuk-pagination"' in content
    assert "?type=prison&amp;page=2" in content
    second = client.get(URL, {"type": "prison", "page": 2})
    assert len(second.context["page"]) == 5


def test_given_a_filter_that_is_not_valid_then_it_is_ignored_and_the_others_still_apply(
    client, curator, charity, other_charity
):
    client.force_login(curator)
    response = client.get(URL, {"q": "lantern", "type": "no-such-type"})
    assert names_in(response) == ["Calder Lantern Project"]
    assert '<a href="#id_type">' in response.content.decode()
