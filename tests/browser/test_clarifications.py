"""Clarifications in a real browser: a bidder asks a question privately; the commissioner rewords it, answers
and publishes; then anyone reads the answer on the opportunity's page, which does not say who asked."""

import pytest
from playwright.sync_api import expect

from pathways.organisations.models import PlaceKind
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def opportunity(transactional_db):
    region = PlaceFactory(name="Yorkshire and the Humber", kind=PlaceKind.REGION)
    leeds = PlaceFactory(name="Leeds", kind=PlaceKind.LOCAL_AUTHORITY, parent=region)
    probation = OrganisationFactory(name="Yorkshire Probation", slug="yorkshire-probation",
                                    type=org_type("probation-region"), email="commissioning@probation.example")
    return published(probation, areas=[leeds])


@pytest.fixture
def commissioner(opportunity):
    return member("commissioner", opportunity.buyer, email="commissioner@example.org", full_name="Cara Commissioner")


@pytest.fixture
def bidder_worker(transactional_db):
    bidder = OrganisationFactory(name="Kirkgate Women's Project", slug="kirkgate")
    return member("front-line-worker", bidder, email="worker@kirkgate.example", full_name="Wyn Worker")


def test_a_bidder_asks_privately_and_the_answer_is_published_without_saying_who_asked(
    web, opportunity, commissioner, bidder_worker
):
    page = web.page
    web.sign_in(bidder_worker)
    web.goto(f"/opportunities/{opportunity.uuid}/")
    page.get_by_role("link", name="Ask a question").click()
    web.assert_accessible()
    page.get_by_role("button", name="Send the question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    web.assert_accessible()
    page.get_by_label("Your question").fill("Kirkgate runs a market drop-in: can it be our base?")
    page.get_by_role("button", name="Send the question").click()
    expect(page.locator("main")).to_contain_text("Waiting for an answer")
    web.assert_accessible()

    page.context.clear_cookies()
    web.sign_in(commissioner)
    web.goto(f"/opportunities/{opportunity.uuid}/manage/")
    expect(page.locator("body")).to_contain_text("1 question waiting for an answer")
    page.get_by_role("link", name="Answer and publish").click()
    web.assert_accessible()
    page.get_by_label("The question as it will be published").fill("Can a market drop-in be a bidder's base?")
    page.get_by_label("Your answer").fill("Yes, if it is accessible to women with children.")
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The answer has been published")

    page.context.clear_cookies()
    web.goto(f"/opportunities/{opportunity.uuid}/")
    answers = page.get_by_label("Published answers")
    expect(answers).to_contain_text("Can a market drop-in be a bidder's base?")
    expect(answers).to_contain_text("Yes, if it is accessible to women with children.")
    expect(page.locator("body")).not_to_contain_text("Kirkgate")
