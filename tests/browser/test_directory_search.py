"""Searching the directory in a real browser, with and without JavaScript: facets with counts, distance
from a postcode, a postcode that cannot be found, the print list, and saving a search."""

from datetime import time

import pytest
from playwright.sync_api import expect

from pathways.directory.models import PostcodeArea, SavedSearch
from tests.factories import LocationFactory, OrganisationFactory, PlaceFactory, directory_service

LEEDS = (53.7965, -1.5394)
WAKEFIELD = (53.6833, -1.4977)


@pytest.fixture
def directory(transactional_db):
    # Transactional tests start from an emptied database: put back the districts the page looks up.
    PostcodeArea.objects.bulk_create([
        PostcodeArea(code="LS1", latitude=53.7967, longitude=-1.5475, town="Leeds"),
        PostcodeArea(code="WF1", latitude=53.6868, longitude=-1.4912, town="Wakefield"),
    ], ignore_conflicts=True)
    leeds, wakefield = PlaceFactory(name="Leeds"), PlaceFactory(name="Wakefield")
    aire = OrganisationFactory(name="Aire Valley Resettlement Trust")
    directory_service(
        aire, name="Leeds housing advice", description="Help to find a home on release.",
        terms=["pathway-accommodation", "category-housing"], areas=[leeds], self_referral=True, phone="0113 496 0001",
        locations=[LocationFactory(organisation=aire, name="Aire Centre", address_1="1 Kirkgate", postcode="LS1 6BR",
                                   latitude=LEEDS[0], longitude=LEEDS[1])],
        drop_in=("TU", time(10), time(12)),
    )
    directory_service(
        aire, name="Wakefield housing support", description="Tenancy support for people on probation.",
        terms=["pathway-accommodation"], areas=[wakefield], agency_referral=True,
        locations=[LocationFactory(organisation=aire, name="Wakefield office", city="Wakefield", postcode="WF1 1AA",
                                   latitude=WAKEFIELD[0], longitude=WAKEFIELD[1])],
    )
    directory_service(
        aire, name="Housing benefit clinic", description="Advice on housing benefit and debts.",
        terms=["pathway-finance", "category-advice"], areas=[leeds], self_referral=True,
    )


def _search_and_filter(web):
    web.goto("/directory/")
    web.page.get_by_label("Search for a service").fill("housing")
    web.page.get_by_role("button", name="Search", exact=True).click()
    assert web.page.locator("#results-heading").inner_text() == "3 services"
    pathway = web.page.get_by_role("group", name="Pathway")
    assert "Accommodation (2)" in pathway.inner_text()
    assert "Finance, benefit and debt (1)" in pathway.inner_text()
    web.assert_accessible()

    pathway.get_by_label("Accommodation").check()
    web.page.get_by_role("button", name="Apply filters").click()
    assert web.page.locator("#results-heading").inner_text() == "2 services"
    results = web.page.locator(".pathways-search-result").all_inner_texts()
    assert not any("Housing benefit clinic" in text for text in results)
    pathway = web.page.get_by_role("group", name="Pathway")
    assert pathway.get_by_label("Accommodation").is_checked()
    # Counts of the ticked facet still show its other values.
    assert "Finance, benefit and debt (1)" in pathway.inner_text()
    assert "How people are referred" in web.page.content()
    web.assert_accessible()


def test_a_worker_searches_with_facets_and_sees_counts_and_narrowed_results(web, directory):
    _search_and_filter(web)


def test_search_with_facets_works_without_javascript(web_without_js, directory):
    _search_and_filter(web_without_js)


def test_services_nearest_a_postcode_come_first_with_their_distance(web_without_js, directory):
    web = web_without_js
    web.goto("/directory/")
    web.page.get_by_label("Postcode or district").fill("wf1")
    web.page.get_by_label("Within").select_option("25")
    web.page.get_by_role("button", name="Search", exact=True).click()
    assert web.page.locator("#results-heading").inner_text() == "2 services within 25 miles of WF1"
    names = web.page.locator(".pathways-search-result h3").all_inner_texts()
    assert names == ["Wakefield housing support", "Leeds housing advice"]
    assert "miles away" in web.page.locator(".pathways-search-result").first.inner_text()
    assert web.page.get_by_label("Sort by").input_value() == ""  # best match: nearest first for a postcode
    web.assert_accessible()


def test_a_postcode_that_cannot_be_found_shows_the_error_and_keeps_what_was_typed(web, directory):
    web.goto("/directory/")
    web.page.get_by_label("Search for a service").fill("housing")
    web.page.get_by_label("Postcode or district").fill("ZZ99 9ZZ")
    web.page.get_by_role("button", name="Search", exact=True).click()
    summary = web.page.locator(".govuk-error-summary")
    assert "We could not find where ZZ99 9ZZ is" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert web.page.get_by_label("Postcode or district").input_value() == "ZZ99 9ZZ"
    assert web.page.get_by_label("Search for a service").input_value() == "housing"
    web.assert_accessible()


def test_the_print_list_has_contacts_addresses_and_drop_in_times(web_without_js, directory):
    web = web_without_js
    web.goto("/directory/?q=leeds+housing")
    web.page.get_by_role("link", name="Print a list of these services").click()
    text = web.page.locator("main").inner_text()
    assert "Leeds housing advice" in text
    assert "0113 496 0001" in text and "1 Kirkgate" in text and "Drop-in Tuesdays" in text
    web.page.emulate_media(media="print")
    expect(web.page.locator(".govuk-service-navigation")).to_be_hidden()
    web.assert_accessible()


def test_a_signed_in_worker_saves_a_search_and_finds_it_again(web, directory, worker):
    web.sign_in(worker)
    web.goto("/directory/?q=housing&pathway=pathway-accommodation")
    web.page.get_by_text("Save this search and be emailed about new services").click()
    web.page.get_by_label("Name this search").fill("Housing on release")
    web.page.get_by_label("Every day, if there are new services").check()
    web.page.get_by_role("button", name="Save this search").click()
    assert "Your search “Housing on release” has been saved." in web.page.content()
    web.assert_accessible()
    web.page.get_by_role("link", name="Housing on release", exact=True).click()
    assert web.page.locator("#results-heading").inner_text() == "2 services"
    assert SavedSearch.objects.get(user=worker).frequency == "daily"
