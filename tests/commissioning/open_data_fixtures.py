"""Opportunities in every state, with notifications, interest, sealed bids, awards and contracts made directly
through the models (their services are being built alongside), for the open data and fairness tests.
Import explicitly:

    from .open_data_fixtures import *  # noqa: F403
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pathways.commissioning.models import (
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Contract,
    ContractStatus,
    Interest,
    Notification,
    Opportunity,
    OpportunityStatus,
)
from pathways.commissioning.services.bid_format import bid_seal_draft
from tests.factories import OrganisationFactory, UserFactory

from .factories import published

SECRET_TEXT = "KESTREL-55 our sealed plan for the Chapeltown drop-in"
WINNING_PRICE = 412_345
LOSING_PRICE = 398_765
DRAFT_TEXT = "MERLIN-21 a draft nobody submitted"

__all__ = [
    "SECRET_TEXT", "WINNING_PRICE", "LOSING_PRICE", "DRAFT_TEXT", "media", "move", "submit_bid", "confirm_award",
    "opportunity_in", "tell", "register_interest", "ALL_STATES",
]

ALL_STATES = ["forthcoming", "open", "closed", "evaluation", "awarded", "cancelled"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def move(opportunity: Opportunity, status: str, at=None) -> Opportunity:
    """Put the opportunity in ``status`` as if it got there at ``at``, stamping the moment each step was reached."""
    at = at or timezone.now()
    stamps = {
        OpportunityStatus.CLOSED: ["closed_at"],
        OpportunityStatus.EVALUATION: ["closed_at", "evaluation_started_at"],
        OpportunityStatus.AWARDED: ["closed_at", "evaluation_started_at", "awarded_at"],
        OpportunityStatus.CANCELLED: ["cancelled_at"],
    }.get(status, [])
    fields = {"status": status}
    for step, name in enumerate(stamps):
        fields[name] = at - timedelta(days=len(stamps) - 1 - step)
    if status == OpportunityStatus.CANCELLED:
        fields["cancelled_reason"] = "The money was withdrawn."
    Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=at, **fields)
    opportunity.refresh_from_db()
    return opportunity


def submit_bid(opportunity, bidder, *, text=SECRET_TEXT, price=LOSING_PRICE, at=None) -> Bid:
    """A bid drafted and sealed as the bids service does: the readable draft is cleared."""
    criteria = list(opportunity.criteria.filter(is_price=False))
    bid = Bid.objects.create(opportunity=opportunity, bidder=bidder, draft={
        "sections": {str(criterion.pk): f"{text} ({bidder.name})" for criterion in criteria},
        "price": str(price),
    })
    bid_seal_draft(bid)
    bid.status = BidStatus.SUBMITTED
    bid.submitted_at = at or timezone.now()
    bid.save()
    return bid


def confirm_award(opportunity, bid, *, value=WINNING_PRICE, contract=True, at=None) -> Award:
    at = at or timezone.now()
    award = Award.objects.create(
        opportunity=opportunity, bid=bid, status=AwardStatus.CONFIRMED, value=Decimal(value),
        recommendation="The best plan for women in Leeds.", recommended_by=UserFactory(),
        recommended_at=at - timedelta(days=14), approved_at=at - timedelta(days=12), standstill_ends_at=at,
    )
    if contract:
        starts = opportunity.contract_starts_on or at.date()
        Contract.objects.create(
            award=award, reference=f"{opportunity.reference}-C1", buyer=opportunity.buyer, supplier=bid.bidder,
            title=opportunity.title, value=Decimal(value), starts_on=starts, ends_on=starts + timedelta(days=3 * 365),
            status=ContractStatus.PENDING, created_at=at + timedelta(hours=1),
        )
    return award


def tell(opportunity, organisation, channel=Notification.Channel.ALERT):
    return Notification.objects.create(opportunity=opportunity, organisation=organisation, channel=channel)


def register_interest(opportunity, organisation):
    return Interest.objects.create(opportunity=opportunity, organisation=organisation)


def opportunity_in(state: str, buyer, *, areas, agency=None, **overrides) -> Opportunity:
    """A published opportunity in ``state``; from "closed" on it has two sealed bids (one a draft never
    submitted), and "awarded" has a confirmed award and its contract."""
    if state == "forthcoming":
        return published(buyer, areas=areas, agency=agency, open_for_bids=False, **overrides)
    opportunity = published(buyer, areas=areas, agency=agency, **overrides)
    if state == "open":
        return opportunity
    winner = OrganisationFactory(name="Chapeltown Women's Trust", charity_number="1123456", annual_income=80_000)
    loser = OrganisationFactory(name="Big Outsourcing plc", company_number="01234567", annual_income=250_000_000)
    drafter = OrganisationFactory(name="Late Drafters")
    winning_bid = submit_bid(opportunity, winner, price=WINNING_PRICE)
    submit_bid(opportunity, loser, price=LOSING_PRICE)
    Bid.objects.create(opportunity=opportunity, bidder=drafter, status=BidStatus.DRAFT,
                       draft={"sections": {"1": DRAFT_TEXT}, "price": "111999"})
    at = opportunity.deadline + timedelta(days=30)
    if state == "closed":
        return move(opportunity, OpportunityStatus.CLOSED, at=opportunity.deadline)
    if state == "evaluation":
        return move(opportunity, OpportunityStatus.EVALUATION, at=opportunity.deadline + timedelta(days=1))
    if state == "cancelled":
        return move(opportunity, OpportunityStatus.CANCELLED, at=at)
    if state == "awarded":
        confirm_award(opportunity, winning_bid, at=at)
        return move(opportunity, OpportunityStatus.AWARDED, at=at)
    raise ValueError(state)
