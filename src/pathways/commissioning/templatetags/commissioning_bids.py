"""Template tags of the bidders portal: clarifications and bids. Each renders its area's part of a shared page."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from .. import permissions
from ..models import BidStatus, OpportunityStatus, Procedure
from ..permissions import bids as bid_permissions
from ..selectors import bids as bid_selectors
from ..selectors import clarifications as clarification_selectors
from ..selectors.opportunities import moment_in_words
from ..services import bids as bid_services
from ..services import clarifications as clarification_services

register = template.Library()


def _render(context, name: str, values: dict) -> str:
    request = context.get("request")
    return render_to_string(name, values, request=request)


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


def _may_start(user, opportunity, organisation) -> bool:
    """Whether this person may start a bid for the organisation (a mini-competition needs an invitation)."""
    return bid_permissions.can_start_bid(user, organisation) and (
        opportunity.procedure != Procedure.MINI_COMPETITION
        or bid_services.was_invited(opportunity=opportunity, organisation=organisation)
    )


def _bid_entries(opportunity, organisation, lots, may_start: bool) -> list[dict]:
    """One entry per lot, or a single one for the whole opportunity: the live bid, or whether to offer to start
    one, and whether an earlier bid was withdrawn."""
    live = {bid.lot_id: bid for bid in bid_selectors.live_bids(opportunity=opportunity, organisation=organisation)}
    withdrawn = set(bid_selectors.withdrawn_bids(opportunity=opportunity, organisation=organisation)
                    .values_list("lot_id", flat=True))
    entries = []
    for lot in lots or [None]:
        key = lot.pk if lot else None
        bid = live.get(key)
        entries.append({
            "lot": lot,
            "bid": bid,
            "status": BidStatus(bid.status).label if bid else "",
            "can_start": bid is None and may_start,
            "withdrawn": key in withdrawn,
        })
    return entries


@register.simple_tag(takes_context=True)
def bid_panel(context, opportunity) -> str:
    """The opportunity page's panel on the signed-in person's organisations' own bids: one bid per organisation,
    or one per lot when the opportunity has lots."""
    user = _user(context)
    now = timezone.now()
    status = opportunity.current_status(now)
    if opportunity.status == OpportunityStatus.DRAFT:
        return ""
    signed_in = bool(user is not None and user.is_authenticated)
    organisations = bid_permissions.organisations_that_may_ask(user, opportunity) if signed_in else []
    lots = bid_selectors.lots(opportunity) if organisations else []
    rows = []
    for organisation in organisations:
        may_start = _may_start(user, opportunity, organisation)
        rows.append({"organisation": organisation, "may_start": may_start,
                     "entries": _bid_entries(opportunity, organisation, lots, may_start)})
    return _render(context, "commissioning/bids/panel.html", {
        "opportunity": opportunity,
        "open": status == OpportunityStatus.OPEN,
        "rows": rows,
        "lots": lots,
        "signed_in": signed_in,
        "buyer_side": signed_in and permissions.can_reach_opportunity(user, opportunity),
        "deadline": moment_in_words(opportunity.deadline) if opportunity.deadline else "",
        "mini_competition": opportunity.procedure == Procedure.MINI_COMPETITION,
    })


@register.simple_tag(takes_context=True)
def clarifications_panel(context, opportunity) -> str:
    """The opportunity page's published clarifications, the way to ask one, and the asker's own questions."""
    if opportunity.status == OpportunityStatus.DRAFT:
        return ""
    user = _user(context)
    signed_in = bool(user is not None and user.is_authenticated)
    organisations = bid_permissions.organisations_that_may_ask(user, opportunity) if signed_in else []
    own = []
    for organisation in organisations:
        for question in clarification_selectors.clarifications_asked_by(opportunity=opportunity,
                                                                        organisation=organisation):
            own.append({"organisation": organisation, "clarification": question})
    closes = clarification_services.cut_off(opportunity)
    return _render(context, "commissioning/clarifications/panel.html", {
        "opportunity": opportunity,
        "published": list(clarification_selectors.published_clarifications(opportunity=opportunity)),
        "can_ask": bool(organisations) and clarification_services.can_still_ask(opportunity),
        "still_open": clarification_services.can_still_ask(opportunity),
        "signed_in": signed_in,
        "own": own,
        "show_organisation": len(organisations) > 1,
        "closes": moment_in_words(closes) if closes else "",
    })


@register.simple_tag(takes_context=True)
def manage_bids_panel(context, opportunity) -> str:
    """The manage page's section on clarifications to answer, bids received and opening them."""
    user = _user(context)
    if user is None or not permissions.can_manage_opportunity(user, opportunity):
        return ""
    now = timezone.now()
    opened = opportunity.bids_opened_at is not None
    bids = list(bid_selectors.submitted_bids(opportunity)) if opened else []
    lots = any(bid.lot_id for bid in bids)
    if lots:  # by lot, then in the order they came in
        bids.sort(key=lambda bid: bid.lot.number if bid.lot else 0)
    return _render(context, "commissioning/bids/manage_panel.html", {
        "opportunity": opportunity,
        "waiting": list(clarification_selectors.clarifications_waiting(opportunity=opportunity)),
        "published_count": clarification_selectors.published_clarifications(opportunity=opportunity).count(),
        "can_answer": bid_permissions.can_answer_clarifications(user, opportunity),
        "counts": bid_selectors.bid_counts(opportunity=opportunity),
        "opened": opened,
        "opened_at": moment_in_words(opportunity.bids_opened_at) if opened else "",
        "can_open": bid_permissions.can_open_bids(user, opportunity) and not opened,
        "can_read": bid_permissions.can_read_opened_bids(user, opportunity),
        "after_deadline": opportunity.deadline is not None and now >= opportunity.deadline,
        "deadline": moment_in_words(opportunity.deadline) if opportunity.deadline else "",
        "bids": bids,
        "lots": lots,
    })
