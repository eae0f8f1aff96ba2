"""Reading the evaluation: who is bidding, what stake a person has in a bidder, the scores and their
spread, and the ranking.

Conflicts are found from what Pathways knows: a current membership of a bidding organisation (or of any
member of a bidding consortium), and funding or statutory relationships in the knowledge base between the
person's organisations and a bidder. The person's own declaration covers the rest.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean

from django.db.models import Q
from django.utils import timezone

from pathways.directory.models import Funding, StatutoryRelationship
from pathways.organisations.models import Membership

from ..models import Bid, BidStatus, ConsortiumMember, Criterion, ModeratedScore, PanelMember, Score
from ..services import bid_format
from ..services.pricing import price_points

TWO_PLACES = Decimal("0.01")


# Who is bidding ---------------------------------------------------------------------------------------

def bids_in_competition(opportunity):
    """The bids being evaluated: submitted ones. Before the bids are opened, drafts count too (whoever is
    writing one may still submit it), so that a panel is checked against every likely bidder."""
    statuses = [BidStatus.SUBMITTED] if opportunity.bids_opened_at else [BidStatus.SUBMITTED, BidStatus.DRAFT]
    return (
        Bid.objects.filter(opportunity=opportunity, status__in=statuses)
        .select_related("bidder", "consortium__lead")
        .order_by("submitted_at", "pk")
    )


def bidding_organisations(opportunity) -> dict[int, str]:
    """{organisation id: why it counts as bidding} for every bidder, every member of a bidding consortium and,
    once the bids are opened, every subcontractor a bid names that is in Pathways."""
    found: dict[int, str] = {}
    bids = list(bids_in_competition(opportunity).prefetch_related("subcontractor_organisations"))
    for bid in bids:
        found.setdefault(bid.bidder_id, f"{bid.bidder.name} is bidding")
        if bid.consortium_id:
            found.setdefault(bid.consortium.lead_id, f"{bid.consortium.lead.name} leads a bidding consortium")
            members = ConsortiumMember.objects.filter(consortium_id=bid.consortium_id).select_related("organisation")
            for member in members:
                found.setdefault(member.organisation_id,
                                 f"{member.organisation.name} is in the consortium “{bid.consortium.name}”")
    for bid in bids:
        for organisation in bid.subcontractor_organisations.all():
            found.setdefault(organisation.pk,
                             f"{organisation.name} is named as a subcontractor in {bid.bidder.name}'s bid")
    return found


def _current(queryset, today):
    return queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def conflicts_for(user, opportunity, *, to_them: bool = False) -> list[str]:
    """Why ``user`` has a stake in a bidder, in plain words, naming them (or, ``to_them``, saying "you" for the
    page they read themselves); empty when Pathways knows of none."""
    bidders = bidding_organisations(opportunity)
    if not bidders:
        return []
    own = {
        membership.organisation_id: membership.organisation.name
        for membership in Membership.objects.current().filter(user=user).select_related("organisation")
    }
    if not own:
        return []
    reasons = []
    for organisation_id, name in own.items():
        if organisation_id in bidders:
            who = "You are" if to_them else f"{user.full_name or user.email} is"
            reasons.append(f"{who} a member of {name}, and {bidders[organisation_id]}.")
    today = timezone.localdate()
    funding = _current(Funding.objects.select_related("service__organisation", "funder"), today).filter(
        Q(funder_id__in=own, service__organisation_id__in=bidders)
        | Q(funder_id__in=bidders, service__organisation_id__in=own)
    )
    for record in funding:
        funder, funded = record.funder, record.service.organisation
        reasons.append(f"{funder.name} funds {funded.name}'s service “{record.service.name}”"
                       f" ({record.get_kind_display().lower()}).")
    relationships = _current(StatutoryRelationship.objects.select_related("service__organisation", "statutory_body"),
                             today).filter(
        Q(statutory_body_id__in=own, service__organisation_id__in=bidders)
        | Q(statutory_body_id__in=bidders, service__organisation_id__in=own)
    )
    for record in relationships:
        reasons.append(f"{record.statutory_body.name} has a {record.get_basis_display().lower()} with "
                       f"{record.service.organisation.name} for “{record.service.name}”.")
    return list(dict.fromkeys(reasons))


# The panel ---------------------------------------------------------------------------------------------

def panel_active(opportunity):
    return (
        PanelMember.objects.filter(opportunity=opportunity, removed_at__isnull=True)
        .select_related("user").prefetch_related("criteria").order_by("role", "added_at", "pk")
    )


def panel_member_of(user, opportunity) -> PanelMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelMember.objects.filter(opportunity=opportunity, user=user, removed_at__isnull=True)
        .prefetch_related("criteria").first()
    )


def scored_criteria(opportunity):
    return list(Criterion.objects.filter(opportunity=opportunity, is_price=False).order_by("position", "pk"))


def criteria_for_member(member: PanelMember) -> list[Criterion]:
    """The non-price criteria the member scores: those assigned, or all when none are."""
    assigned = {criterion.pk for criterion in member.criteria.all()}
    return [c for c in scored_criteria(member.opportunity) if not assigned or c.pk in assigned]


def evaluated_bids(opportunity):
    return list(
        Bid.objects.filter(opportunity=opportunity, status=BidStatus.SUBMITTED)
        .select_related("bidder", "consortium__lead", "lot").order_by("submitted_at", "pk")
    )


def member_scores(member: PanelMember) -> dict[tuple[int, int], Score]:
    return {(s.bid_id, s.criterion_id): s for s in Score.objects.filter(evaluator=member)}


def member_has_scored_all(member: PanelMember) -> bool:
    """Whether the member has scored every bid on every criterion given to them: only then may they see
    the others' scores."""
    bids = evaluated_bids(member.opportunity)
    criteria = criteria_for_member(member)
    if not bids or not criteria:
        return False
    scored = set(member_scores(member))
    return all((bid.pk, criterion.pk) in scored for bid in bids for criterion in criteria)


# Scores and their spread ----------------------------------------------------------------------------

@dataclass
class Spread:
    scores: list = field(default_factory=list)  # Score rows

    @property
    def count(self):
        return len(self.scores)

    @property
    def lowest(self):
        return min((s.score for s in self.scores), default=None)

    @property
    def highest(self):
        return max((s.score for s in self.scores), default=None)

    @property
    def average(self):
        if not self.scores:
            return None
        return Decimal(str(mean(s.score for s in self.scores))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

    @property
    def difference(self):
        return None if not self.scores else self.highest - self.lowest


def independent_scores(opportunity) -> dict[tuple[int, int], Spread]:
    """Every evaluator's scores, by (bid id, criterion id)."""
    spreads: dict[tuple[int, int], Spread] = {}
    rows = (
        Score.objects.filter(bid__opportunity=opportunity, evaluator__removed_at__isnull=True)
        .select_related("evaluator__user").order_by("evaluator__user__full_name", "pk")
    )
    for score in rows:
        spreads.setdefault((score.bid_id, score.criterion_id), Spread()).scores.append(score)
    return spreads


def moderated_scores(opportunity) -> dict[tuple[int, int], ModeratedScore]:
    rows = ModeratedScore.objects.filter(bid__opportunity=opportunity).prefetch_related("changes")
    return {(m.bid_id, m.criterion_id): m for m in rows}


EVERY_LOT = object()


def moderation_complete(opportunity, lot=EVERY_LOT) -> bool:
    """Whether there is a bid and every bid has an agreed score on every scored criterion: every bid of the
    opportunity, or only those for ``lot`` (None: an opportunity without lots)."""
    bids, criteria = evaluated_bids(opportunity), scored_criteria(opportunity)
    if lot is not EVERY_LOT:
        bids = [bid for bid in bids if bid.lot_id == getattr(lot, "pk", None)]
    moderated = moderated_scores(opportunity)
    return bool(bids) and all((b.pk, c.pk) in moderated for b in bids for c in criteria)


# Ranking ---------------------------------------------------------------------------------------------

@dataclass
class CriterionResult:
    criterion: Criterion
    score: Decimal | None  # out of 10; None for price or not yet moderated
    points: Decimal | None  # weighted points out of the criterion's weight
    reason: str = ""
    price: Decimal | None = None


@dataclass
class RankedBid:
    bid: Bid
    results: list[CriterionResult]
    total: Decimal
    complete: bool
    price: Decimal | None
    position: int = 0

    @property
    def supplier(self):
        return self.bid.consortium.lead if self.bid.consortium_id else self.bid.bidder

    @property
    def name(self):
        return self.bid.consortium.name if self.bid.consortium_id else self.bid.bidder.name


def weighted(score: Decimal, weight: int) -> Decimal:
    return (Decimal(score) / 10 * weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def lots_competed(opportunity) -> list:
    """What is ranked and awarded separately: each lot in order, or ``[None]`` (the whole opportunity) when it
    has no lots."""
    return list(opportunity.lots.order_by("number")) or [None]


def ranking(opportunity, contents: dict | None = None, *, lot=None) -> list[RankedBid]:
    """The bids for ``lot`` (or, with None, for an opportunity without lots) by total weighted score, highest
    first: each moderated score ÷ 10 × its weight, plus the price points by the price criterion's stated
    formula, against the lowest price in the same lot. ``contents`` (from ``bid_format.opened_contents``) is
    read here when not given; it needs the bids to have been opened."""
    lot_id = getattr(lot, "pk", None)
    bids = [bid for bid in evaluated_bids(opportunity) if bid.lot_id == lot_id]
    if not bids:
        return []
    if contents is None:
        contents = bid_format.opened_contents(opportunity, bids)
    criteria = list(Criterion.objects.filter(opportunity=opportunity).order_by("position", "pk"))
    moderated = moderated_scores(opportunity)
    prices = {bid.pk: bid_format.price_of(contents.get(bid.pk, {})) for bid in bids}
    valid_prices = [p for p in prices.values() if p is not None and p > 0]
    lowest = min(valid_prices) if valid_prices else None
    ranked = []
    for bid in bids:
        results, total, complete = [], Decimal(0), True
        for criterion in criteria:
            if criterion.is_price:
                price = prices.get(bid.pk)
                if price is None or price <= 0 or lowest is None:
                    points, complete = Decimal(0), False
                else:
                    points = price_points(formula=criterion.price_formula, weight=criterion.weight,
                                          lowest_price=lowest, price=price)
                results.append(CriterionResult(criterion=criterion, score=None, points=points, price=price))
            else:
                record = moderated.get((bid.pk, criterion.pk))
                if record is None:
                    results.append(CriterionResult(criterion=criterion, score=None, points=None))
                    complete = False
                    continue
                points = weighted(record.score, criterion.weight)
                results.append(CriterionResult(criterion=criterion, score=record.score, points=points,
                                               reason=record.reason))
            total += points
        ranked.append(RankedBid(bid=bid, results=results, total=total, complete=complete, price=prices.get(bid.pk)))
    ranked.sort(key=lambda row: (-row.total, row.bid.submitted_at or row.bid.created_at, row.bid.pk))
    for position, row in enumerate(ranked, start=1):
        row.position = position
    return ranked


def panels_of(user):
    return (
        PanelMember.objects.filter(user=user, removed_at__isnull=True)
        .exclude(opportunity__status__in=["draft", "cancelled"])
        .select_related("opportunity__buyer", "opportunity__agency").order_by("-added_at")
    )
