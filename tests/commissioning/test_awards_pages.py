"""The award pages and API: recommending, the buyer's decision, confirming, the letters (page and PDF),
the public result, and who may reach each."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from pathways.commissioning.models import Award, AwardStatus, Contract
from pathways.commissioning.services import awards as services
from pathways.commissioning.services import evaluation as evaluation_services

from .evaluation_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(recommended, commissioner):
    return services.award_approve(award=recommended, by=commissioner)


@pytest.fixture
def confirmed(approved):
    with time_machine.travel(approved.standstill_ends_at + timedelta(minutes=1), tick=False):
        services.awards_confirm_due()
    approved.refresh_from_db()
    return approved


def letter_for(award, bid):
    return award.letters.get(bid=bid)


class TestRecommendAndDecide:
    def test_the_agency_recommends_through_the_page(self, client, moderated, bids, agency_worker):
        client.force_login(agency_worker)
        url = reverse("commissioning:award-recommend", args=[moderated.uuid])
        page = client.get(url)
        assert b"86.00" in page.content and b"70.00" in page.content
        missing = client.post(url, {"bid": str(bids[0].uuid), "recommendation": ""})
        assert b"Write why the panel recommends this bid" in missing.content
        client.post(url, {"bid": str(bids[0].uuid), "recommendation": "Best plan, fair price."})
        assert Award.objects.get().bid == bids[0]

    def test_running_the_panel_without_sitting_on_it_cannot_recommend(self, client, in_evaluation, bids,
                                                                      agency_worker):
        client.force_login(agency_worker)
        page = client.get(reverse("commissioning:opportunity-manage", args=[in_evaluation.uuid]))
        assert b"made by someone on the panel who has signed the declaration" in page.content
        recommend = reverse("commissioning:award-recommend", args=[in_evaluation.uuid])
        assert recommend.encode() not in page.content
        assert client.get(recommend).status_code == 403

    def test_the_buyers_commissioner_cannot_recommend_and_the_agency_cannot_decide(self, client, recommended, commissioner, agency_worker):
        client.force_login(commissioner)
        assert client.get(reverse("commissioning:award-recommend", args=[recommended.opportunity.uuid])).status_code == 403
        client.force_login(agency_worker)
        assert client.get(reverse("commissioning:award-decide", args=[recommended.opportunity.uuid])).status_code == 403

    def test_outsiders_and_bidders_get_404_on_award_pages(self, client, recommended, outsider, bidder_manager):
        uuid_ = recommended.opportunity.uuid
        for person in (outsider, bidder_manager):
            client.force_login(person)
            for name in ("award-recommend", "award-decide", "award-confirm"):
                assert client.get(reverse(f"commissioning:{name}", args=[uuid_])).status_code == 404

    def test_sending_back_needs_a_reason_and_approving_starts_the_standstill(self, client, recommended, commissioner):
        client.force_login(commissioner)
        url = reverse("commissioning:award-decide", args=[recommended.opportunity.uuid])
        assert b"Give the reason for sending the recommendation back" in client.post(url, {"decision": "send_back"}).content
        client.post(url, {"decision": "approve"})
        recommended.refresh_from_db()
        assert recommended.status == AwardStatus.STANDSTILL and recommended.letters.count() == 2

    def test_the_manage_page_shows_the_award_and_the_letters(self, client, approved, commissioner):
        client.force_login(commissioner)
        page = client.get(reverse("commissioning:opportunity-manage", args=[approved.opportunity.uuid]))
        assert b"In standstill" in page.content and b"Calder Housing Project" in page.content


class TestLetters:
    def test_a_bidder_reads_their_own_letter_as_a_page_and_as_a_real_pdf(self, client, approved, bids, rival_manager):
        letter = letter_for(approved, bids[1])
        client.force_login(rival_manager)
        page = client.get(reverse("commissioning:award-letter", args=[approved.opportunity.uuid, letter.pk]))
        assert page.status_code == 200 and b"your bid was not successful" in page.content
        pdf = client.get(reverse("commissioning:award-letter-pdf", args=[approved.opportunity.uuid, letter.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    def test_a_bidder_cannot_read_another_bidders_letter(self, client, approved, bids, rival_manager):
        winner_letter = letter_for(approved, bids[0])
        client.force_login(rival_manager)
        for name in ("award-letter", "award-letter-pdf"):
            url = reverse(f"commissioning:{name}", args=[approved.opportunity.uuid, winner_letter.pk])
            assert client.get(url).status_code == 404

    def test_a_bidder_sees_no_scores_before_the_letters(self, client, recommended, bids, rival_manager):
        client.force_login(rival_manager)
        page = client.get(reverse("commissioning:opportunity", args=[recommended.opportunity.uuid]))
        assert b"86.00" not in page.content and b"Read your letter" not in page.content
        assert client.get(reverse("commissioning:award-my-letters", args=[recommended.opportunity.uuid])).status_code == 404
        assert client.get(reverse("api-my-letter-list")).json() == []

    def test_the_opportunity_page_links_a_bidder_to_their_letter_after_approval(self, client, approved, bidder_manager):
        client.force_login(bidder_manager)
        page = client.get(reverse("commissioning:opportunity", args=[approved.opportunity.uuid]))
        assert b"Read your letter" in page.content


class TestConfirmAndPublicResult:
    def test_the_agency_confirms_after_standstill_through_the_page(self, client, approved, agency_worker):
        client.force_login(agency_worker)
        url = reverse("commissioning:award-confirm", args=[approved.opportunity.uuid])
        assert b"The standstill has not ended yet" in client.post(url).content
        with time_machine.travel(approved.standstill_ends_at, tick=False):
            client.force_login(agency_worker)  # a session does not last the standstill
            client.post(url)
        assert Contract.objects.count() == 1

    def test_the_public_page_shows_the_result_once_confirmed(self, client, confirmed, approved):
        page = client.get(reverse("commissioning:opportunity", args=[confirmed.opportunity.uuid]))
        assert b"Awarded to" in page.content and b"Aire Valley Homes" in page.content
        assert Contract.objects.get().reference.encode() in page.content

    def test_the_public_page_shows_no_result_during_standstill(self, client, approved):
        page = client.get(reverse("commissioning:opportunity", args=[approved.opportunity.uuid]))
        assert b"Awarded to" not in page.content


class TestContractSigning:
    def test_the_buyer_records_the_signing_from_the_manage_page(self, client, confirmed, commissioner):
        client.force_login(commissioner)
        manage = reverse("commissioning:opportunity-manage", args=[confirmed.opportunity.uuid])
        assert b"not signed yet" in client.get(manage).content
        url = reverse("commissioning:award-contract-sign", args=[confirmed.opportunity.uuid])
        assert url.encode() in client.get(manage).content
        assert client.post(url).status_code == 302
        contract = Contract.objects.get(award=confirmed)
        assert contract.status == "active" and contract.signed_at is not None
        page = client.get(manage).content
        assert b"Signed " in page and url.encode() not in page
        assert client.get(url).status_code == 404  # nothing left to sign

    def test_the_agency_cannot_record_the_signing_and_outsiders_get_404(self, client, confirmed, agency_worker,
                                                                       outsider, bidder_manager):
        url = reverse("commissioning:award-contract-sign", args=[confirmed.opportunity.uuid])
        client.force_login(agency_worker)
        assert client.post(url).status_code == 403
        for person in (outsider, bidder_manager):
            client.force_login(person)
            assert client.post(url).status_code == 404
        assert Contract.objects.get(award=confirmed).status == "pending"


class TestApi:
    def test_awards_and_contracts_are_public_once_confirmed(self, client, confirmed):
        awards = client.get(reverse("api-award-list")).json()
        rows = awards["results"] if isinstance(awards, dict) else awards
        assert rows[0]["supplier"]["name"] == "Aire Valley Homes" and rows[0]["contract"]["value"] == "400000"
        contracts = client.get(reverse("api-contract-list")).json()
        rows = contracts["results"] if isinstance(contracts, dict) else contracts
        assert rows[0]["reference"].endswith("-C1")
        detail = client.get(reverse("api-opportunity-award", args=[confirmed.opportunity.uuid]))
        assert detail.status_code == 200

    def test_an_award_in_standstill_is_not_in_the_api(self, client, approved):
        awards = client.get(reverse("api-award-list")).json()
        rows = awards["results"] if isinstance(awards, dict) else awards
        assert rows == []
        assert client.get(reverse("api-opportunity-award", args=[approved.opportunity.uuid])).status_code == 404

    def test_letters_need_sign_in_and_show_only_ones_own(self, client, approved, bids, rival_manager, outsider):
        assert client.get(reverse("api-my-letter-list")).status_code in (401, 403)
        client.force_login(rival_manager)
        mine = client.get(reverse("api-my-letter-list")).json()
        assert [row["bidder"]["name"] for row in mine] == ["Calder Housing Project"] and not mine[0]["successful"]
        other = letter_for(approved, bids[0])
        assert client.get(reverse("api-my-letter", args=[other.pk])).status_code == 404
        client.force_login(outsider)
        assert client.get(reverse("api-my-letter-list")).json() == []

    def test_a_bidders_questions_in_the_api_are_their_own(self, client, in_evaluation, bids, agency_worker, bidder_manager, rival_manager):
        from pathways.commissioning.models import Inquiry

        evaluation_services.inquiry_record(bid=bids[0], by=agency_worker, kind=Inquiry.Kind.QUESTION, asked="Staff?")
        assert client.get(reverse("api-my-question-list")).status_code in (401, 403)
        client.force_login(bidder_manager)
        assert [row["asked"] for row in client.get(reverse("api-my-question-list")).json()] == ["Staff?"]
        client.force_login(rival_manager)
        assert client.get(reverse("api-my-question-list")).json() == []


class TestBadIds:
    def test_a_letter_id_that_does_not_exist_or_belongs_to_another_opportunity_is_404(self, client, approved, bids, rival_manager, leeds):
        from .factories import published

        client.force_login(rival_manager)
        letter = letter_for(approved, bids[1])
        assert client.get(reverse("commissioning:award-letter", args=[approved.opportunity.uuid, 999999])).status_code == 404
        other = published(approved.opportunity.buyer, areas=[leeds], by=None, title="Another opportunity")
        assert client.get(reverse("commissioning:award-letter", args=[other.uuid, letter.pk])).status_code == 404
        client.logout()
        assert client.get(reverse("commissioning:award-letter", args=[approved.opportunity.uuid, letter.pk])).status_code == 302

    def test_removing_a_panel_member_who_does_not_exist_is_404(self, client, in_evaluation, agency_worker):
        client.force_login(agency_worker)
        url = reverse("commissioning:evaluation-panel-remove", args=[in_evaluation.uuid, 999999])
        assert client.get(url).status_code == 404
