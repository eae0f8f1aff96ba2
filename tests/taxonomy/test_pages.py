"""Who can open the shared-list pages: curators; anyone else signed in gets a 404; anonymous people sign in."""

import pytest
from django.urls import reverse

from pathways.organisations.models import PlaceKind
from tests.factories import PlaceFactory


@pytest.fixture
def place(db):
    return PlaceFactory(kind=PlaceKind.PRISON, name="HMP Wealstun", code="WLI")


def _pages(place):
    """Every page, as (name, args)."""
    return [
        ("taxonomy:lists", []),
        ("taxonomy:vocabulary", ["service-categories"]),
        ("taxonomy:term-add", ["service-categories"]),
        ("taxonomy:term-edit", ["category-arts"]),
        ("taxonomy:term-retire", ["category-arts"]),
        ("taxonomy:term-reinstate", ["category-arts"]),
        ("taxonomy:places", []),
        ("taxonomy:place-add", []),
        ("taxonomy:place-edit", [place.pk]),
        ("taxonomy:place-retire", [place.pk]),
        ("taxonomy:place-reinstate", [place.pk]),
        ("taxonomy:organisation-types", []),
        ("taxonomy:organisation-type-add", []),
        ("taxonomy:organisation-type-edit", ["charity"]),
        ("taxonomy:organisation-type-retire", ["charity"]),
        ("taxonomy:organisation-type-reinstate", ["charity"]),
        ("taxonomy:roles", []),
        ("taxonomy:role-add", []),
        ("taxonomy:role-edit", ["volunteer"]),
        ("taxonomy:role-retire", ["volunteer"]),
        ("taxonomy:role-reinstate", ["volunteer"]),
    ]


PAGE_NAMES = [name for name, _ in _pages(PlaceFactory.build(pk=1))]
FORM_PAGES = [name for name in PAGE_NAMES if name.rsplit("-", 1)[-1] in {"add", "edit", "retire", "reinstate"}]


def _url(name, place):
    return reverse(name, args=dict(_pages(place))[name])


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_people_are_sent_to_sign_in(client, place, name):
    url = _url(name, place)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:sign-in')}?next={url}"


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("person", ["manager", "worker"])
def test_signed_in_people_who_are_not_curators_get_404(client, request, place, name, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(_url(name, place)).status_code == 404


@pytest.mark.parametrize("name", FORM_PAGES)
def test_a_manager_posting_to_a_form_gets_404_and_changes_nothing(client, manager, place, name):
    client.force_login(manager)
    data = {"name": "Changed", "reason": "Because.", "kind": "prison", "capabilities": ["curate"]}
    assert client.post(_url(name, place), data).status_code == 404
    place.refresh_from_db()
    assert place.name == "HMP Wealstun" and not place.is_retired


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_curator_opens_every_page(client, curator, place, name):
    client.force_login(curator)
    response = client.get(_url(name, place))
    assert response.status_code == 200
    assert b"Shared lists" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/taxonomy/vocabularies/no-such-list/",
        "/taxonomy/vocabularies/no-such-list/add/",
        "/taxonomy/terms/category-nothing/change/",
        "/taxonomy/terms/category-nothing/retire/",
        "/taxonomy/terms/category-nothing/reinstate/",
        "/taxonomy/places/?kind=county",
        "/taxonomy/places/999999/change/",
        "/taxonomy/places/999999/retire/",
        "/taxonomy/places/999999/reinstate/",
        "/taxonomy/organisation-types/guild/change/",
        "/taxonomy/organisation-types/guild/retire/",
        "/taxonomy/organisation-types/guild/reinstate/",
        "/taxonomy/roles/jester/change/",
        "/taxonomy/roles/jester/retire/",
        "/taxonomy/roles/jester/reinstate/",
    ],
)
def test_a_curator_asking_for_something_that_does_not_exist_gets_404(client, curator, url):
    client.force_login(curator)
    assert client.get(url).status_code == 404


def test_the_index_shows_each_list_with_its_counts(client, curator, place):
    client.force_login(curator)
    response = client.get(reverse("taxonomy:lists"))
    vocabularies = [(v.code, v.current, v.retired) for v in response.context["vocabularies"]]
    assert vocabularies == [("pathways", 9, 0), ("service-categories", 16, 0), ("client-groups", 12, 0)]
    prisons = next(row for row in response.context["place_kinds"] if row["kind"] == PlaceKind.PRISON)
    assert (prisons["current"], prisons["retired"], prisons["plural"]) == (1, 0, "Prisons")
    assert response.context["organisation_types"] == {"current": 11, "retired": 0}
    assert response.context["roles"] == {"current": 7, "retired": 0}
    html = response.content.decode()
    assert 'href="/taxonomy/vocabularies/service-categories/"' in html
    assert 'href="/taxonomy/places/?kind=prison"' in html
    assert 'href="/taxonomy/organisation-types/"' in html and 'href="/taxonomy/roles/"' in html
