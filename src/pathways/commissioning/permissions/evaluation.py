"""Who may do what in the evaluation of bids.

- The panel is run by the agency (run-competitions in the opportunity's agency) or, when there is no
  agency, by the buyer's commissioners: they add and remove members, ask bidders questions, record visits
  and moderate.
- A panel member sees the opened bids only once they have signed their declaration, while Pathways knows
  of no stake they have in a bidder, and only after the bids have been opened. Until they have scored
  everything given to them, they see no one else's scores.
- A chair moderates as the agency does.
- A bidder's managers see and answer the questions asked of their own bid.

Anyone else gets a 404 for every panel page; a member of the buyer or the agency without the capability,
or a panel member who may not yet see bids, gets a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions

from ..models import Bid, BidStatus, Inquiry, Opportunity, OpportunityStatus, PanelMember, PanelRole
from ..selectors import evaluation as selectors
from . import can_commission_in, can_reach_opportunity, can_run_competitions_in, opportunity_get_for_user

CLOSED_TO_PANEL = frozenset({OpportunityStatus.DRAFT, OpportunityStatus.CANCELLED})


def can_run_panel(user, opportunity: Opportunity) -> bool:
    if opportunity.agency_id is not None:
        return can_run_competitions_in(user, opportunity.agency)
    return can_commission_in(user, opportunity.buyer)


def member_may_see_bids(member: PanelMember | None) -> bool:
    """Declared, not removed, no stake Pathways knows of, and the bids opened."""
    if member is None or member.removed_at is not None or member.declared_no_conflict_at is None:
        return False
    opportunity = member.opportunity
    if opportunity.bids_opened_at is None or opportunity.status in CLOSED_TO_PANEL:
        return False
    return not selectors.conflicts_for(member.user, opportunity)


def can_see_bids(user, opportunity: Opportunity) -> bool:
    return member_may_see_bids(selectors.panel_member_of(user, opportunity))


def can_moderate(user, opportunity: Opportunity) -> bool:
    """The agency (or the commissioner where there is none), or the panel's chair who may see the bids."""
    if can_run_panel(user, opportunity):
        return True
    member = selectors.panel_member_of(user, opportunity)
    return member is not None and member.role == PanelRole.CHAIR and member_may_see_bids(member)


def can_reach_panel(user, opportunity: Opportunity) -> bool:
    """Inside the opportunity: the buyer's and the agency's members, and its panel."""
    return can_reach_opportunity(user, opportunity) or selectors.panel_member_of(user, opportunity) is not None


def can_answer_inquiries_for(user, bid: Bid) -> bool:
    return org_permissions.can_manage_organisation(user, bid.bidder)


# Fetch and authorise in one call --------------------------------------------------------------------

def opportunity_get_for_panel_runner(*, user, opportunity_id) -> Opportunity:
    opportunity = opportunity_get_for_user(user=user, opportunity_id=opportunity_id, check=can_reach_panel)
    if not can_run_panel(user, opportunity):
        raise PermissionDenied
    return opportunity


def panel_member_get_for_runner(*, user, opportunity_id, member_id) -> tuple[Opportunity, PanelMember]:
    """The opportunity and one active member of its panel, for whoever runs the panel; 404 for any other."""
    opportunity = opportunity_get_for_panel_runner(user=user, opportunity_id=opportunity_id)
    member = opportunity.panel.filter(pk=member_id, removed_at__isnull=True).select_related("user").first()
    if member is None:
        raise Http404("No such panel member")
    return opportunity, member


def opportunity_get_for_member(*, user, opportunity_id) -> tuple[Opportunity, PanelMember]:
    """For a panel member's own pages (declaration, scoring): 404 for anyone not on the panel."""
    opportunity = opportunity_get_for_user(user=user, opportunity_id=opportunity_id, check=can_reach_panel)
    member = selectors.panel_member_of(user, opportunity)
    if member is None:
        if can_reach_opportunity(user, opportunity):
            raise PermissionDenied
        raise Http404("No such panel")
    return opportunity, member


def opportunity_get_for_moderator(*, user, opportunity_id) -> Opportunity:
    opportunity = opportunity_get_for_user(user=user, opportunity_id=opportunity_id, check=can_reach_panel)
    if not can_moderate(user, opportunity):
        raise PermissionDenied
    return opportunity


def bid_get_for_panel(*, user, opportunity: Opportunity, bid_id, contents: bool = True) -> Bid:
    """An opened bid. With ``contents``, only for a panel member who may see bids (declared, no stake,
    opened); without, also for whoever moderates (to ask the bidder questions and record the consensus).
    404 for a bid of another opportunity or an unsubmitted one; 403 for someone inside who may not."""
    bid = (
        Bid.objects.select_related("bidder", "consortium__lead", "opportunity")
        .filter(uuid=bid_id, opportunity=opportunity, status=BidStatus.SUBMITTED).first()
    )
    if bid is None:
        raise Http404("No such bid")
    if opportunity.bids_opened_at is None:
        raise PermissionDenied
    if can_see_bids(user, opportunity) or (not contents and can_moderate(user, opportunity)):
        return bid
    raise PermissionDenied


def inquiry_get_for_bidder(*, user, opportunity: Opportunity, inquiry_id) -> Inquiry:
    inquiry = (
        Inquiry.objects.select_related("bid__bidder", "bid__opportunity")
        .filter(pk=inquiry_id, bid__opportunity=opportunity, kind=Inquiry.Kind.QUESTION).first()
    )
    if inquiry is None or not can_answer_inquiries_for(user, inquiry.bid):
        raise Http404("No such question")
    return inquiry


def bids_get_for_bidder(*, user, opportunity: Opportunity) -> list[Bid]:
    """The user's organisations' submitted bids on this opportunity (one per lot it bid for), for their
    managers, in lot order; 404 when there are none."""
    organisations = org_permissions.member_organisation_ids(user) if user.is_authenticated else set()
    bids = [
        bid for bid in Bid.objects.filter(opportunity=opportunity, bidder_id__in=organisations,
                                          status=BidStatus.SUBMITTED)
        .select_related("bidder", "lot").order_by("lot__number", "submitted_at", "pk")
        if can_answer_inquiries_for(user, bid)
    ]
    if not bids:
        raise Http404("No bid of yours")
    return bids
