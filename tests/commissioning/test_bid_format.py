"""The sealed bid format shared by the bidder's side and the evaluation."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from pathways.commissioning import sealing
from pathways.commissioning.models import Bid, BidStatus
from pathways.commissioning.services import bid_format
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, org_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def bid(probation, leeds):
    opportunity = published(probation, areas=[leeds])
    bidder = OrganisationFactory(name="Ebor Housing", slug="ebor-housing", type=org_type("charity"))
    quality = opportunity.criteria.get(is_price=False)
    return Bid.objects.create(
        opportunity=opportunity, bidder=bidder,
        draft={"sections": {str(quality.pk): "We house women on the day they leave."}, "price": "420000"},
    )


def test_sealing_clears_the_draft_and_the_receipt_hash_is_of_the_canonical_draft(bid):
    expected = sealing.content_hash(bid_format.draft_bytes(bid.draft))
    receipt = bid_format.bid_seal_draft(bid)
    assert receipt == expected == bid.receipt_hash
    assert bid.draft == {}
    assert b"We house women" not in bytes(bid.sealed)


def test_the_same_draft_gives_the_same_bytes_whatever_the_key_order():
    one = {"price": "1", "sections": {"2": "b", "1": "a"}}
    two = {"sections": {"1": "a", "2": "b"}, "price": "1"}
    assert bid_format.draft_bytes(one) == bid_format.draft_bytes(two)


def test_opened_contents_need_the_opening_and_the_deadline(bid):
    bid_format.bid_seal_draft(bid)
    bid.status = BidStatus.SUBMITTED
    bid.save()
    opportunity = bid.opportunity
    with pytest.raises(sealing.StillSealed):
        bid_format.opened_contents(opportunity, [bid])
    # Marked opened by someone tampering with the record: the clock still keeps it sealed.
    opportunity.bids_opened_at = timezone.now()
    with pytest.raises(sealing.StillSealed):
        bid_format.opened_contents(opportunity, [bid])
    with time_machine.travel(opportunity.deadline + timedelta(seconds=1)):
        contents = bid_format.opened_contents(opportunity, [bid])[bid.pk]
    assert contents["price"] == "420000"
    assert bid_format.price_of(contents) == 420000
    assert list(contents["sections"].values()) == ["We house women on the day they leave."]
    assert contents["attachments"] == []


def test_ciphertext_moved_to_another_bid_does_not_open(bid, probation, leeds):
    bid_format.bid_seal_draft(bid)
    other = Bid.objects.create(
        opportunity=bid.opportunity, status=BidStatus.SUBMITTED, sealed=bid.sealed,
        bidder=OrganisationFactory(name="Other", slug="other", type=org_type("charity")),
    )
    bid.opportunity.bids_opened_at = timezone.now()
    with time_machine.travel(bid.opportunity.deadline + timedelta(seconds=1)), pytest.raises(sealing.SealBroken):
        bid_format.opened_contents(bid.opportunity, [other])
