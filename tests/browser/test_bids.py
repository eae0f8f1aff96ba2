"""Bids in a real browser: a bidder's manager starts a bid, answers within the word limit, gives a price,
uploads an attachment, submits, sees the receipt with its content hash, then withdraws the bid. Also without
JavaScript, and a bid for one lot of an opportunity split into lots."""

from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from pathways.commissioning.models import Bid, BidStatus
from pathways.commissioning.services import bids as services
from pathways.organisations.models import PlaceKind
from tests.commissioning.bid_fixtures import complete_draft, join_panel
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def opportunity(transactional_db):
    region = PlaceFactory(name="Yorkshire and the Humber", kind=PlaceKind.REGION)
    leeds = PlaceFactory(name="Leeds", kind=PlaceKind.LOCAL_AUTHORITY, parent=region)
    probation = OrganisationFactory(name="Yorkshire Probation", slug="yorkshire-probation",
                                    type=org_type("probation-region"), email="commissioning@probation.example")
    return published(probation, areas=[leeds])


@pytest.fixture
def bidder_manager(transactional_db):
    bidder = OrganisationFactory(name="Kirkgate Women's Project", slug="kirkgate", email="office@kirkgate.example")
    return member("manager", bidder, email="bids@kirkgate.example", full_name="Bea Bidder")


def submit_and_withdraw(web, opportunity, bidder_manager, tmp_path):
    page = web.page
    web.sign_in(bidder_manager)
    web.goto(f"/opportunities/{opportunity.uuid}/")
    page.get_by_role("button", name="Start a bid").click()
    web.assert_accessible()

    page.get_by_label("Quality of support").fill("word " * 501)
    page.get_by_label("Your price, in pounds").fill("380000")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your answer to “Quality of support” must be 500 words or fewer: it has 501")
    assert page.get_by_label("Your price, in pounds").input_value() == "380000"
    web.assert_accessible()
    page.get_by_label("Quality of support").fill("Peer mentors meet women at the gate and stay with them.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your draft has been saved")
    web.assert_accessible()

    page.get_by_role("link", name="Add an attachment").click()
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"MZ this is not a PDF")
    page.get_by_label("Add an attachment").set_input_files(str(fake))
    page.get_by_role("button", name="Upload the attachment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be a PDF")
    web.assert_accessible()
    real = tmp_path / "staffing-plan.pdf"
    real.write_bytes(PDF)
    page.get_by_label("Add an attachment").set_input_files(str(real))
    page.get_by_role("button", name="Upload the attachment").click()
    expect(page.get_by_role("link", name="staffing-plan.pdf")).to_be_visible()

    page.get_by_role("button", name="Check and submit the bid").click()
    expect(page.locator("body")).to_contain_text("Keep your own copy")
    web.assert_accessible()
    page.get_by_role("button", name="Submit the bid").click()
    bid = Bid.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text("Bid submitted")
    expect(page.locator("body")).to_contain_text(bid.receipt_hash)
    web.assert_accessible()

    page.get_by_role("link", name="Your bid’s status").click()
    expect(page.locator("body")).not_to_contain_text("Peer mentors meet women")
    page.get_by_role("button", name="Withdraw the bid").click()
    web.assert_accessible()
    page.get_by_role("button", name="Withdraw the bid").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your bid has been withdrawn")
    expect(page.locator("body")).to_contain_text("You withdrew your bid")
    bid.refresh_from_db()
    assert bid.status == BidStatus.WITHDRAWN


def test_a_bidder_submits_a_bid_with_an_attachment_sees_the_receipt_and_withdraws_it(
    web, opportunity, bidder_manager, tmp_path
):
    submit_and_withdraw(web, opportunity, bidder_manager, tmp_path)


def test_the_same_works_without_javascript(web_without_js, opportunity, bidder_manager, tmp_path):
    submit_and_withdraw(web_without_js, opportunity, bidder_manager, tmp_path)


def test_after_the_deadline_the_commissioner_opens_the_bids_and_reads_one(web, opportunity, bidder_manager):
    commissioner = member("commissioner", opportunity.buyer, email="commissioner@example.org",
                          full_name="Cara Commissioner")
    join_panel(opportunity, commissioner)  # only the panel, declared and without a stake, reads bids
    bid = complete_draft(opportunity, bidder_manager.memberships.get().organisation, bidder_manager,
                         text="Peer mentors meet women at the gate.")
    services.bid_submit(bid=bid, by=bidder_manager)
    page = web.page
    with time_machine.travel(opportunity.deadline + timedelta(minutes=5)):
        web.sign_in(commissioner)
        web.goto(f"/opportunities/{opportunity.uuid}/manage/")
        page.get_by_role("button", name="Open the bids").click()  # a link drawn as a button
        web.assert_accessible()
        page.get_by_role("button", name="Open the bids").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The bids have been opened")
        page.get_by_role("link", name="Kirkgate Women's Project").click()
        expect(page.locator("main")).to_contain_text("Peer mentors meet women at the gate.")
        expect(page.locator("main")).to_contain_text("£380,000")
        web.assert_accessible()


def test_a_bidder_starts_a_bid_for_lot_2_and_the_draft_names_the_lot(web, opportunity, bidder_manager):
    opportunity.lots.create(number=1, title="West Leeds")
    opportunity.lots.create(number=2, title="East Leeds")
    page = web.page
    web.sign_in(bidder_manager)
    web.goto(f"/opportunities/{opportunity.uuid}/")
    expect(page.locator("#bid-heading ~ p").first).to_contain_text("Each lot is a separate bid")
    page.get_by_role("button", name="Start a bid for lot 2").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your bid for Lot 2: East Leeds")
    expect(page.locator(".govuk-caption-l")).to_contain_text("Lot 2: East Leeds")
    web.assert_accessible()
    assert Bid.objects.get().lot.number == 2
