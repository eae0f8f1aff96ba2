"""Template tags of the bidders portal: awards. Each renders its area's part of a shared page."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.http import Http404
from django.urls import reverse

from ..models import AwardStatus, BidStatus, ContractStatus, Inquiry, OpportunityStatus
from ..permissions import awards as permissions
from ..permissions import evaluation as evaluation_permissions
from ..selectors import awards as selectors
from ..selectors import evaluation as evaluation_selectors

register = template.Library()


def _contract(award):
    return getattr(award, "contract", None) if award.status == AwardStatus.CONFIRMED else None


@register.simple_tag(takes_context=True)
def award_panel(context, opportunity) -> str:
    """The opportunity page's award result once confirmed; for a bidder's managers, their letter and any
    questions the agency asked about their bid."""
    request = context["request"]
    user = request.user
    parts = []
    if opportunity.status == OpportunityStatus.EVALUATION and user.is_authenticated:
        try:
            bid = evaluation_permissions.bid_get_for_bidder(user=user, opportunity=opportunity)
        except Http404:
            bid = None
        if bid is not None and bid.inquiries.filter(kind=Inquiry.Kind.QUESTION).exists():
            waiting = bid.inquiries.filter(kind=Inquiry.Kind.QUESTION, answered_at__isnull=True).count()
            parts.append(format_html(
                '<div class="govuk-inset-text">The panel has asked about your bid{}. <a class="govuk-link" href="{}">'
                "Questions about your bid</a></div>",
                f" ({waiting} waiting for your answer)" if waiting else "",
                reverse("commissioning:evaluation-questions", args=[opportunity.uuid]),
            ))
    award = selectors.award_current(opportunity)
    letters = selectors.letters_for_user(user=user, opportunity_id=opportunity.uuid) if award else []
    if award is not None and permissions.award_is_public(award):
        parts.append(render_to_string("commissioning/awards/_public.html", {
            "opportunity": opportunity, "award": award, "supplier": award.bid.consortium.lead
            if award.bid.consortium_id else award.bid.bidder, "contract": _contract(award),
            "bids_count": opportunity.bids.filter(status=BidStatus.SUBMITTED).count(), "my_letters": letters,
        }, request=request))
    elif letters:
        parts.append(format_html(
            '<div class="govuk-inset-text">A decision has been made. <a class="govuk-link" href="{}">Read your letter'
            "</a></div>", reverse("commissioning:award-letter", args=[opportunity.uuid, letters[0].pk])))
    return _safe("".join(str(part) for part in parts))


def _safe(html: str) -> str:
    from django.utils.safestring import mark_safe

    return mark_safe(html)  # noqa: S308  (parts built with format_html and templates)


@register.simple_tag(takes_context=True)
def manage_awards_panel(context, opportunity) -> str:
    """The manage page's section on the recommendation, approval, standstill, letters and contract."""
    if opportunity.status not in (OpportunityStatus.EVALUATION, OpportunityStatus.AWARDED):
        return ""
    request = context["request"]
    user = request.user
    award = selectors.award_current(opportunity)
    can_recommend = permissions.can_recommend_award(user, opportunity)
    contract = _contract(award) if award else None
    return render_to_string("commissioning/awards/_manage.html", {
        "opportunity": opportunity, "award": award, "can_recommend": can_recommend,
        "complete": opportunity.bids_opened_at is not None and evaluation_selectors.moderation_complete(opportunity),
        "can_decide": award is not None and award.status == AwardStatus.RECOMMENDED
        and permissions.can_decide_award(user, opportunity),
        "can_confirm": award is not None and award.status == AwardStatus.STANDSTILL
        and permissions.can_confirm_award(user, opportunity),
        "runs_panel": evaluation_permissions.can_run_panel(user, opportunity),
        "letters": award.letters.select_related("bid__bidder").order_by("pk") if award else [],
        "contract": contract,
        "sent_back": selectors.awards_sent_back(opportunity),
        "can_sign": contract is not None and contract.status == ContractStatus.PENDING
        and permissions.can_sign_contract(user, opportunity),
    }, request=request)
