"""Template tags of the bidders portal: awards. Each renders its area's part of a shared page.

An opportunity with lots shows one block per lot (its status, actions, letters and result); without lots, one
block for the whole opportunity, as before lots existed.
"""

from django import template
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import AwardStatus, BidStatus, ContractStatus, Inquiry, OpportunityStatus
from ..permissions import awards as permissions
from ..permissions import can_manage_opportunity
from ..permissions import evaluation as evaluation_permissions
from ..selectors import awards as selectors
from ..selectors import evaluation as evaluation_selectors
from ..services import awards as award_services

register = template.Library()

AWARD_PAGES = ("award-recommend", "award-decide", "award-confirm", "award-contract-sign")


def _contract(award):
    return getattr(award, "contract", None) if award.status == AwardStatus.CONFIRMED else None


def _safe(html: str) -> str:
    return mark_safe(html)  # noqa: S308  (parts built with format_html and templates)


def award_urls(opportunity, lot) -> dict:
    """The addresses of the award pages for ``lot`` (or the whole opportunity), by name without dashes:
    ``{"recommend": ..., "decide": ..., "confirm": ..., "contract_sign": ...}``, and for a lot
    ``"not_awarded"`` (ending it without an award)."""
    urls = {}
    for name in AWARD_PAGES:
        key = name.removeprefix("award-").replace("-", "_")
        urls[key] = (reverse(f"commissioning:{name}-lot", args=[opportunity.uuid, lot.number]) if lot is not None
                     else reverse(f"commissioning:{name}", args=[opportunity.uuid]))
    if lot is not None:
        urls["not_awarded"] = reverse("commissioning:award-lot-not-awarded", args=[opportunity.uuid, lot.number])
    return urls


def _questions_notice(user, opportunity) -> str:
    """For a bidder's managers while the bids are evaluated: a link to the panel's questions about their
    bids (one per lot they bid for), with how many wait for an answer."""
    try:
        bids = evaluation_permissions.bids_get_for_bidder(user=user, opportunity=opportunity)
    except Http404:
        return ""
    questions = Inquiry.objects.filter(bid__in=bids, kind=Inquiry.Kind.QUESTION)
    if not questions.exists():
        return ""
    waiting = questions.filter(answered_at__isnull=True).count()
    return format_html(
        '<div class="govuk-inset-text">The panel has asked about your bid{}. <a class="govuk-link" href="{}">'
        "Questions about your bid</a></div>",
        f" ({waiting} waiting for your answer)" if waiting else "",
        reverse("commissioning:evaluation-questions", args=[opportunity.uuid]),
    )


def _not_awarded(entry) -> bool:
    """Whether the entry is a lot ended without an award."""
    return entry.lot is not None and entry.lot.not_awarded_at is not None


def _is_public(opportunity, entry) -> bool:
    """A lot ended without an award is public at once; an award once confirmed."""
    if _not_awarded(entry):
        return opportunity.is_public
    return entry.award is not None and permissions.award_is_public(entry.award)


def _public_result(opportunity, entry, letters) -> dict:
    if _not_awarded(entry):
        # Only the decision and its reason: nothing about the bids.
        return {"lot": entry.lot, "not_awarded": True, "my_letters": []}
    award = entry.award
    return {
        "lot": entry.lot, "award": award, "contract": _contract(award),
        "supplier": award.bid.consortium.lead if award.bid.consortium_id else award.bid.bidder,
        "bids_count": opportunity.bids.filter(status=BidStatus.SUBMITTED, lot=entry.lot).count(),
        "my_letters": [letter for letter in letters if letter.award_id == award.pk],
    }


@register.simple_tag(takes_context=True)
def award_panel(context, opportunity) -> str:
    """The opportunity page's award result once confirmed (lot by lot, with any lot ended without an award
    and why); for a bidder's managers, their letters and any questions the agency asked about their bids."""
    request = context["request"]
    user = request.user
    parts = []
    if opportunity.status == OpportunityStatus.EVALUATION and user.is_authenticated:
        parts.append(_questions_notice(user, opportunity))
    entries = [entry for entry in selectors.awards_by_lot(opportunity)
               if entry.award is not None or _not_awarded(entry)]
    letters = selectors.letters_for_user(user=user, opportunity_id=opportunity.uuid) if entries else []
    results = [_public_result(opportunity, entry, letters) for entry in entries if _is_public(opportunity, entry)]
    if results:
        parts.append(render_to_string("commissioning/awards/_public.html", {
            "opportunity": opportunity, "results": results,
        }, request=request))
    shown = {letter.pk for result in results for letter in result["my_letters"]}
    unread = [letter for letter in letters if letter.pk not in shown]
    if unread:
        parts.append(format_html(
            '<div class="govuk-inset-text">A decision has been made. <a class="govuk-link" href="{}">Read your letter'
            "</a></div>", reverse("commissioning:award-letter", args=[opportunity.uuid, unread[0].pk])))
    return _safe("".join(str(part) for part in parts))


class _Rights:
    """What the user may do with the awards of one opportunity (the same for every lot)."""

    def __init__(self, user, opportunity):
        self.recommend = permissions.can_recommend_award(user, opportunity)
        self.decide = permissions.can_decide_award(user, opportunity)
        self.confirm = permissions.can_confirm_award(user, opportunity)
        self.sign = permissions.can_sign_contract(user, opportunity)
        self.runs_panel = evaluation_permissions.can_run_panel(user, opportunity)
        self.manage = can_manage_opportunity(user, opportunity)


def _manage_block(opportunity, entry, rights) -> dict:
    """One lot's (or the whole opportunity's) part of the manage page's award section."""
    award = entry.award
    contract = _contract(award) if award else None
    status = award.status if award else None
    return {
        "lot": entry.lot, "award": award, "sent_back": entry.sent_back, "contract": contract,
        "complete": opportunity.bids_opened_at is not None
        and evaluation_selectors.moderation_complete(opportunity, entry.lot),
        "can_recommend": rights.recommend, "runs_panel": rights.runs_panel,
        "can_decide": status == AwardStatus.RECOMMENDED and rights.decide,
        "can_confirm": status == AwardStatus.STANDSTILL and rights.confirm,
        "can_sign": contract is not None and contract.status == ContractStatus.PENDING and rights.sign,
        "can_end": entry.lot is not None and rights.manage
        and award_services.lot_not_awarded_refusal(opportunity, entry.lot) is None,
        "letters": award.letters.select_related("bid__bidder").order_by("pk") if award else [],
        "urls": award_urls(opportunity, entry.lot),
        "subheading": "h4" if entry.lot is not None else "h3",
    }


@register.simple_tag(takes_context=True)
def manage_awards_panel(context, opportunity) -> str:
    """The manage page's section on the recommendation, approval, standstill, letters and contract: one block
    per lot."""
    if opportunity.status not in (OpportunityStatus.EVALUATION, OpportunityStatus.AWARDED):
        return ""
    request = context["request"]
    rights = _Rights(request.user, opportunity)
    return render_to_string("commissioning/awards/_manage.html", {
        "opportunity": opportunity,
        "blocks": [_manage_block(opportunity, entry, rights) for entry in selectors.awards_by_lot(opportunity)],
    }, request=request)
