"""Who may see and change opportunities, and the help with tendering that is kept per organisation.

Published opportunities are public; drafts are seen only by the buyer's and the agency's members.
Commissioners (the commission capability in the buyer) and the bidding agency running it for them (the
run-competitions capability in the agency) change it. Anyone outside those organisations who asks for a
draft or for a management page gets a 404; a member who may not change it gets a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions
from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Organisation

from ..models import FullCostCalculation, Opportunity


# Publishing ------------------------------------------------------------------------------------------

def can_commission_in(user, organisation) -> bool:
    """A commissioner of ``organisation``: it buys, and they publish its opportunities."""
    return org_permissions.has_capability(user, Cap.COMMISSION, organisation)


def can_run_competitions_in(user, organisation) -> bool:
    """A partnership development worker of the bidding agency ``organisation``."""
    return org_permissions.has_capability(user, Cap.RUN_COMPETITIONS, organisation)


def publishes_as_agency(user, organisation) -> bool:
    """Whether ``user`` publishes from ``organisation`` as the bidding agency, choosing the buyer: they run
    competitions there but do not commission for it."""
    return can_run_competitions_in(user, organisation) and not can_commission_in(user, organisation)


def can_publish_for(user, organisation) -> bool:
    """May create opportunities from ``organisation``: as its commissioner, or as the agency (for a buyer)."""
    return can_commission_in(user, organisation) or can_run_competitions_in(user, organisation)


def can_create_opportunity(user, *, buyer, agency=None) -> bool:
    """A commissioner creates for their own organisation; the agency creates for any buyer that commissions."""
    if agency is not None:
        return can_run_competitions_in(user, agency) and buyer.type.can_commission
    return can_commission_in(user, buyer)


def can_manage_opportunity(user, opportunity: Opportunity) -> bool:
    if can_commission_in(user, opportunity.buyer):
        return True
    return opportunity.agency_id is not None and can_run_competitions_in(user, opportunity.agency)


def can_reach_opportunity(user, opportunity: Opportunity) -> bool:
    """Members of the buyer or the agency reach its management pages (and are then refused if they may not)."""
    return org_permissions.is_member(user, opportunity.buyer) or (
        opportunity.agency_id is not None and org_permissions.is_member(user, opportunity.agency)
    )


def can_view_opportunity(user, opportunity: Opportunity) -> bool:
    return opportunity.is_public or can_reach_opportunity(user, opportunity)


def acting_organisation(user, opportunity: Opportunity) -> Organisation | None:
    """Which organisation ``user`` acts for on this opportunity: the agency if they run it, else the buyer."""
    if opportunity.agency_id is not None and can_run_competitions_in(user, opportunity.agency):
        return opportunity.agency
    if can_commission_in(user, opportunity.buyer):
        return opportunity.buyer
    return None


# Fetch and authorise in one call -------------------------------------------------------------------

def _opportunity(opportunity_id) -> Opportunity | None:
    return (
        Opportunity.objects.select_related("buyer__type", "agency__type")
        .filter(uuid=opportunity_id)
        .first()
    )


def opportunity_get_for_user(*, user, opportunity_id, check=can_view_opportunity) -> Opportunity:
    """The opportunity with this uuid if ``check`` allows it; otherwise 404, so drafts stay unseen."""
    opportunity = _opportunity(opportunity_id)
    if opportunity is None or not check(user, opportunity):
        raise Http404("No such opportunity")
    return opportunity


def opportunity_get_for_manager(*, user, opportunity_id) -> Opportunity:
    """For the buyer's and agency's pages: 404 for outsiders, 403 for members who may not change it."""
    opportunity = opportunity_get_for_user(user=user, opportunity_id=opportunity_id, check=can_reach_opportunity)
    if not can_manage_opportunity(user, opportunity):
        raise PermissionDenied
    return opportunity


def organisation_get_for_publisher(*, user, slug: str) -> Organisation:
    """An organisation whose opportunities the user looks after: 404 for outsiders, 403 for members who
    neither commission nor run competitions there."""
    organisation = org_permissions.organisation_get_for_member(user=user, slug=slug)
    if not can_publish_for(user, organisation):
        raise PermissionDenied
    return organisation


# Help with tendering -----------------------------------------------------------------------------------

def can_view_tendering_records(user, organisation) -> bool:
    """An organisation's bid-readiness checklist and saved calculations: its members read them."""
    return org_permissions.is_member(user, organisation)


def can_change_tendering_records(user, organisation) -> bool:
    """Its managers (who look after bids) tick the checklist and save calculations."""
    return org_permissions.can_manage_organisation(user, organisation)


def organisation_get_for_tendering(*, user, slug: str, change: bool = False) -> Organisation:
    """404 for outsiders; 403 for members who may not change the records when ``change`` is asked."""
    organisation = org_permissions.organisation_get_for_member(
        user=user, slug=slug, check=can_view_tendering_records
    )
    if change and not can_change_tendering_records(user, organisation):
        raise PermissionDenied
    return organisation


def calculation_get_for_user(*, user, organisation, calculation_id) -> FullCostCalculation:
    calculation = (
        FullCostCalculation.objects.select_related("opportunity", "created_by")
        .filter(pk=calculation_id, organisation=organisation)
        .first()
    )
    if calculation is None or not can_view_tendering_records(user, organisation):
        raise Http404("No such calculation")
    return calculation
