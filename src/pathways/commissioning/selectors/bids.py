"""Reads of bids. Nothing here returns a bid's content: a draft is read by its own organisation through
``permissions.bids.bid_get_for_bidder``, a submitted bid only through ``bid_format.opened_contents``."""

import re

from django.db.models import Count, Q, QuerySet

from ..models import Bid, BidStatus, Criterion, Lot, Opportunity

WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """Words as a reader counts them: anything between spaces or line breaks."""
    return len(WORD.findall(text or ""))


def submitted_bids(opportunity: Opportunity) -> QuerySet[Bid]:
    """The bids submitted and not withdrawn: the ones that are opened and evaluated."""
    return (
        Bid.objects.filter(opportunity=opportunity, status=BidStatus.SUBMITTED)
        .select_related("bidder", "consortium", "lot")
        .order_by("submitted_at", "pk")
    )


def live_bid(*, opportunity: Opportunity, organisation, lot=None) -> Bid | None:
    """The organisation's bid that is not withdrawn, for the whole opportunity or for ``lot`` (at most one)."""
    return (
        Bid.objects.filter(opportunity=opportunity, bidder=organisation, lot=lot)
        .exclude(status=BidStatus.WITHDRAWN)
        .first()
    )


def live_bids(*, opportunity: Opportunity, organisation) -> list[Bid]:
    """Every bid of the organisation for the opportunity that is not withdrawn: one, or one per lot."""
    return list(
        Bid.objects.filter(opportunity=opportunity, bidder=organisation)
        .exclude(status=BidStatus.WITHDRAWN).select_related("lot").order_by("lot__number", "pk")
    )


def lots(opportunity: Opportunity) -> list[Lot]:
    """The opportunity's lots in number order: each one is bid for separately."""
    return list(opportunity.lots.order_by("number"))


def withdrawn_bids(*, opportunity: Opportunity, organisation) -> QuerySet[Bid]:
    return Bid.objects.filter(opportunity=opportunity, bidder=organisation, status=BidStatus.WITHDRAWN).order_by(
        "-withdrawn_at"
    )


def bids_of_organisations(*, organisation_ids) -> QuerySet[Bid]:
    """Bids of these organisations, newest first, with their opportunity: for "Your bids" and the API."""
    return (
        Bid.objects.filter(bidder_id__in=organisation_ids)
        .select_related("opportunity", "bidder", "lot")
        .defer("draft", "sealed")
        .order_by("-created_at", "-pk")
    )


def bid_counts(*, opportunity: Opportunity) -> dict:
    """How many bids are drafted, submitted and withdrawn: numbers only, no names before the opening."""
    counts = Bid.objects.filter(opportunity=opportunity).aggregate(
        drafts=Count("pk", filter=Q(status=BidStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=BidStatus.SUBMITTED)),
        withdrawn=Count("pk", filter=Q(status=BidStatus.WITHDRAWN)),
    )
    return counts


def section_criteria(opportunity: Opportunity) -> list[Criterion]:
    """The criteria a bid answers in words, in their order."""
    return list(opportunity.criteria.filter(is_price=False).order_by("position", "pk"))


def price_criterion(opportunity: Opportunity) -> Criterion | None:
    return opportunity.criteria.filter(is_price=True).first()
