"""Bidding for lots: each lot of an opportunity is a separate bid, scored separately. An organisation may bid for
one lot or several, with one live bid per lot; the opportunity page offers a start per lot, every page that shows
a bid names its lot, and the API takes and gives the lot's number. An opportunity without lots works as before."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from pathways.commissioning.models import Bid, BidStatus
from pathways.commissioning.selectors.bids import section_criteria
from pathways.commissioning.selectors.opportunities import lot_numbered
from pathways.commissioning.services import bids as services
from pathways.commissioning.services import opportunities as opportunity_services
from pathways.core.errors import DomainError
from pathways.organisations.models import Membership
from tests.factories import role

from .bid_fixtures import *  # noqa: F403
from .bid_fixtures import MARKER, join_panel, pdf_upload
from .factories import ready_opportunity

pytestmark = pytest.mark.django_db

ACKNOWLEDGED = ["insurance", "turnover", "accreditations", "payment_by_results", "time_to_bid"]


@pytest.fixture
def lotted(probation, leeds):
    """Open for bids, split into lot 1 (West Leeds) and lot 2 (East Leeds)."""
    opportunity = ready_opportunity(probation, areas=[leeds], title="Mentoring across Leeds")
    for title in ("West Leeds", "East Leeds"):
        opportunity_services.lot_add(opportunity=opportunity, by=None, title=title)
    return opportunity_services.opportunity_publish(opportunity=opportunity, by=None, open_for_bids=True,
                                                    acknowledged=ACKNOWLEDGED)


def lot(opportunity, number):
    return opportunity.lots.get(number=number)


def start(opportunity, organisation, by, number):
    return services.bid_start(opportunity=opportunity, organisation=organisation, by=by, lot=lot(opportunity, number))


def submitted(opportunity, organisation, by, number):
    """A complete bid for lot ``number``, submitted."""
    bid = start(opportunity, organisation, by, number)
    services.bid_draft_save(bid=bid, by=by, sections={str(c.pk): MARKER for c in section_criteria(opportunity)},
                            price="380000")
    return services.bid_submit(bid=bid, by=by)


def page_of(client, name, *args) -> str:
    return client.get(reverse(name, args=args)).content.decode()


def start_page(client, opportunity, **data):
    return client.post(reverse("commissioning:bid-start", args=[opportunity.uuid]), data, follow=True)


# The service ---------------------------------------------------------------------------------------------

class TestStartingABidForALot:
    def test_an_opportunity_with_lots_needs_the_lot(self, lotted, bidder, bidder_manager):
        with pytest.raises(DomainError) as refused:
            services.bid_start(opportunity=lotted, organisation=bidder, by=bidder_manager)
        assert refused.value.field == "lot" and refused.value.message == "Choose the lot you are bidding for"
        assert not Bid.objects.exists()

    def test_another_opportunitys_lot_is_refused(self, lotted, opportunity, bidder, bidder_manager):
        with pytest.raises(DomainError) as refused:
            services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager, lot=lot(lotted, 1))
        assert refused.value.field == "lot" and "this opportunity's lots" in refused.value.message
        assert not Bid.objects.exists()

    def test_one_organisation_bids_for_two_lots_with_two_bids(self, lotted, bidder, bidder_manager):
        west, east = start(lotted, bidder, bidder_manager, 1), start(lotted, bidder, bidder_manager, 2)
        assert west.pk != east.pk
        assert [(bid.lot.number, bid.status) for bid in Bid.objects.order_by("lot__number")] == [
            (1, BidStatus.DRAFT), (2, BidStatus.DRAFT)]

    def test_a_second_live_bid_for_the_same_lot_is_refused(self, lotted, bidder, bidder_manager):
        start(lotted, bidder, bidder_manager, 1)
        with pytest.raises(DomainError) as refused:
            start(lotted, bidder, bidder_manager, 1)
        assert refused.value.message == "Your organisation already has a bid for this lot."
        assert Bid.objects.count() == 1

    def test_after_withdrawing_the_same_lot_can_be_bid_for_again(self, lotted, bidder, bidder_manager):
        first = submitted(lotted, bidder, bidder_manager, 1)
        services.bid_withdraw(bid=first, by=bidder_manager)
        again = start(lotted, bidder, bidder_manager, 1)
        assert again.pk != first.pk and again.lot.number == 1 and again.status == BidStatus.DRAFT

    def test_the_lot_is_chosen_by_its_number_and_an_unknown_number_is_refused(self, lotted, opportunity):
        assert lot_numbered(lotted, "2") == lot(lotted, 2) and lot_numbered(lotted, 1) == lot(lotted, 1)
        assert lot_numbered(lotted, "", required=False) is None and lot_numbered(opportunity, None) is None
        for unknown in ("3", "0", "-1", "two", "99999999999", None):
            with pytest.raises(DomainError) as refused:
                lot_numbered(lotted, unknown)
            assert refused.value.field == "lot"
            assert refused.value.message == "Choose one of this opportunity's lots: 1, 2"
        with pytest.raises(DomainError) as refused:
            lot_numbered(opportunity, "1")
        assert refused.value.message == "This opportunity has no lots"

    def test_the_receipt_email_names_the_lot(self, lotted, bidder, bidder_manager,
                                             django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            submitted(lotted, bidder, bidder_manager, 2)
        receipt = next(message for message in mail.outbox if "Receipt" in message.subject)
        assert receipt.subject.endswith(", lot 2")
        assert f"Mentoring across Leeds ({lotted.reference}), Lot 2: East Leeds on" in receipt.body


# The pages ------------------------------------------------------------------------------------------------

class TestThePanelOnTheOpportunityPage:
    def test_a_manager_is_offered_a_start_for_each_lot_and_told_each_is_a_separate_bid(
        self, client, lotted, bidder_manager
    ):
        client.force_login(bidder_manager)
        page = page_of(client, "commissioning:opportunity", lotted.uuid)
        assert "Each lot is a separate bid, scored separately" in page
        assert reverse("commissioning:guide", args=["lots"]) in page
        assert "Lot 1: West Leeds" in page and "Lot 2: East Leeds" in page
        for number in (1, 2):
            assert f'<input type="hidden" name="lot" value="{number}">' in page
            assert f"Start a bid for lot {number}</button>" in page

    def test_a_lot_with_a_draft_links_to_it_and_only_the_other_lot_offers_a_start(
        self, client, lotted, bidder, bidder_manager
    ):
        draft = start(lotted, bidder, bidder_manager, 1)
        client.force_login(bidder_manager)
        page = page_of(client, "commissioning:opportunity", lotted.uuid)
        assert reverse("commissioning:bid", args=[draft.uuid]) in page
        assert 'Carry on with your draft<span class="govuk-visually-hidden"> for lot 1</span>' in page
        assert "Start a bid for lot 1" not in page and "Start a bid for lot 2" in page

    def test_a_withdrawn_bid_is_told_for_its_own_lot(self, client, lotted, bidder, bidder_manager):
        services.bid_withdraw(bid=submitted(lotted, bidder, bidder_manager, 2), by=bidder_manager)
        client.force_login(bidder_manager)
        page = page_of(client, "commissioning:opportunity", lotted.uuid)
        assert page.count("You withdrew your bid for this lot") == 1
        assert "Start a bid for lot 1" in page and "Start a bid for lot 2" in page

    def test_with_several_organisations_each_start_names_its_organisation_to_screen_readers(
        self, client, lotted, rival, bidder_manager
    ):
        Membership.objects.create(user=bidder_manager, organisation=rival, role=role("manager"))
        client.force_login(bidder_manager)
        page = page_of(client, "commissioning:opportunity", lotted.uuid)
        assert 'Start a bid for lot 2<span class="govuk-visually-hidden"> from Calder Homes Trust</span>' in page
        assert page.count('name="lot" value="2"') == 2

    def test_a_worker_sees_no_start_and_is_told_once_who_can(self, client, lotted, bidder_worker):
        client.force_login(bidder_worker)
        page = page_of(client, "commissioning:opportunity", lotted.uuid)
        assert "Start a bid" not in page and page.count("No bid for this lot") == 2
        assert page.count("A manager of your organisation can start a bid") == 1

    def test_without_lots_the_panel_is_as_before(self, client, opportunity, bidder_manager):
        client.force_login(bidder_manager)
        page = page_of(client, "commissioning:opportunity", opportunity.uuid)
        assert "Start a bid</button>" in page and 'name="lot"' not in page and "separate bid" not in page


class TestStartingFromThePage:
    def test_the_posted_lot_starts_a_bid_for_that_lot(self, client, lotted, bidder, bidder_manager):
        client.force_login(bidder_manager)
        response = start_page(client, lotted, organisation=bidder.slug, lot="2")
        bid = Bid.objects.get()
        assert bid.lot == lot(lotted, 2)
        assert response.redirect_chain[-1][0] == reverse("commissioning:bid-edit", args=[bid.uuid])
        page = response.content.decode()
        assert "Your bid for Lot 2: East Leeds has been started" in page and "Lot 2: East Leeds" in page

    @pytest.mark.parametrize(("posted", "message"), [
        ({"lot": "7"}, "Choose one of this opportunity&#x27;s lots: 1, 2"),
        ({"lot": "east"}, "Choose one of this opportunity&#x27;s lots: 1, 2"),
        ({}, "Choose the lot you are bidding for"),
    ])
    def test_an_unknown_or_missing_lot_is_explained_on_the_opportunity_page(
        self, client, lotted, bidder, bidder_manager, posted, message
    ):
        client.force_login(bidder_manager)
        response = start_page(client, lotted, organisation=bidder.slug, **posted)
        assert response.redirect_chain[-1][0] == reverse("commissioning:opportunity", args=[lotted.uuid])
        assert message in response.content.decode()
        assert not Bid.objects.exists()

    def test_a_lot_on_an_opportunity_without_lots_is_refused(self, client, opportunity, bidder, bidder_manager):
        client.force_login(bidder_manager)
        response = start_page(client, opportunity, organisation=bidder.slug, lot="1")
        assert "This opportunity has no lots" in response.content.decode()
        assert not Bid.objects.exists()

    def test_starting_again_for_a_lot_with_a_live_bid_goes_to_that_bid(self, client, lotted, bidder,
                                                                      bidder_manager):
        existing = start(lotted, bidder, bidder_manager, 1)
        client.force_login(bidder_manager)
        response = start_page(client, lotted, organisation=bidder.slug, lot="1")
        assert response.redirect_chain[0][0] == reverse("commissioning:bid", args=[existing.uuid])
        assert Bid.objects.count() == 1

    def test_a_worker_cannot_start_a_bid_for_a_lot(self, client, lotted, bidder, bidder_worker):
        client.force_login(bidder_worker)
        response = client.post(reverse("commissioning:bid-start", args=[lotted.uuid]),
                               {"organisation": bidder.slug, "lot": "1"})
        assert response.status_code == 403 and not Bid.objects.exists()


class TestBidPagesNameTheLot:
    def test_every_page_of_a_draft_names_its_lot(self, client, lotted, bidder, bidder_manager):
        bid = start(lotted, bidder, bidder_manager, 2)
        client.force_login(bidder_manager)
        for name in ("bid", "bid-edit", "bid-submit", "bid-delete", "bid-attachment-add"):
            assert "Lot 2: East Leeds" in page_of(client, f"commissioning:{name}", bid.uuid), name
        assert "Mentoring across Leeds (Lot 2: East Leeds)" in page_of(client, "commissioning:bids-mine")

    def test_the_receipt_and_the_withdraw_page_name_the_lot(self, client, lotted, bidder, bidder_manager):
        bid = submitted(lotted, bidder, bidder_manager, 1)
        client.force_login(bidder_manager)
        receipt = page_of(client, "commissioning:bid-receipt", bid.uuid)
        assert f"{lotted.reference}, lot 1" in receipt and "Lot 1: West Leeds" in receipt
        assert "Lot 1: West Leeds" in page_of(client, "commissioning:bid-withdraw", bid.uuid)

    def test_a_bid_without_a_lot_names_none(self, client, opportunity, submitted_bid, bidder_manager):
        client.force_login(bidder_manager)
        for name in ("bid", "bid-receipt"):
            assert "Lot" not in page_of(client, f"commissioning:{name}", submitted_bid.uuid)

    def test_after_opening_the_manage_page_lists_each_bid_with_its_lot_and_the_bid_names_it(
        self, client, lotted, bidder, bidder_manager, rival, rival_manager, commissioner
    ):
        east = submitted(lotted, bidder, bidder_manager, 2)
        submitted(lotted, rival, rival_manager, 1)
        join_panel(lotted, commissioner)
        client.force_login(commissioner)
        manage = reverse("commissioning:opportunity-manage", args=[lotted.uuid])
        assert '<th scope="col" class="govuk-table__header">Lot</th>' not in client.get(manage).content.decode()
        with time_machine.travel(lotted.deadline + timedelta(minutes=5)):
            client.force_login(commissioner)
            services.bids_open(opportunity=lotted, by=commissioner)
            page = client.get(manage).content.decode()
            opened = page_of(client, "commissioning:bid", east.uuid)
        assert '<th scope="col" class="govuk-table__header">Lot</th>' in page
        assert page.index("Calder Homes Trust") < page.index("Lot 1: West Leeds") < page.index(
            "Kirkgate Women") < page.index("Lot 2: East Leeds")
        assert MARKER in opened and "Lot 2: East Leeds" in opened

    def test_the_manage_list_of_an_opportunity_without_lots_has_no_lot_column(
        self, client, opportunity, submitted_bid, commissioner
    ):
        join_panel(opportunity, commissioner)
        with time_machine.travel(opportunity.deadline + timedelta(minutes=5)):
            client.force_login(commissioner)
            services.bids_open(opportunity=opportunity, by=commissioner)
            page = page_of(client, "commissioning:opportunity-manage", opportunity.uuid)
        assert "Kirkgate Women" in page and "Lot</th>" not in page


# The API ----------------------------------------------------------------------------------------------------

@pytest.fixture
def api(bidder_manager):
    client = APIClient()
    client.force_authenticate(bidder_manager)
    return client


def api_start(api, opportunity, **data):
    return api.post(reverse("api-bid-start", args=[opportunity.uuid]), data, format="json")


class TestTheApi:
    def test_a_bid_is_started_for_a_lot_by_its_number_and_shows_it(self, api, lotted):
        response = api_start(api, lotted, lot=2)
        assert response.status_code == 201 and response.json()["lot"] == 2
        bid = Bid.objects.get()
        assert bid.lot == lot(lotted, 2)
        assert api.get(reverse("api-bid-detail", args=[bid.uuid])).json()["lot"] == 2
        assert [row["lot"] for row in api.get(reverse("api-bid-list")).json()["results"]] == [2]

    def test_starting_the_same_lot_again_gives_the_live_bid(self, api, lotted):
        first = api_start(api, lotted, lot=1).json()
        again = api_start(api, lotted, lot=1)
        assert again.status_code == 200 and again.json()["uuid"] == first["uuid"]
        assert api_start(api, lotted, lot=2).status_code == 201
        assert Bid.objects.count() == 2

    @pytest.mark.parametrize(("data", "message"), [
        ({}, "Choose the lot you are bidding for"),
        ({"lot": None}, "Choose the lot you are bidding for"),
        ({"lot": 3}, "Choose one of this opportunity's lots: 1, 2"),
    ])
    def test_a_missing_or_unknown_lot_is_a_400_naming_the_field(self, api, lotted, data, message):
        response = api_start(api, lotted, **data)
        assert response.status_code == 400 and response.json() == {"lot": [message]}
        assert not Bid.objects.exists()

    def test_a_lot_that_is_not_a_number_is_a_400_naming_the_field(self, api, lotted):
        response = api_start(api, lotted, lot="east")
        assert response.status_code == 400 and list(response.json()) == ["lot"]

    def test_a_bid_for_an_opportunity_without_lots_has_a_null_lot(self, api, opportunity):
        response = api_start(api, opportunity)
        assert response.status_code == 201 and response.json()["lot"] is None
        assert api_start(api, opportunity, lot=1).json() == {"lot": ["This opportunity has no lots"]}

    def test_the_submitted_receipt_carries_the_lot(self, api, lotted, bidder, bidder_manager):
        bid = start(lotted, bidder, bidder_manager, 1)
        services.bid_draft_save(bid=bid, by=bidder_manager, price="380000",
                                sections={str(c.pk): MARKER for c in section_criteria(lotted)})
        services.attachment_add(bid=bid, by=bidder_manager, upload=pdf_upload())
        response = api.post(reverse("api-bid-submit", args=[bid.uuid]))
        assert response.status_code == 200 and response.json()["lot"] == 1

    def test_someone_from_another_organisation_cannot_start_for_them(self, lotted, bidder, rival_manager):
        client = APIClient()
        client.force_authenticate(rival_manager)
        response = api_start(client, lotted, lot=1, organisation=bidder.slug)
        assert response.status_code == 404 and not Bid.objects.exists()
