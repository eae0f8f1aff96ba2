"""Reading the help with tendering kept per organisation: its bid readiness and saved calculations."""

from dataclasses import dataclass

from django.db.models import QuerySet

from ..guides import READINESS_GROUPS, READINESS_ITEMS, ReadinessItem, guide_get
from ..models import BidReadiness, FullCostCalculation, Opportunity


@dataclass(frozen=True)
class MissingItem:
    item: ReadinessItem
    guide_title: str
    guide_slug: str
    anchor: str


@dataclass(frozen=True)
class Readiness:
    saved: BidReadiness | None
    have: list[ReadinessItem]
    missing: list[MissingItem]

    @property
    def ready(self) -> bool:
        return self.saved is not None and not self.missing

    @property
    def groups(self) -> list[tuple[str, str, list[ReadinessItem]]]:
        return [
            (code, label, [item for item in READINESS_ITEMS if item.group == code]) for code, label in READINESS_GROUPS
        ]


def bid_readiness_for(*, organisation) -> Readiness:
    saved = BidReadiness.objects.filter(organisation=organisation).select_related("updated_by").first()
    ticked = set(saved.items) if saved else set()
    have = [item for item in READINESS_ITEMS if item.code in ticked]
    missing = []
    for item in READINESS_ITEMS:
        if item.code in ticked:
            continue
        guide = guide_get(item.guide)
        missing.append(MissingItem(item=item, guide_title=guide.title if guide else "", guide_slug=item.guide,
                                   anchor=item.anchor))
    return Readiness(saved=saved, have=have, missing=missing)


def calculations_for(*, organisation) -> QuerySet[FullCostCalculation]:
    return FullCostCalculation.objects.filter(organisation=organisation).select_related("opportunity", "created_by")


def calculations_for_opportunity(*, organisation, opportunity: Opportunity) -> QuerySet[FullCostCalculation]:
    """What the bids work carries into a bid: the organisation's calculations for that opportunity."""
    return calculations_for(organisation=organisation).filter(opportunity=opportunity)


def opportunities_to_cost() -> QuerySet[Opportunity]:
    """Published opportunities still to bid for, for choosing which one a calculation is for."""
    return Opportunity.objects.published().filter(status__in=["forthcoming", "open"]).order_by("title")
