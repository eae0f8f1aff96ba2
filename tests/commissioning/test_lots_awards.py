"""Evaluation and award lot by lot: each lot ranked on its own (price points against that lot's lowest price),
recommended, approved with letters to that lot's bidders only, confirmed with its own contract; the
opportunity awarded once every lot with bids is confirmed. The pages and the API for one lot."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from pathways.commissioning.models import Award, AwardStatus, Contract, Inquiry, OpportunityStatus
from pathways.commissioning.selectors import awards as award_selectors
from pathways.commissioning.selectors import evaluation as selectors
from pathways.commissioning.services import awards as services
from pathways.commissioning.services import evaluation as evaluation_services
from pathways.core.errors import DomainError

from .evaluation_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def recommend(opportunity, bid, by):
    return services.award_recommend(opportunity=opportunity, bid=bid, by=by,
                                    recommendation=f"The highest score for {bid.lot.title}.")


def confirm_after_standstill(award):
    with time_machine.travel(award.standstill_ends_at + timedelta(minutes=1), tick=False):
        return services.award_confirm(award=award, by=None)


@pytest.fixture
def lot1_recommended(lots_moderated, lot_bids, agency_worker):
    return recommend(lots_moderated, lot_bids[1][0], agency_worker)


@pytest.fixture
def lot1_approved(lot1_recommended, commissioner):
    return services.award_approve(award=lot1_recommended, by=commissioner)


def totals(ranked):
    return [(row.bid, row.total) for row in ranked]


class TestRankingByLot:
    def test_each_lot_is_ranked_on_its_own_against_its_lowest_price(self, lots_moderated, lot_bids):
        # Lot 1, lowest £320,000: Aire 9/10 × 60 + 320/400 × 40 = 86; Calder 30 + 40 = 70.
        assert totals(selectors.ranking(lots_moderated, lot=lot_bids[1][0].lot)) == [
            (lot_bids[1][0], Decimal("86.00")), (lot_bids[1][1], Decimal("70.00"))]
        # Lot 2, lowest £250,000: Wharfe 48 + 40 = 88; Calder 36 + 250/300 × 40 = 69.33.
        assert totals(selectors.ranking(lots_moderated, lot=lot_bids[2][0].lot)) == [
            (lot_bids[2][1], Decimal("88.00")), (lot_bids[2][0], Decimal("69.33"))]

    def test_the_whole_opportunity_has_no_ranking_of_its_own(self, lots_moderated):
        assert selectors.ranking(lots_moderated) == []


class TestRecommendByLot:
    def test_one_standing_recommendation_per_lot(self, lot1_recommended, lots_moderated, lot_bids, agency_worker):
        assert lot1_recommended.lot.number == 1 and lot1_recommended.value == 400_000
        with pytest.raises(DomainError, match="already a recommendation for Lot 1: West Leeds"):
            recommend(lots_moderated, lot_bids[1][1], agency_worker)
        other = recommend(lots_moderated, lot_bids[2][1], agency_worker)
        assert other.lot.number == 2 and other.value == 250_000
        assert award_selectors.award_current(lots_moderated, lot_bids[2][1].lot) == other
        assert [entry.award for entry in award_selectors.awards_by_lot(lots_moderated)] == [lot1_recommended, other]

    def test_a_lot_waits_for_its_own_agreed_scores_only(self, lots_in_evaluation, lot_bids, agency_worker,
                                                       agency_on_panel):
        criterion = lots_in_evaluation.criteria.get(is_price=False)
        for bid in lot_bids[2]:
            evaluation_services.moderated_score_record(bid=bid, criterion=criterion, by=agency_worker, score=7,
                                                       reason="Agreed.")
        with pytest.raises(DomainError, match="agreed score"):
            recommend(lots_in_evaluation, lot_bids[1][0], agency_worker)
        assert recommend(lots_in_evaluation, lot_bids[2][0], agency_worker).lot.number == 2

    def test_sent_back_for_one_lot_leaves_the_other_standing(self, lot1_recommended, lots_moderated, lot_bids,
                                                             agency_worker, commissioner):
        other = recommend(lots_moderated, lot_bids[2][1], agency_worker)
        services.award_send_back(award=lot1_recommended, by=commissioner, reason="Check the West Leeds price")
        west, east = award_selectors.awards_by_lot(lots_moderated)
        assert west.award is None and west.sent_back == [lot1_recommended]
        assert east.award == other and east.sent_back == []
        assert recommend(lots_moderated, lot_bids[1][1], agency_worker).status == AwardStatus.RECOMMENDED


class TestApprovalAndLetters:
    def test_letters_go_only_to_the_lots_bidders_and_name_the_lot(
            self, lot1_recommended, commissioner, lot_bids, bidder_manager, rival_manager, third_manager,
            mailoutbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            award = services.award_approve(award=lot1_recommended, by=commissioner)
        letters = {letter.bid: letter for letter in award.letters.all()}
        assert set(letters) == set(lot_bids[1])
        winner, loser = letters[lot_bids[1][0]], letters[lot_bids[1][1]]
        assert "Lot 1: West Leeds" in winner.html and "of the 2 bids we received for this lot" in winner.html
        assert "came 2 of the 2 bids we received for this lot" in loser.html and "86.00" in loser.html
        by_address = {message.to[0]: message for message in mailoutbox}
        assert set(by_address) == {bidder_manager.email, rival_manager.email}
        assert "lot 1, West Leeds" in by_address[rival_manager.email].body
        assert by_address[rival_manager.email].subject.endswith(", lot 1")

    def test_a_lots_letters_are_measured_against_that_lots_winner(self, lots_moderated, lot_bids, agency_worker,
                                                                 commissioner):
        award = services.award_approve(award=recommend(lots_moderated, lot_bids[2][1], agency_worker),
                                       by=commissioner)
        letter = award.letters.get(bid=lot_bids[2][0])
        assert "Lot 2: East Leeds" in letter.html and "88.00" in letter.html and "86.00" not in letter.html


class TestConfirmByLot:
    def test_the_opportunity_stays_in_evaluation_until_every_lot_is_confirmed(
            self, lot1_approved, lots_moderated, lot_bids, agency_worker, commissioner):
        first = confirm_after_standstill(lot1_approved)
        lots_moderated.refresh_from_db()
        assert lots_moderated.status == OpportunityStatus.EVALUATION and lots_moderated.awarded_at is None
        assert (first.reference, first.title) == (f"{lots_moderated.reference}-C1", f"{lots_moderated.title}: West Leeds")
        assert first.supplier == lot_bids[1][0].bidder and first.value == 400_000

        # Lot 2 can still be recommended, approved and confirmed; then the opportunity is awarded.
        with time_machine.travel(lot1_approved.standstill_ends_at + timedelta(days=1), tick=False):
            second_award = services.award_approve(award=recommend(lots_moderated, lot_bids[2][1], agency_worker),
                                                  by=commissioner)
        second = confirm_after_standstill(second_award)
        lots_moderated.refresh_from_db()
        assert lots_moderated.status == OpportunityStatus.AWARDED
        assert (second.reference, second.supplier) == (f"{lots_moderated.reference}-C2", lot_bids[2][1].bidder)
        assert Contract.objects.count() == 2

    def test_a_lot_without_bids_does_not_hold_up_the_award(self, lot1_approved, lots_moderated, lot_bids):
        for bid in lot_bids[2]:
            bid.status = "withdrawn"
            bid.save(update_fields=["status"])
        confirm_after_standstill(lot1_approved)
        lots_moderated.refresh_from_db()
        assert lots_moderated.status == OpportunityStatus.AWARDED

    def test_the_periodic_task_confirms_each_lot_on_its_own(self, lot1_approved, lots_moderated):
        with time_machine.travel(lot1_approved.standstill_ends_at + timedelta(minutes=1), tick=False):
            assert services.awards_confirm_due() == 1
        lot1_approved.refresh_from_db()
        assert lot1_approved.status == AwardStatus.CONFIRMED and lot1_approved.contract.reference.endswith("-C1")


def lot_url(name, opportunity, number):
    return reverse(f"commissioning:{name}-lot", args=[opportunity.uuid, number])


class TestLotPages:
    def test_unknown_lots_and_the_whole_opportunity_pages_are_not_found(self, client, lot1_recommended,
                                                                        lots_moderated, agency_worker, commissioner):
        client.force_login(agency_worker)
        for name in ("award-recommend", "award-confirm"):
            assert client.get(lot_url(name, lots_moderated, 3)).status_code == 404
            assert client.get(reverse(f"commissioning:{name}", args=[lots_moderated.uuid])).status_code == 404
        client.force_login(commissioner)
        for name in ("award-decide", "award-contract-sign"):
            assert client.get(lot_url(name, lots_moderated, 9)).status_code == 404
        assert client.get(lot_url("award-decide", lots_moderated, 1)).status_code == 200
        assert client.get(lot_url("award-decide", lots_moderated, 2)).status_code == 404  # nothing waits there

    def test_the_recommend_page_ranks_only_its_lot_and_recommends_for_it(self, client, lots_moderated, lot_bids,
                                                                         agency_worker):
        client.force_login(agency_worker)
        url = lot_url("award-recommend", lots_moderated, 2)
        page = client.get(url).content.decode()
        assert "Recommend the award for Lot 2: East Leeds" in page
        assert "88.00" in page and "69.33" in page and "86.00" not in page
        refused = client.post(url, {"bid": str(lot_bids[1][0].uuid), "recommendation": "Best."})
        assert refused.status_code == 200 and not Award.objects.exists()
        client.post(url, {"bid": str(lot_bids[2][1].uuid), "recommendation": "Best plan for East Leeds."})
        assert Award.objects.get().lot.number == 2
        assert client.get(url).status_code == 404  # already one standing for lot 2
        assert client.get(lot_url("award-recommend", lots_moderated, 1)).status_code == 200

    def test_the_buyer_decides_one_lot_on_its_page(self, client, lot1_recommended, commissioner):
        client.force_login(commissioner)
        url = lot_url("award-decide", lot1_recommended.opportunity, 1)
        page = client.get(url).content.decode()
        assert "Approve the award for Lot 1: West Leeds" in page and "86.00" in page and "88.00" not in page
        client.post(url, {"decision": "approve"})
        lot1_recommended.refresh_from_db()
        assert lot1_recommended.status == AwardStatus.STANDSTILL

    def test_confirm_and_sign_one_lot_through_its_pages(self, client, lot1_approved, agency_worker, commissioner):
        opportunity = lot1_approved.opportunity
        with time_machine.travel(lot1_approved.standstill_ends_at + timedelta(minutes=1), tick=False):
            client.force_login(agency_worker)
            client.post(lot_url("award-confirm", opportunity, 1), {"confirm": "yes"})
            contract = Contract.objects.get()
            assert contract.reference.endswith("-C1")
            client.force_login(commissioner)
            assert client.get(lot_url("award-contract-sign", opportunity, 2)).status_code == 404
            client.post(lot_url("award-contract-sign", opportunity, 1), {"confirm": "yes"})
        contract.refresh_from_db()
        assert contract.signed_at is not None

    def test_the_manage_page_shows_each_lot(self, client, lot1_recommended, lots_moderated, agency_worker,
                                            commissioner):
        client.force_login(agency_worker)
        page = client.get(reverse("commissioning:opportunity-manage", args=[lots_moderated.uuid])).content.decode()
        assert "Lot 1: West Leeds" in page and "Lot 2: East Leeds" in page
        assert lot1_recommended.get_status_display() in page
        assert lot_url("award-recommend", lots_moderated, 2) in page
        assert lot_url("award-recommend", lots_moderated, 1) not in page
        client.force_login(commissioner)
        page = client.get(reverse("commissioning:opportunity-manage", args=[lots_moderated.uuid])).content.decode()
        assert lot_url("award-decide", lots_moderated, 1) in page
        assert lot_url("award-decide", lots_moderated, 2) not in page

    def test_the_public_result_lists_each_confirmed_lot(self, client, lot1_approved, lots_moderated):
        confirm_after_standstill(lot1_approved)
        page = client.get(reverse("commissioning:opportunity", args=[lots_moderated.uuid])).content.decode()
        assert "Lot 1: West Leeds" in page and "Aire Valley Homes" in page and f"{lots_moderated.reference}-C1" in page
        assert "<h2 class=\"govuk-heading-m\">Results</h2>" in page
        assert "Lot 2: East Leeds" not in page.split("Results</h2>", 1)[-1]

    def test_moderation_groups_the_bids_by_lot_with_a_ranking_each(self, client, lots_moderated, agency_worker):
        client.force_login(agency_worker)
        page = client.get(reverse("commissioning:evaluation-moderation", args=[lots_moderated.uuid])).content.decode()
        west, east = page.index("Lot 1: West Leeds"), page.index("Lot 2: East Leeds")
        assert "Ranking for lot 1" in page[west:east] and "86.00" in page[west:east] and "88.00" not in page[west:east]
        assert "Ranking for lot 2" in page[east:] and "88.00" in page[east:] and "86.00" not in page[east:]


class TestBidderWithBidsInTwoLots:
    def test_questions_about_each_bid_are_listed_under_its_lot(self, client, lots_in_evaluation, lot_bids,
                                                             agency_worker, rival_manager):
        for bid, asked in ((lot_bids[1][1], "How many staff in West Leeds?"), (lot_bids[2][0], "Which houses?")):
            evaluation_services.inquiry_record(bid=bid, by=agency_worker, kind=Inquiry.Kind.QUESTION, asked=asked)
        client.force_login(rival_manager)
        url = reverse("commissioning:evaluation-questions", args=[lots_in_evaluation.uuid])
        page = client.get(url).content.decode()
        west, east = page.index("Your bid for lot 1: West Leeds"), page.index("Your bid for lot 2: East Leeds")
        assert "How many staff in West Leeds?" in page[west:east] and "Which houses?" in page[east:]
        inquiry = Inquiry.objects.get(asked="Which houses?")
        client.post(url, {"inquiry": str(inquiry.pk), f"q{inquiry.pk}-answer": "Three in Harehills."})
        inquiry.refresh_from_db()
        assert inquiry.answer == "Three in Harehills."
        detail = client.get(reverse("commissioning:opportunity", args=[lots_in_evaluation.uuid]))
        assert b"(1 waiting for your answer)" in detail.content

    def test_the_api_says_which_lot_each_question_is_about(self, lots_in_evaluation, lot_bids, agency_worker,
                                                          rival_manager):
        for bid, asked in ((lot_bids[1][1], "How many staff in West Leeds?"), (lot_bids[2][0], "Which houses?")):
            evaluation_services.inquiry_record(bid=bid, by=agency_worker, kind=Inquiry.Kind.QUESTION, asked=asked)
        api = APIClient()
        api.force_authenticate(rival_manager)
        listed = api.get(reverse("api-my-question-list")).json()
        assert {row["asked"]: row["lot"] for row in listed} == {"How many staff in West Leeds?": 1, "Which houses?": 2}

    def test_an_outsider_has_no_questions_page(self, client, lots_in_evaluation, outsider):
        client.force_login(outsider)
        url = reverse("commissioning:evaluation-questions", args=[lots_in_evaluation.uuid])
        assert client.get(url).status_code == 404


class TestLotsApi:
    def approve(self, api, opportunity, body):
        return api.post(reverse("api-award-approve", args=[opportunity.uuid]), body, format="json")

    def test_approving_needs_the_lot(self, api, lot1_recommended, lots_moderated, commissioner):
        api.force_authenticate(commissioner)
        missing = self.approve(api, lots_moderated, {})
        assert missing.status_code == 400 and "lot" in missing.json()
        unknown = self.approve(api, lots_moderated, {"lot": 7})
        assert unknown.status_code == 400 and unknown.json()["lot"] == ["Choose one of this opportunity's lots: 1, 2"]
        assert self.approve(api, lots_moderated, {"lot": 2}).status_code == 404  # nothing waits for lot 2
        approved = self.approve(api, lots_moderated, {"lot": 1})
        assert approved.status_code == 200 and approved.json()["lot"] == 1
        assert approved.json()["status"] == AwardStatus.STANDSTILL

    def test_sending_back_needs_the_lot(self, api, lot1_recommended, lots_moderated, commissioner):
        api.force_authenticate(commissioner)
        url = reverse("api-award-send-back", args=[lots_moderated.uuid])
        assert api.post(url, {"reason": "Check"}, format="json").json().keys() == {"lot"}
        sent = api.post(url, {"reason": "Check the price", "lot": 1}, format="json")
        assert sent.status_code == 200
        lot1_recommended.refresh_from_db()
        assert lot1_recommended.status == AwardStatus.RETURNED

    def test_recommending_takes_the_lot_from_the_bid(self, api, lots_moderated, lot_bids, agency_worker):
        api.force_authenticate(agency_worker)
        made = api.post(reverse("api-award-recommend", args=[lots_moderated.uuid]),
                        {"bid": str(lot_bids[2][1].uuid), "recommendation": "Best for East Leeds."}, format="json")
        assert made.status_code == 201 and made.json()["lot"] == 2

    def test_the_public_lists_each_confirmed_lots_award(self, api, lot1_approved, lots_moderated):
        url = reverse("api-opportunity-award-list", args=[lots_moderated.uuid])
        assert api.get(url).json() == []
        confirm_after_standstill(lot1_approved)
        [award] = api.get(url).json()
        assert award["lot"] == 1 and award["contract"]["reference"].endswith("-C1")

    def test_someone_outside_cannot_approve(self, api, lot1_recommended, lots_moderated, agency_worker):
        api.force_authenticate(agency_worker)
        assert self.approve(api, lots_moderated, {"lot": 1}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.award_approve(award=lot1_recommended, by=agency_worker)
