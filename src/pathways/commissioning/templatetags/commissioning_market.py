"""Template tags of the bidders portal: market. Each renders its area's part of a shared page."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from .. import permissions
from ..models import OpportunityStatus, Procedure
from ..permissions import market as perms
from ..selectors import market as selectors
from ..services.market import invitation_problems

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def interest_panel(context, opportunity) -> str:
    """The opportunity page's "Interested?" panel: register or withdraw interest, visibility to partners."""
    if opportunity.status == OpportunityStatus.DRAFT:
        return ""
    user = _user(context)
    signed_in = bool(user is not None and user.is_authenticated)
    can_take_interest = opportunity.is_public and opportunity.current_status(timezone.now()) in selectors.INTEREST_STATUSES
    rows = []
    if signed_in:
        for organisation in perms.organisations_that_may_register(user, opportunity):
            rows.append({
                "organisation": organisation,
                "interest": selectors.interest_for(opportunity=opportunity, organisation=organisation),
                "consortia": list(selectors.consortia_for_user(user=user, opportunity=opportunity).filter(
                    members__organisation=organisation).distinct()),
            })
    return render_to_string("commissioning/market/_interest_panel.html", {
        "opportunity": opportunity,
        "signed_in": signed_in,
        "rows": rows,
        "show_organisation": len(rows) > 1,
        "open": can_take_interest,
        "count": selectors.interest_count(opportunity=opportunity),
        "buyer_side": signed_in and not rows and permissions.can_reach_opportunity(user, opportunity),
    }, request=context.get("request"))


@register.simple_tag(takes_context=True)
def manage_market_panel(context, opportunity) -> str:
    """The manage page's section on who was told and who is interested, and invitations from the approved list."""
    user = _user(context)
    if user is None or not permissions.can_manage_opportunity(user, opportunity):
        return ""
    is_mini = opportunity.procedure == Procedure.MINI_COMPETITION
    in_scope = selectors.approved_entries_in_scope(opportunity=opportunity) if is_mini else []
    return render_to_string("commissioning/market/_manage_panel.html", {
        "opportunity": opportunity,
        "told": selectors.who_was_told(opportunity=opportunity),
        "interests": selectors.interests_for_opportunity(opportunity=opportunity),
        "is_mini": is_mini,
        "in_scope": in_scope,
        "not_yet_invited": [e for e in in_scope if not selectors.was_invited(opportunity=opportunity,
                                                                             organisation=e.organisation)],
        "invitation_problems": invitation_problems(opportunity) if is_mini else [],
        "can_invite": perms.can_invite_from_approved_list(user, opportunity),
    }, request=context.get("request"))
