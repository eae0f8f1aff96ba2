"""A curator harvests another Open Referral UK directory: a mistyped address first, then a feed with a
problem (refused whole, the problem named), then a good feed, followed on the job's page."""

import json

from playwright.sync_api import expect
from werkzeug import Response

from pathways.directory.models import Service
from tests.directory.oruk.feeds import full_service, spoiled
from tests.factories import PlaceFactory


def serve(httpserver, path: str, documents: list[dict]) -> str:
    page = {"total_items": len(documents), "total_pages": 1, "page_number": 1, "size": len(documents),
            "first_page": True, "last_page": True, "empty": not documents, "contents": documents}
    httpserver.expect_request(f"{path}/services").respond_with_handler(
        lambda request: Response(json.dumps(page), content_type="application/json")
    )
    return httpserver.url_for(path)


def start_harvest(web, address: str) -> None:
    web.goto("/directory/harvest/")
    web.page.get_by_label("Address of the Open Referral UK API").fill(address)
    web.page.get_by_role("button", name="Start the harvest").click()
    web.page.wait_for_load_state()


def test_a_curator_harvests_a_directory_after_fixing_the_address_and_seeing_a_refused_feed(
    web_without_js, curator, httpserver
):
    web = web_without_js
    PlaceFactory(name="Leeds")
    good = serve(httpserver, "/good", [full_service(1), full_service(2)])
    bad = serve(httpserver, "/bad", [full_service(1), spoiled(full_service(2), ["status"], "open")])
    web.sign_in(curator)

    start_harvest(web, "directory dot example")
    expect(web.page.locator(".govuk-error-summary")).to_contain_text("Enter the address of an Open Referral UK API")
    expect(web.page.get_by_label("Address of the Open Referral UK API")).to_have_value("directory dot example")
    web.assert_accessible()

    start_harvest(web, bad)
    expect(web.page.locator("h1")).to_have_text(f"Harvest of {bad}")
    expect(web.page.locator("[data-job-status]")).to_have_text("Failed")
    expect(web.page.get_by_text("1 problem in 2 records. Nothing was saved.", exact=False)).to_be_visible()
    expect(web.page.get_by_text("$.status: 'open' is not one of", exact=False)).to_be_visible()
    web.assert_accessible()
    assert Service.objects.count() == 0

    start_harvest(web, good)
    expect(web.page.locator("[data-job-status]")).to_have_text("Finished")
    expect(web.page.get_by_text("2 services read: 2 added, 0 changed, 0 unchanged")).to_be_visible()
    web.assert_accessible()
    assert Service.objects.count() == 2

    web.goto("/directory/harvest/")
    table = web.page.get_by_role("table")
    expect(table).to_contain_text(good)
    expect(table).to_contain_text(bad)
    web.page.get_by_text("Why it did not finish").click()
    expect(web.page.locator(".govuk-details__text")).to_contain_text("$.status")


def test_a_worker_cannot_open_the_harvest_page(web, worker):
    web.sign_in(worker)
    response = web.page.goto(web.url("/directory/harvest/"))
    assert response.status == 403
