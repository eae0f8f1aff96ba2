"""The fairness figures: of the published opportunities in a period (optionally of one buyer), which
organisations were told about them, registered interest, bid and won, by size and by locality.

The unit is an organisation on an opportunity: one organisation told about three opportunities counts three
times. "Told" is a Notification (by channel: alert, weekly digest, invitation from the approved list);
"interested" an Interest; "bid" a submitted bid (withdrawn ones and drafts do not count); "won" a confirmed
award. The members of a bidding consortium, its subcontractors among them, bid (and win) with its lead: taking
part in a consortium is how many small organisations take part at all. Size is the organisation's band by annual income (organisations.models.size_band_for), or "not
known" without an income. Locality compares the organisation's areas with the opportunity's:

- local: they share a place once each side is widened to the places it lies within, up to its region
  (an organisation in Hull is local to an opportunity in Leeds: both are in Yorkshire and the Humber);
- outside the region: both have areas and they share none;
- not known: either has no areas.

The public figures are aggregates only; the agency's fuller view adds each organisation on each opportunity.
Nothing here reads what a bid says.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from pathways.organisations.models import Organisation, Place, PlaceKind, SizeBand

from ..models import Award, AwardStatus, Bid, BidStatus, ConsortiumMember, Interest, Notification, Opportunity

STAGES = [("told", "Told about it"), ("interested", "Registered interest"), ("bid", "Bid"), ("won", "Won")]
UNKNOWN = "unknown"
SIZE_GROUPS = [(band.value, band.label) for band in SizeBand] + [(UNKNOWN, "Size not known")]
SMALL_BANDS = frozenset({SizeBand.MICRO, SizeBand.SMALL})
LOCALITY_GROUPS = [("local", "Local"), ("outside", "Outside the region"), (UNKNOWN, "Not known")]
CHANNELS = list(Notification.Channel.choices)


@dataclass(frozen=True)
class FairnessFilters:
    published_from: date | None = None
    published_to: date | None = None
    buyer: Organisation | None = None
    agency: Organisation | None = None


@dataclass
class Taking:
    """One organisation on one opportunity: how far it went."""

    opportunity: Opportunity
    organisation: Organisation
    channels: set = field(default_factory=set)
    interested: bool = False
    bid: bool = False
    won: bool = False
    size: str = UNKNOWN
    locality: str = UNKNOWN

    @property
    def told(self) -> bool:
        return bool(self.channels)

    def reached(self, stage: str) -> bool:
        return getattr(self, stage)


@dataclass
class GroupFigures:
    code: str
    label: str
    told: int = 0
    interested: int = 0
    bid: int = 0
    won: int = 0
    told_then_bid: int = 0
    told_then_won: int = 0

    def add(self, taking: Taking):
        for stage, _ in STAGES:
            if taking.reached(stage):
                setattr(self, stage, getattr(self, stage) + 1)
        if taking.told and taking.bid:
            self.told_then_bid += 1
        if taking.told and taking.won:
            self.told_then_won += 1

    def counts(self) -> list[int]:
        return [getattr(self, stage) for stage, _ in STAGES]

    @property
    def bid_rate(self) -> float | None:
        """Of those told, the share that bid."""
        return self.told_then_bid / self.told if self.told else None

    @property
    def win_rate(self) -> float | None:
        """Of those told, the share that won."""
        return self.told_then_won / self.told if self.told else None

    @property
    def success_rate(self) -> float | None:
        """Of those that bid, the share that won."""
        return self.won / self.bid if self.bid else None


@dataclass
class Fairness:
    filters: FairnessFilters
    opportunity_count: int
    takings: list[Taking]
    totals: GroupFigures
    channels: list[tuple[str, str, int]]
    by_size: list[GroupFigures]
    by_locality: list[GroupFigures]
    small_local: GroupFigures
    everyone_else: GroupFigures

    @property
    def is_empty(self) -> bool:
        return not self.takings


def opportunities_for_fairness(*, filters: FairnessFilters):
    """Published opportunities (never drafts), by when they were published, of the buyer or agency asked for."""
    opportunities = Opportunity.objects.published().select_related("buyer", "agency").prefetch_related("areas")
    if filters.published_from:
        opportunities = opportunities.filter(published_at__date__gte=filters.published_from)
    if filters.published_to:
        opportunities = opportunities.filter(published_at__date__lte=filters.published_to)
    if filters.buyer is not None:
        opportunities = opportunities.filter(buyer=filters.buyer)
    if filters.agency is not None:
        opportunities = opportunities.filter(agency=filters.agency)
    return opportunities.order_by("published_at", "pk")


def buyer_choices():
    """Buyers with at least one published opportunity, for the filter."""
    return Organisation.objects.filter(
        pk__in=Opportunity.objects.published().values("buyer")
    ).order_by("name")


# Locality ---------------------------------------------------------------------------------------------

class Places:
    """Every place's parent, loaded once, to widen a set of places to what they lie within, up to a region."""

    def __init__(self):
        self._parent: dict[int, tuple[int | None, str]] = {
            pk: (parent, kind) for pk, parent, kind in Place.objects.values_list("pk", "parent_id", "kind")
        }

    def widened(self, place_ids) -> frozenset[int]:
        found = set()
        for place_id in place_ids:
            current, seen = place_id, 0
            while current is not None and seen < 20:
                found.add(current)
                parent, kind = self._parent.get(current, (None, ""))
                if kind == PlaceKind.REGION:
                    break
                current, seen = parent, seen + 1
        return frozenset(found)


def locality_of(organisation_areas: frozenset, opportunity_areas: frozenset) -> str:
    if not organisation_areas or not opportunity_areas:
        return UNKNOWN
    return "local" if organisation_areas & opportunity_areas else "outside"


def size_of(organisation: Organisation) -> str:
    band = organisation.size_band
    return band.value if band is not None else UNKNOWN


# The figures ------------------------------------------------------------------------------------------

def takings_for(opportunities) -> list[Taking]:
    opportunities = {opportunity.pk: opportunity for opportunity in opportunities}
    ids = list(opportunities)
    found: dict[tuple[int, int], dict] = defaultdict(lambda: {"channels": set()})
    for opportunity_id, organisation_id, channel in Notification.objects.filter(
        opportunity_id__in=ids
    ).values_list("opportunity_id", "organisation_id", "channel"):
        found[(opportunity_id, organisation_id)]["channels"].add(channel)
    for opportunity_id, organisation_id in Interest.objects.filter(opportunity_id__in=ids).values_list(
        "opportunity_id", "organisation_id"
    ):
        found[(opportunity_id, organisation_id)]["interested"] = True
    for opportunity_id, organisation_id in Bid.objects.filter(
        opportunity_id__in=ids, status=BidStatus.SUBMITTED
    ).values_list("opportunity_id", "bidder_id"):
        found[(opportunity_id, organisation_id)]["bid"] = True
    for opportunity_id, organisation_id in Award.objects.filter(
        opportunity_id__in=ids, status=AwardStatus.CONFIRMED
    ).values_list("opportunity_id", "bid__bidder_id"):
        found[(opportunity_id, organisation_id)]["won"] = True
    members = ConsortiumMember.objects.filter(
        consortium__bid__opportunity_id__in=ids, consortium__bid__status=BidStatus.SUBMITTED
    )
    for opportunity_id, organisation_id in members.values_list("consortium__bid__opportunity_id", "organisation_id"):
        found[(opportunity_id, organisation_id)]["bid"] = True
    for opportunity_id, organisation_id in members.filter(
        consortium__bid__awards__status=AwardStatus.CONFIRMED
    ).values_list("consortium__bid__opportunity_id", "organisation_id"):
        found[(opportunity_id, organisation_id)]["won"] = True

    organisations = Organisation.objects.in_bulk({organisation_id for _, organisation_id in found})
    organisation_areas = defaultdict(set)
    for organisation_id, place_id in Organisation.areas.through.objects.filter(
        organisation_id__in=list(organisations)
    ).values_list("organisation_id", "place_id"):
        organisation_areas[organisation_id].add(place_id)
    places = Places()
    widened_organisations = {pk: places.widened(areas) for pk, areas in organisation_areas.items()}
    widened_opportunities = {
        pk: places.widened(place.pk for place in opportunity.areas.all()) for pk, opportunity in opportunities.items()
    }
    takings = []
    for (opportunity_id, organisation_id), facts in sorted(found.items()):
        organisation = organisations[organisation_id]
        takings.append(Taking(
            opportunity=opportunities[opportunity_id], organisation=organisation,
            channels=facts["channels"], interested=facts.get("interested", False),
            bid=facts.get("bid", False), won=facts.get("won", False),
            size=size_of(organisation),
            locality=locality_of(widened_organisations.get(organisation_id, frozenset()),
                                 widened_opportunities[opportunity_id]),
        ))
    return takings


def fairness_figures(*, filters: FairnessFilters) -> Fairness:
    opportunities = list(opportunities_for_fairness(filters=filters))
    takings = takings_for(opportunities)
    totals = GroupFigures("all", "All organisations")
    by_size = {code: GroupFigures(code, label) for code, label in SIZE_GROUPS}
    by_locality = {code: GroupFigures(code, label) for code, label in LOCALITY_GROUPS}
    small_local = GroupFigures("small_local", "Small and local organisations (income under £100,000)")
    everyone_else = GroupFigures("others", "All other organisations")
    channel_counts = {code: 0 for code, _ in CHANNELS}
    for taking in takings:
        totals.add(taking)
        by_size[taking.size].add(taking)
        by_locality[taking.locality].add(taking)
        (small_local if taking.size in SMALL_BANDS and taking.locality == "local" else everyone_else).add(taking)
        for channel in taking.channels:
            channel_counts[channel] += 1
    return Fairness(
        filters=filters,
        opportunity_count=len(opportunities),
        takings=takings,
        totals=totals,
        channels=[(code, label, channel_counts[code]) for code, label in CHANNELS],
        by_size=list(by_size.values()),
        by_locality=list(by_locality.values()),
        small_local=small_local,
        everyone_else=everyone_else,
    )


def opportunity_rows(fairness: Fairness) -> list[dict]:
    """For the agency: each opportunity with its figures and the organisations that took part."""
    rows: dict[int, dict] = {}
    for taking in fairness.takings:
        row = rows.setdefault(taking.opportunity.pk, {
            "opportunity": taking.opportunity, "figures": GroupFigures("opportunity", taking.opportunity.title),
            "takings": [],
        })
        row["figures"].add(taking)
        row["takings"].append(taking)
    return list(rows.values())
