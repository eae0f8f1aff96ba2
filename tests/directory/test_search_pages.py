"""The search page, its print list and saved searches, as people use them (no JavaScript needed)."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.directory.models import STALE_AFTER, AlertFrequency, SavedSearch, Service
from pathways.directory.services.search_index import search_document_refresh
from tests.factories import LocationFactory, OrganisationFactory, PlaceFactory, UserFactory, directory_service

SEARCH = reverse("directory:search")
PRINT = reverse("directory:search-print")
SAVED = reverse("directory:saved-searches")


@pytest.fixture
def directory(db):
    leeds = PlaceFactory(name="Leeds")
    aire = OrganisationFactory(name="Aire Valley Resettlement Trust")
    housing = directory_service(
        aire, name="Housing advice", description="Help to find a home.", terms=["pathway-accommodation"],
        areas=[leeds], self_referral=True, phone="0113 496 0001",
        locations=[LocationFactory(organisation=aire, name="Aire Centre", address_1="1 Kirkgate", city="Leeds",
                                   postcode="LS1 6BR", latitude=53.7965, longitude=-1.5394)],
        drop_in=("WE", time(10), time(12)),
    )
    mentoring = directory_service(
        aire, name="Mentoring at the gate", description="Mentors meet people leaving prison.",
        terms=["pathway-attitudes"], agency_referral=True,
    )
    Service.objects.filter(pk=mentoring.pk).update(last_checked_at=timezone.now() - STALE_AFTER - timedelta(days=3))
    search_document_refresh(service=Service.objects.get(pk=mentoring.pk))
    return {"housing": housing, "mentoring": mentoring, "leeds": leeds}


def test_anyone_sees_every_published_service_with_filters_and_counts(client, directory):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 services" in html
    assert "Housing advice" in html and "Mentoring at the gate" in html
    assert reverse("directory:service", kwargs={"service_id": directory["housing"].uuid}) in html
    assert "Accommodation <span class=\"govuk-hint govuk-!-display-inline\">(1)</span>" in html
    assert "May be out of date" in html
    assert "by the provider" in html


def test_ticking_a_facet_narrows_the_results_and_keeps_the_box_ticked(client, directory):
    response = client.get(SEARCH, {"pathway": "pathway-accommodation"})
    html = response.content.decode()
    assert "1 service" in html and "Mentoring at the gate" not in html
    assert 'value="pathway-accommodation" checked' in html
    # The other pathway is still offered, with its own count.
    assert "Attitudes, thinking and behaviour <span class=\"govuk-hint govuk-!-display-inline\">(1)</span>" in html


def test_a_postcode_sorts_by_distance_and_shows_how_far(client, directory):
    response = client.get(SEARCH, {"postcode": "ls1 6br"})
    html = response.content.decode()
    assert "1 service within 10 miles of LS1 6BR" in html
    assert "miles away" in html


def test_a_postcode_that_cannot_be_found_is_an_error_on_the_form_and_keeps_what_was_typed(client, directory):
    response = client.get(SEARCH, {"q": "housing", "postcode": "XX99 9XX"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_postcode"' in html
    assert "We could not find where XX99 9XX is" in html
    assert 'value="XX99 9XX"' in html and 'value="housing"' in html


def test_a_postcode_that_is_not_a_postcode_is_an_error(client, directory):
    html = client.get(SEARCH, {"postcode": "Leeds"}).content.decode()
    assert "Enter a postcode, like LS6 1AN, or the first part of one, like LS6" in html


def test_when_nothing_matches_the_page_says_what_to_try(client, directory):
    html = client.get(SEARCH, {"q": "gambling"}).content.decode()
    assert "No services match" in html
    assert "fewer or different words" in html


def test_unknown_facet_values_and_a_bad_page_number_do_no_harm(client, directory):
    assert client.get(SEARCH, {"pathway": "no-such-thing", "page": "x"}).status_code == 200
    assert client.get(SEARCH, {"page": "999"}).status_code == 200


def test_results_come_in_pages(client, directory):
    for number in range(21):
        directory_service(name=f"Extra service {number:02}")
    html = client.get(SEARCH, {"order": "name"}).content.decode()
    assert "23 services" in html and "govuk-pagination" in html
    second = client.get(SEARCH, {"order": "name", "page": 2}).content.decode()
    assert "Mentoring at the gate" in second


def test_the_print_list_has_contacts_addresses_and_times(client, directory):
    response = client.get(PRINT, {"q": "housing"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Housing advice" in html and "Mentoring at the gate" not in html
    assert "0113 496 0001" in html
    assert "1 Kirkgate" in html and "LS1 6BR" in html
    assert "Drop-in</strong> Wednesdays 10:00 a.m. to 12 p.m." in html or "Drop-in</strong> Wednesdays" in html
    assert "search-print.css" in html


# Saved searches ---------------------------------------------------------------------------------------

def test_someone_not_signed_in_is_asked_to_sign_in_to_save(client, directory):
    html = client.get(SEARCH, {"q": "housing"}).content.decode()
    assert "to save this search" in html
    response = client.post(reverse("directory:saved-search-new"), {"name": "x", "frequency": "weekly"})
    assert response.status_code == 302 and "sign-in" in response.url
    assert client.get(SAVED).status_code == 302


def test_a_signed_in_person_saves_a_search_and_finds_it_in_their_list(client, directory, worker):
    client.force_login(worker)
    html = client.get(SEARCH, {"q": "housing", "pathway": "pathway-accommodation"}).content.decode()
    assert "Save this search" in html
    response = client.post(reverse("directory:saved-search-new"), {
        "name": "Housing in Leeds", "frequency": "daily", "query": "q=housing&pathway=pathway-accommodation&page=3",
    })
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=worker)
    assert (saved.name, saved.frequency, saved.query) == ("Housing in Leeds", "daily",
                                                         "q=housing&pathway=pathway-accommodation")
    html = client.get(SAVED).content.decode()
    assert "Housing in Leeds" in html and f"{SEARCH}?q=housing&amp;pathway=pathway-accommodation" in html


def test_a_search_needs_a_name(client, directory, worker):
    client.force_login(worker)
    response = client.post(reverse("directory:saved-search-new"), {"name": " ", "frequency": "weekly",
                                                                     "query": "q=housing"})
    assert response.status_code == 200
    assert "Enter a name for the search" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_the_owner_renames_a_saved_search_and_changes_how_often(client, worker):
    saved = SavedSearch.objects.create(user=worker, name="Housing", query="q=housing")
    client.force_login(worker)
    url = reverse("directory:saved-search", args=[saved.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Housing in Leeds", "frequency": "never"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.frequency) == ("Housing in Leeds", AlertFrequency.NEVER)


def test_the_owner_deletes_a_saved_search_after_confirming(client, worker):
    saved = SavedSearch.objects.create(user=worker, name="Housing", query="q=housing")
    client.force_login(worker)
    url = reverse("directory:saved-search-delete", args=[saved.pk])
    assert "Delete “Housing”?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not SavedSearch.objects.exists()


def test_someone_elses_saved_search_is_not_found(client, worker):
    saved = SavedSearch.objects.create(user=UserFactory(), name="Theirs", query="q=housing")
    client.force_login(worker)
    for name in ("directory:saved-search", "directory:saved-search-delete"):
        assert client.get(reverse(name, args=[saved.pk])).status_code == 404
        assert client.post(reverse(name, args=[saved.pk]), {"name": "Mine", "frequency": "daily"}).status_code == 404
    assert "Theirs" not in client.get(SAVED).content.decode()
    saved.refresh_from_db()
    assert saved.name == "Theirs"


def test_a_saved_search_that_does_not_exist_is_not_found(client, worker):
    client.force_login(worker)
    assert client.get(reverse("directory:saved-search", args=[99999])).status_code == 404
