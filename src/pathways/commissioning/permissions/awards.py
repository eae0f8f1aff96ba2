"""Who may do what with awards.

- The agency (or the buyer's commissioner where there is no agency) confirms; it recommends through someone
  who also sits on the panel, declared and without a conflict, because the ranking behind a recommendation
  shows each bid's price, read from the opened bids.
- The buyer's commissioners approve or send back, and record when the contract is signed.
- A letter is read by the managers of the bidder it is addressed to, and by those who run the competition
  or commission it; no bidder ever reads another's. Letters exist only once the award is approved.
- The result (the award and the contract) is public once the award is confirmed and the opportunity
  published.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.core.errors import DomainError
from pathways.organisations import permissions as org_permissions

from ..models import AwardLetter, AwardStatus, Lot, Opportunity
from ..selectors.opportunities import lot_numbered
from . import can_commission_in, can_manage_opportunity, opportunity_get_for_user
from .evaluation import can_reach_panel, can_run_panel, can_see_bids


def can_recommend_award(user, opportunity: Opportunity) -> bool:
    """Recommending: whoever runs the panel, if they may also read the opened bids (the ranking has prices)."""
    return can_run_panel(user, opportunity) and can_see_bids(user, opportunity)


def can_confirm_award(user, opportunity: Opportunity) -> bool:
    """Confirming the award once the standstill is over: whoever runs the panel."""
    return can_run_panel(user, opportunity)


def can_decide_award(user, opportunity: Opportunity) -> bool:
    return can_commission_in(user, opportunity.buyer)


def can_sign_contract(user, opportunity: Opportunity) -> bool:
    """Recording that the contract is signed: the buyer's commissioners, as the buyer signs it."""
    return can_commission_in(user, opportunity.buyer)


def can_read_letter(user, letter: AwardLetter) -> bool:
    opportunity = letter.award.opportunity
    return org_permissions.can_manage_organisation(user, letter.bid.bidder) or can_manage_opportunity(user, opportunity)


def award_is_public(award) -> bool:
    return award.status == AwardStatus.CONFIRMED and award.opportunity.is_public


def opportunity_get_for_award(*, user, opportunity_id, check) -> Opportunity:
    """404 for anyone outside the buyer, the agency and the panel; 403 inside without ``check``."""
    opportunity = opportunity_get_for_user(user=user, opportunity_id=opportunity_id, check=can_reach_panel)
    if not check(user, opportunity):
        raise PermissionDenied
    return opportunity


def lot_get_for_award(opportunity: Opportunity, lot_number) -> Lot | None:
    """The lot an award page is about: 404 for a number the opportunity does not have, and for the pages of
    the whole opportunity (no number) when it has lots, as each lot is awarded on its own."""
    try:
        return lot_numbered(opportunity, lot_number)
    except DomainError:
        raise Http404("No such lot") from None


def letter_get_for_user(*, user, opportunity_id, letter_id) -> AwardLetter:
    letter = (
        AwardLetter.objects.select_related("award__opportunity__buyer", "award__opportunity__agency", "bid__bidder")
        .filter(pk=letter_id, award__opportunity__uuid=opportunity_id).first()
    )
    if letter is None or not user.is_authenticated or not can_read_letter(user, letter):
        raise Http404("No such letter")
    return letter

