"""Award letters in a real browser: the buyer approves the recommendation, and an unsuccessful bidder reads
their letter (their scores, the winner's, the reasons) as a page and downloads it as a real PDF."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from pathways.commissioning.models import AwardStatus
from pathways.commissioning.services import awards as award_services
from pathways.commissioning.services import evaluation as evaluation_services
from pathways.commissioning.services import opportunities as opportunity_services
from tests.commissioning.evaluation_fixtures import open_bids, sign, submit_bid
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def recommended(transactional_db):
    probation = OrganisationFactory(name="Yorkshire Probation", slug="yorkshire-probation",
                                    type=org_type("probation-region"))
    agency = OrganisationFactory(name="Ridings Bidding Agency", slug="ridings-agency",
                                 type=org_type("infrastructure-body"), email="agency@example.org")
    worker = member("partnership-development-worker", agency, email="pdw@example.org", full_name="Priya Partnership")
    commissioner = member("commissioner", probation, email="commissioner@example.org", full_name="Cara Commissioner")
    winner_org = OrganisationFactory(name="Aire Valley Homes", slug="aire-valley-homes")
    rival_org = OrganisationFactory(name="Calder Housing Project", slug="calder-housing")
    rival = member("manager", rival_org, email="rival@example.org", full_name="Rhys Rival")
    opportunity = published(probation, agency=agency, by=worker, areas=[PlaceFactory(name="Leeds")])
    quality = opportunity.criteria.get(is_price=False)
    winner_bid = submit_bid(opportunity, winner_org, sections={quality.pk: "Three houses."}, price=400_000)
    rival_bid = submit_bid(opportunity, rival_org, sections={quality.pk: "Floating support."}, price=320_000)
    with time_machine.travel(opportunity.deadline + timedelta(hours=1), tick=True):
        open_bids(opportunity, timezone.now())
        opportunity_services.opportunity_evaluation_start(opportunity=opportunity, by=worker)
        sign(evaluation_services.panel_member_add(opportunity=opportunity, by=worker, email=worker.email,
                                                  role="chair"), worker)
        evaluation_services.moderated_score_record(bid=winner_bid, criterion=quality, by=worker, score=9,
                                                   reason="A tested plan with houses ready.")
        evaluation_services.moderated_score_record(bid=rival_bid, criterion=quality, by=worker, score=5,
                                                   reason="Sound, but little on keeping tenancies.")
        award = award_services.award_recommend(opportunity=opportunity, bid=winner_bid, by=worker,
                                               recommendation="The highest score: houses ready and a tested plan.")
        yield {"opportunity": opportunity, "award": award, "commissioner": commissioner, "rival": rival,
               "worker": worker}


def test_the_buyer_approves_and_an_unsuccessful_bidder_reads_the_letter_and_its_pdf(web, recommended):
    page = web.page
    opportunity = recommended["opportunity"]

    page.context.clear_cookies()
    web.sign_in(recommended["worker"])
    web.goto(f"/opportunities/{opportunity.uuid}/manage/")
    expect(page.locator("body")).to_contain_text("Recommended by the panel")
    page.context.clear_cookies()
    web.sign_in(recommended["commissioner"])
    web.goto(f"/opportunities/{opportunity.uuid}/manage/")
    page.get_by_role("button", name="Approve or send back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the award")
    web.assert_accessible()
    page.get_by_label("Approve the award").check()
    page.get_by_role("button", name="Save your decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The standstill has started")
    web.assert_accessible()
    recommended["award"].refresh_from_db()
    assert recommended["award"].status == AwardStatus.STANDSTILL

    page.context.clear_cookies()
    web.sign_in(recommended["rival"])
    web.goto(f"/opportunities/{opportunity.uuid}/")
    page.get_by_role("link", name="Read your letter").click()
    letter = page.locator(".award-letter")
    expect(letter).to_contain_text("your bid was not successful")
    expect(letter).to_contain_text("Aire Valley Homes")
    expect(letter).to_contain_text("little on keeping tenancies")
    expect(letter).to_contain_text("houses ready and a tested plan")
    web.assert_accessible()

    href = page.get_by_role("link", name="Download this letter as a PDF").get_attribute("href")
    response = page.request.get(web.url(href))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
