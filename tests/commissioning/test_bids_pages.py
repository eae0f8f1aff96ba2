"""Bid pages: the panel on the opportunity page, the draft, attachments, submission with its receipt,
withdrawal, opening and reading an opened bid; with who may reach each (404 outsiders, 403 non-managers)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from pathways.commissioning.models import Bid, BidStatus
from pathways.commissioning.selectors.bids import section_criteria
from pathways.commissioning.services import bids as services

from .bid_fixtures import *  # noqa: F403
from .bid_fixtures import MARKER, complete_draft, join_panel, pdf_upload

pytestmark = pytest.mark.django_db


def opportunity_page(client, opportunity) -> str:
    return client.get(reverse("commissioning:opportunity", args=[opportunity.uuid])).content.decode()


class TestThePanel:
    def test_a_manager_sees_start_a_bid_and_a_worker_does_not(self, client, opportunity, bidder_manager,
                                                              bidder_worker):
        client.force_login(bidder_manager)
        assert "Start a bid" in opportunity_page(client, opportunity)
        client.force_login(bidder_worker)
        page = opportunity_page(client, opportunity)
        assert "Start a bid" not in page and "A manager of your organisation can start a bid" in page

    def test_the_buyer_is_told_it_cannot_bid(self, client, opportunity, commissioner):
        client.force_login(commissioner)
        assert "you cannot bid for this opportunity" in opportunity_page(client, opportunity)

    def test_a_submitted_bid_shows_its_state_and_receipt_link_to_its_own_organisation_only(
        self, client, opportunity, submitted_bid, bidder_worker, rival_manager
    ):
        client.force_login(bidder_worker)
        page = opportunity_page(client, opportunity)
        assert "Submitted" in page and reverse("commissioning:bid-receipt", args=[submitted_bid.uuid]) in page
        client.force_login(rival_manager)
        page = opportunity_page(client, opportunity)
        assert str(submitted_bid.uuid) not in page and "Start a bid" in page


class TestDrafting:
    def test_starting_drafting_with_errors_that_keep_what_was_typed_then_saving(self, client, opportunity,
                                                                                bidder, bidder_manager):
        client.force_login(bidder_manager)
        response = client.post(reverse("commissioning:bid-start", args=[opportunity.uuid]),
                               {"organisation": bidder.slug})
        bid = Bid.objects.get()
        assert response.url == reverse("commissioning:bid-edit", args=[bid.uuid])
        quality = section_criteria(opportunity)[0]
        edit = reverse("commissioning:bid-edit", args=[bid.uuid])
        too_long = "word " * 501
        response = client.post(edit, {f"section_{quality.pk}": too_long, "price": "12.5"})
        page = response.content.decode()
        assert "govuk-error-summary" in page
        assert "Your answer to “Quality of support” must be 500 words or fewer: it has 501" in page
        assert "whole number of pounds" in page and "12.5" in page and too_long.strip() in page
        response = client.post(edit, {f"section_{quality.pk}": MARKER, "price": "380000",
                                      "subcontractor_0_organisation": "Leeds Credit Union",
                                      "subcontractor_0_work": "Money advice", "subcontractor_0_share_percent": "10"})
        assert response.status_code == 302
        bid.refresh_from_db()
        assert bid.draft["sections"] == {str(quality.pk): MARKER} and bid.draft["price"] == "380000"
        assert bid.draft["subcontractors"] == [{"organisation": "Leeds Credit Union", "work": "Money advice",
                                                "share_percent": 10}]

    def test_an_attachment_with_the_wrong_bytes_is_refused_on_the_page(self, client, opportunity, bidder,
                                                                       bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        client.force_login(bidder_manager)
        url = reverse("commissioning:bid-attachment-add", args=[bid.uuid])
        response = client.post(url, {"file": pdf_upload("plan.pdf", b"MZ not a pdf")})
        assert "The selected file must be a PDF, Word" in response.content.decode()
        response = client.post(url, {"file": pdf_upload()})
        assert response.status_code == 302 and bid.attachments.count() == 1

    def test_the_draft_and_its_attachment_are_readable_by_the_organisation_and_by_no_one_else(
        self, client, opportunity, bidder, bidder_manager, bidder_worker, rival_manager, commissioner
    ):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        attachment = bid.attachments.get()
        pages = [reverse("commissioning:bid", args=[bid.uuid]),
                 reverse("commissioning:bid-attachment", args=[bid.uuid, attachment.uuid])]
        client.force_login(bidder_worker)
        assert all(client.get(url).status_code == 200 for url in pages)
        for outsider in (rival_manager, commissioner):
            client.force_login(outsider)
            assert [client.get(url).status_code for url in pages] == [404, 404]

    def test_members_who_are_not_managers_are_refused_changes_with_403(self, client, opportunity, bidder,
                                                                       bidder_manager, bidder_worker):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        client.force_login(bidder_worker)
        for name in ("bid-edit", "bid-submit", "bid-withdraw", "bid-delete", "bid-attachment-add"):
            assert client.get(reverse(f"commissioning:{name}", args=[bid.uuid])).status_code == 403, name
        assert client.post(reverse("commissioning:bid-submit", args=[bid.uuid])).status_code == 403

    def test_a_bad_bid_id_is_a_404(self, client, bidder_manager):
        client.force_login(bidder_manager)
        assert client.get("/opportunities/bids/00000000-0000-0000-0000-000000000000/").status_code == 404


class TestSubmittingAndWithdrawing:
    def test_submit_see_the_receipt_then_withdraw_and_start_again(self, client, opportunity, bidder,
                                                                  bidder_manager):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        client.force_login(bidder_manager)
        page = client.get(reverse("commissioning:bid-submit", args=[bid.uuid])).content.decode()
        assert "cannot show a submitted bid back to anyone before the deadline" in page
        response = client.post(reverse("commissioning:bid-submit", args=[bid.uuid]))
        assert response.url == reverse("commissioning:bid-receipt", args=[bid.uuid])
        bid.refresh_from_db()
        receipt = client.get(response.url).content.decode()
        assert bid.receipt_hash in receipt and "Keep your own copy" in receipt
        detail = client.get(reverse("commissioning:bid", args=[bid.uuid])).content.decode()
        assert MARKER not in detail and "Withdraw the bid" in detail
        response = client.post(reverse("commissioning:bid-withdraw", args=[bid.uuid]))
        assert response.status_code == 302
        bid.refresh_from_db()
        assert bid.status == BidStatus.WITHDRAWN
        assert "You withdrew your bid" in opportunity_page(client, opportunity)

    def test_a_submission_one_second_late_is_refused_on_the_page(self, client, opportunity, bidder, bidder_manager):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)):
            client.force_login(bidder_manager)
            response = client.post(reverse("commissioning:bid-submit", args=[bid.uuid]))
        assert response.status_code == 200 and "The deadline for bids was" in response.content.decode()
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT

    def test_an_incomplete_draft_lists_what_stops_submission(self, client, opportunity, bidder, bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        client.force_login(bidder_manager)
        page = client.get(reverse("commissioning:bid", args=[bid.uuid])).content.decode()
        assert "Enter your answer to “Quality of support”" in page and "Enter your price, in pounds" in page


class TestOpening:
    def test_the_manage_page_says_sealed_before_the_deadline_and_offers_opening_after(
        self, client, opportunity, submitted_bid, commissioner
    ):
        join_panel(opportunity, commissioner)
        client.force_login(commissioner)
        manage = reverse("commissioning:opportunity-manage", args=[opportunity.uuid])
        page = client.get(manage).content.decode()
        assert "Bids are sealed until the deadline" in page and "Kirkgate" not in page
        response = client.post(reverse("commissioning:bids-open", args=[opportunity.uuid]))
        assert "sealed until the deadline" in response.content.decode()
        with time_machine.travel(opportunity.deadline + timedelta(minutes=5)):
            client.force_login(commissioner)
            assert "Open the bids" in client.get(manage).content.decode()
            response = client.post(reverse("commissioning:bids-open", args=[opportunity.uuid]))
            assert response.status_code == 302
            page = client.get(manage).content.decode()
            assert "Kirkgate Women" in page
            bid_page = client.get(reverse("commissioning:bid", args=[submitted_bid.uuid])).content.decode()
            assert MARKER in bid_page and "380,000" in bid_page

    def test_opening_pages_refuse_members_who_may_not_and_outsiders(self, client, agency_opportunity,
                                                                    commissioner, probation_worker, rival_manager):
        url = reverse("commissioning:bids-open", args=[agency_opportunity.uuid])
        client.force_login(probation_worker)
        assert client.get(url).status_code == 403
        client.force_login(commissioner)  # the agency runs it, so the buyer's commissioner does not open
        assert client.get(url).status_code == 403
        client.force_login(rival_manager)
        assert client.get(url).status_code == 404


class TestYourBids:
    def test_your_bids_lists_only_your_organisations_bids(self, client, opportunity, bidder, bidder_manager,
                                                          rival, rival_manager):
        services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        services.bid_start(opportunity=opportunity, organisation=rival, by=rival_manager)
        client.force_login(bidder_manager)
        page = client.get(reverse("commissioning:bids-mine")).content.decode()
        assert "Kirkgate Women" in page and "Calder Homes" not in page
