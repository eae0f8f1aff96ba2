"""Who may do what with clarifications and sealed bids.

- Any member of an organisation other than the buyer and the agency asks clarification questions for it.
  Only that organisation's members see its own questions; everyone sees the published answers, never who asked.
- The agency (run-competitions) or, where there is no agency, the buyer's commissioners answer and publish.
- A bid belongs to its bidding organisation: its members see it, its managers (manage-organisation) change,
  submit and withdraw it. Anyone else asking for it gets a 404, whatever its state.
- Opening the bids is the agency's act (the buyer's commissioners' when there is no agency); once opened,
  the opportunity's managers read them through the bid page.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Organisation

from ..models import Bid, BidStatus, Clarification, Opportunity
from . import can_commission_in, can_manage_opportunity, can_run_competitions_in


def is_buyer_side(organisation, opportunity: Opportunity) -> bool:
    """The buyer and the agency never bid or ask on their own opportunity."""
    return organisation.pk in {opportunity.buyer_id, opportunity.agency_id}


def organisations_that_may_ask(user, opportunity: Opportunity) -> list[Organisation]:
    ids = org_permissions.member_organisation_ids(user)
    if not ids:
        return []
    return [
        organisation
        for organisation in Organisation.objects.select_related("type").filter(pk__in=ids).order_by("name")
        if not is_buyer_side(organisation, opportunity)
    ]


def organisations_that_may_bid(user, opportunity: Opportunity) -> list[Organisation]:
    return [
        organisation for organisation in organisations_that_may_ask(user, opportunity)
        if org_permissions.can_manage_organisation(user, organisation)
    ]


def can_ask_clarification(user, organisation, opportunity: Opportunity) -> bool:
    return org_permissions.is_member(user, organisation) and not is_buyer_side(organisation, opportunity)


def can_answer_clarifications(user, opportunity: Opportunity) -> bool:
    """The agency when there is one; the buyer's commissioners as well (they own the opportunity)."""
    return can_manage_opportunity(user, opportunity)


def can_open_bids(user, opportunity: Opportunity) -> bool:
    """The neutral agency opens the bids it runs the competition for; with no agency, the buyer's commissioner."""
    if opportunity.agency_id is not None:
        return can_run_competitions_in(user, opportunity.agency)
    return can_commission_in(user, opportunity.buyer)


def can_read_opened_bids(user, opportunity: Opportunity) -> bool:
    """Once the bids are opened, only the panel reads them: members who signed their declaration and have no
    conflict with any bidder. Managing the opportunity is not enough; whoever reads a bid declares first."""
    from .evaluation import can_see_bids

    return opportunity.bids_opened_at is not None and can_see_bids(user, opportunity)


def can_view_bid(user, bid: Bid) -> bool:
    return org_permissions.is_member(user, bid.bidder)


def can_change_bid(user, bid: Bid) -> bool:
    return org_permissions.can_manage_organisation(user, bid.bidder)


def can_start_bid(user, organisation) -> bool:
    return org_permissions.can_manage_organisation(user, organisation)


# Fetch and authorise in one call -------------------------------------------------------------------

def _bid(bid_id) -> Bid | None:
    return (
        Bid.objects.select_related("opportunity__buyer__type", "opportunity__agency__type", "bidder__type",
                                   "consortium", "submitted_by")
        .filter(uuid=bid_id)
        .first()
    )


def bid_get_for_bidder(*, user, bid_id, change: bool = False) -> Bid:
    """A bid for its own organisation: 404 for anyone outside it, 403 for members who may not change it."""
    bid = _bid(bid_id)
    if bid is None or not can_view_bid(user, bid):
        raise Http404("No such bid")
    if change and not can_change_bid(user, bid):
        raise PermissionDenied
    return bid


def bid_get_for_reader(*, user, bid_id) -> Bid:
    """A bid for its own organisation's members, or, once the bids are opened, for the panel.
    Everyone else gets a 404; so do the managers before the opening (a withdrawn bid is never opened)."""
    bid = _bid(bid_id)
    if bid is None:
        raise Http404("No such bid")
    if can_view_bid(user, bid):
        return bid
    if bid.status == BidStatus.SUBMITTED and can_read_opened_bids(user, bid.opportunity):
        return bid
    raise Http404("No such bid")


def clarification_get_for_answerer(*, user, opportunity: Opportunity, clarification_id) -> Clarification:
    clarification = Clarification.objects.filter(pk=clarification_id, opportunity=opportunity).first()
    if clarification is None:
        raise Http404("No such question")
    if not can_answer_clarifications(user, opportunity):
        raise PermissionDenied
    return clarification


def organisation_for_asking(*, user, opportunity: Opportunity, slug: str | None) -> Organisation:
    """The organisation a person asks or bids for: the one named, or their only one. 404 if they are not in it."""
    organisations = organisations_that_may_ask(user, opportunity)
    if slug:
        for organisation in organisations:
            if organisation.slug == slug:
                return organisation
        raise Http404("No such organisation")
    if len(organisations) == 1:
        return organisations[0]
    raise Http404("No such organisation")
