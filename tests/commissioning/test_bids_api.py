"""The API for clarifications and bids: published answers for everyone, questions from signed-in bidders,
and a bidder's own bids with status and receipt, never their content."""

import pytest
from django.urls import reverse

from pathways.commissioning.models import Clarification
from pathways.commissioning.services import bids as bid_services
from pathways.commissioning.services import clarifications as clarification_services

from .bid_fixtures import *  # noqa: F403
from .bid_fixtures import MARKER
from .factories import make_opportunity

pytestmark = pytest.mark.django_db


def clarifications_url(opportunity):
    return reverse("api-clarification-list", args=[opportunity.uuid])


class TestClarifications:
    def test_anyone_reads_published_answers_without_who_asked(self, api, opportunity, bidder, bidder_worker,
                                                              commissioner):
        clarification = clarification_services.clarification_ask(
            opportunity=opportunity, organisation=bidder, by=bidder_worker, question="Kirkgate asks: a base?")
        clarification_services.clarification_ask(opportunity=opportunity, organisation=bidder, by=bidder_worker,
                                                 question="Not answered yet")
        clarification_services.clarification_publish(clarification=clarification, by=commissioner,
                                                     published_question="Can a drop-in be a base?", answer="Yes.")
        response = api.get(clarifications_url(opportunity))
        assert response.status_code == 200
        assert [set(item) for item in response.json()] == [{"question", "answer", "published_at"}]
        assert response.json()[0]["question"] == "Can a drop-in be a base?"
        assert "Kirkgate" not in response.content.decode()

    def test_a_draft_opportunitys_clarifications_are_not_found(self, api, probation, commissioner):
        draft = make_opportunity(probation)
        api.force_authenticate(commissioner)
        assert api.get(clarifications_url(draft)).status_code == 404
        assert api.get("/api/v1/opportunities/00000000-0000-0000-0000-000000000000/clarifications/").status_code == 404

    def test_asking_needs_sign_in_and_an_organisation_that_is_not_the_buyer(self, api, opportunity, bidder_worker,
                                                                            commissioner):
        assert api.post(clarifications_url(opportunity), {"question": "Q?"}).status_code in (401, 403)
        api.force_authenticate(commissioner)
        assert api.post(clarifications_url(opportunity), {"question": "Q?"}).status_code == 403
        api.force_authenticate(bidder_worker)
        assert api.post(clarifications_url(opportunity), {"question": ""}).status_code == 400
        response = api.post(clarifications_url(opportunity), {"question": "When does it start?"})
        assert response.status_code == 201 and response.json()["status"] == "waiting for an answer"
        assert Clarification.objects.get().question == "When does it start?"

    def test_asking_for_an_organisation_you_do_not_belong_to_is_not_found(self, api, opportunity, bidder_worker,
                                                                          rival):
        api.force_authenticate(bidder_worker)
        response = api.post(clarifications_url(opportunity), {"question": "Q?", "organisation": rival.slug})
        assert response.status_code == 404


class TestBids:
    def test_a_bidder_lists_its_own_bids_with_receipts_and_never_their_content(self, api, submitted_bid,
                                                                               bidder_worker):
        api.force_authenticate(bidder_worker)
        response = api.get(reverse("api-bid-list"))
        assert response.status_code == 200
        body = response.content.decode()
        assert submitted_bid.receipt_hash in body and MARKER not in body
        item = (response.json().get("results") if isinstance(response.json(), dict) else response.json())[0]
        assert "sealed" not in item and "draft" not in item and item["status"] == "submitted"
        detail = api.get(reverse("api-bid-detail", args=[submitted_bid.uuid]))
        assert detail.status_code == 200 and detail.json()["receipt_hash"] == submitted_bid.receipt_hash

    def test_a_draft_is_not_shown_through_the_api_either(self, api, opportunity, bidder, bidder_manager):
        bid = bid_services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        bid_services.bid_draft_save(bid=bid, by=bidder_manager, sections={}, price="123456")
        api.force_authenticate(bidder_manager)
        assert "123456" not in api.get(reverse("api-bid-detail", args=[bid.uuid])).content.decode()

    def test_other_people_get_nothing(self, api, submitted_bid, rival_manager, commissioner):
        assert api.get(reverse("api-bid-list")).status_code in (401, 403)
        assert api.get(reverse("api-bid-detail", args=[submitted_bid.uuid])).status_code in (401, 403)
        for outsider in (rival_manager, commissioner):
            api.force_authenticate(outsider)
            assert api.get(reverse("api-bid-detail", args=[submitted_bid.uuid])).status_code == 404
            listed = api.get(reverse("api-bid-list")).content.decode()
            assert str(submitted_bid.uuid) not in listed
