"""The evaluation's pages: the panel (for the agency), a member's declaration and scoring, the bid as the
panel sees it with the evidence gathered, moderation and ranking, and the bidder's questions to answer.

Everything is fetched through ``permissions.evaluation``: outsiders get a 404, people inside who may not
a 403. State changes only through ``services.evaluation``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError

from .. import sealing
from ..forms.evaluation import (
    AnswerForm,
    DeclarationForm,
    InquiryForm,
    ModerationForm,
    PanelMemberForm,
    ReasonForm,
    ScoreForm,
)
from ..models import Inquiry, ModeratedScore
from ..permissions import acting_organisation
from ..permissions import evaluation as permissions
from ..selectors import evaluation as selectors
from ..services import bid_format
from ..services import evaluation as services

FORM_PAGE = "commissioning/evaluation/form.html"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _form_page(request, form, *, opportunity, title, button, intro="", back=None, warning=False):
    return render(request, FORM_PAGE, {
        "form": form, "opportunity": opportunity, "title": title, "button": button, "intro": intro,
        "back": back, "warning": warning,
    })


# The panel ------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def panel(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_panel_runner(user=request.user, opportunity_id=opportunity_id)
    form = PanelMemberForm(_posted(request), criteria=selectors.scored_criteria(opportunity))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.panel_member_add(
                opportunity=opportunity, by=request.user, email=form.cleaned_data["email"],
                role=form.cleaned_data["role"], criteria=form.chosen_criteria())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{member.user.full_name or member.user.email} has been added to the panel. "
                                      "They must sign their declaration before they see any bid.")
            return redirect("commissioning:evaluation-panel", opportunity_id=opportunity.uuid)
    removed = opportunity.panel.filter(removed_at__isnull=False).select_related("user")
    return render(request, "commissioning/evaluation/panel.html", {
        "opportunity": opportunity, "form": form, "members": selectors.panel_active(opportunity), "removed": removed,
    })


@login_required
@require_http_methods(["GET", "POST"])
def panel_remove(request, opportunity_id, member_id):
    opportunity, member = permissions.panel_member_get_for_runner(user=request.user, opportunity_id=opportunity_id,
                                                                  member_id=member_id)
    form = ReasonForm(_posted(request), label="Why are they leaving the panel?",
                      required_message="Give the reason for removing them from the panel")
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_member_remove(member=member, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{member.user.full_name or member.user.email} has left the panel.")
            return redirect("commissioning:evaluation-panel", opportunity_id=opportunity.uuid)
    return _form_page(request, form, opportunity=opportunity, title=f"Remove {member.user.full_name or member.user.email}",
                      button="Remove from the panel", warning=True,
                      back=("commissioning:evaluation-panel", opportunity.uuid))


# A member's own pages -----------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def scoring(request, opportunity_id):
    """A member's home: the declaration first, then the bids to score."""
    opportunity, member = permissions.opportunity_get_for_member(user=request.user, opportunity_id=opportunity_id)
    if member.declared_no_conflict_at is None:
        form = DeclarationForm(_posted(request))
        if request.method == "POST" and form.is_valid():
            try:
                services.panel_declaration_sign(member=member, by=request.user,
                                                declaration=form.cleaned_data["declaration"],
                                                confirmed=form.cleaned_data["confirmed"])
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Thank you. Your declaration has been recorded.")
                return redirect("commissioning:evaluation-scoring", opportunity_id=opportunity.uuid)
        return render(request, "commissioning/evaluation/declaration.html", {
            "opportunity": opportunity, "member": member, "form": form,
        })
    may_see = permissions.member_may_see_bids(member)
    rows = []
    if may_see:
        criteria = selectors.criteria_for_member(member)
        mine = selectors.member_scores(member)
        for bid in selectors.evaluated_bids(opportunity):
            done = sum((bid.pk, c.pk) in mine for c in criteria)
            rows.append({"bid": bid, "done": done, "total": len(criteria)})
    return render(request, "commissioning/evaluation/scoring.html", {
        "opportunity": opportunity, "member": member, "may_see": may_see, "rows": rows,
        "conflicts": selectors.conflicts_for(request.user, opportunity, to_them=True),
        "can_moderate": permissions.can_moderate(request.user, opportunity),
    })


def _contents(opportunity, bid):
    try:
        return bid_format.opened_contents(opportunity, [bid]).get(bid.pk, {})
    except sealing.StillSealed:
        raise PermissionDenied from None


@login_required
@require_http_methods(["GET", "POST"])
def bid_detail(request, opportunity_id, bid_id):
    """The bid as the panel sees it, with the answers to the agency's questions and visits beside it, and
    the member's own score for each criterion given to them."""
    opportunity, member = permissions.opportunity_get_for_member(user=request.user, opportunity_id=opportunity_id)
    bid = permissions.bid_get_for_panel(user=request.user, opportunity=opportunity, bid_id=bid_id)
    contents = _contents(opportunity, bid)
    criteria = selectors.criteria_for_member(member)
    mine = selectors.member_scores(member)
    chosen = request.POST.get("criterion") if request.method == "POST" else None
    sections = []
    for criterion in criteria:
        existing = mine.get((bid.pk, criterion.pk))
        initial = {"score": existing.score, "justification": existing.justification} if existing else None
        posted = request.POST if chosen == str(criterion.pk) else None
        form = ScoreForm(posted, initial=initial, prefix=f"c{criterion.pk}")
        sections.append({"criterion": criterion, "answer": contents.get("sections", {}).get(str(criterion.pk), ""),
                         "form": form, "existing": existing,
                         "moderated": ModeratedScore.objects.filter(bid=bid, criterion=criterion).exists()})
        if posted is not None and form.is_valid():
            try:
                services.score_record(bid=bid, criterion=criterion, by=request.user, score=form.cleaned_data["score"],
                                      justification=form.cleaned_data["justification"])
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Your score for “{criterion.title}” has been saved.")
                return redirect("commissioning:evaluation-bid", opportunity_id=opportunity.uuid, bid_id=bid.uuid)
    if request.method == "GET":
        audit_record(actor=request.user, action=AuditAction.VIEWED, target=bid, owner=opportunity.buyer,
                     acting_for=acting_organisation(request.user, opportunity))
    others = {}
    if selectors.member_has_scored_all(member):
        spreads = selectors.independent_scores(opportunity)
        others = {c.pk: spreads.get((bid.pk, c.pk)) for c in criteria}
    for section in sections:
        section["spread"] = others.get(section["criterion"].pk)
    return render(request, "commissioning/evaluation/bid.html", {
        "opportunity": opportunity, "bid": bid, "contents": contents, "sections": sections,
        "inquiries": bid.inquiries.order_by("asked_at", "pk"), "scored_all": bool(others),
        "errors": [s["form"] for s in sections if s["form"].errors],
    })


# Moderation, inquiries and ranking (the agency, or the chair) ---------------------------------------

def _moderation_rows(opportunity, criteria) -> list[dict]:
    """Each bid with, for every scored criterion, the members' scores and the agreed one."""
    spreads = selectors.independent_scores(opportunity)
    moderated = selectors.moderated_scores(opportunity)
    return [
        {"bid": bid, "cells": [
            {"criterion": c, "spread": spreads.get((bid.pk, c.pk)), "moderated": moderated.get((bid.pk, c.pk))}
            for c in criteria
        ], "inquiries": bid.inquiries.order_by("asked_at", "pk")}
        for bid in selectors.evaluated_bids(opportunity)
    ]


def _ranking_or_none(opportunity, lot, by) -> list:
    try:
        return services.ranking_read(opportunity=opportunity, lot=lot, by=by)
    except sealing.StillSealed:
        return []


def _moderation_groups(opportunity, rows, *, sees_bids, by) -> list[dict]:
    """The rows by lot (one group, ``lot`` None, without lots), each with its own ranking. The ranking shows
    each bid's price, read from the opened bids: for declared, conflict-free members only."""
    groups = []
    for lot in selectors.lots_competed(opportunity):
        lot_rows = [row for row in rows if row["bid"].lot_id == getattr(lot, "pk", None)]
        groups.append({
            "lot": lot, "rows": lot_rows, "h": "h3" if lot is not None else "h2",
            "ranked": _ranking_or_none(opportunity, lot, by) if sees_bids and lot_rows else [],
            "complete": bool(lot_rows) and all(cell["moderated"] for row in lot_rows for cell in row["cells"]),
        })
    return groups


@login_required
def moderation(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_moderator(user=request.user, opportunity_id=opportunity_id)
    if opportunity.bids_opened_at is None:
        raise PermissionDenied
    criteria = selectors.scored_criteria(opportunity)
    sees_bids = permissions.can_see_bids(request.user, opportunity)
    groups = _moderation_groups(opportunity, _moderation_rows(opportunity, criteria), sees_bids=sees_bids,
                                by=request.user)
    return render(request, "commissioning/evaluation/moderation.html", {
        "opportunity": opportunity, "criteria": criteria, "groups": groups, "sees_bids": sees_bids,
        "can_ask": permissions.can_moderate(request.user, opportunity),
    })


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, opportunity_id, bid_id, criterion_id):
    opportunity = permissions.opportunity_get_for_moderator(user=request.user, opportunity_id=opportunity_id)
    bid = permissions.bid_get_for_panel(user=request.user, opportunity=opportunity, bid_id=bid_id, contents=False)
    criterion = opportunity.criteria.filter(pk=criterion_id, is_price=False).first()
    if criterion is None:
        raise Http404("No such criterion")
    existing = ModeratedScore.objects.filter(bid=bid, criterion=criterion).first()
    initial = {"score": existing.score, "reason": existing.reason} if existing else None
    form = ModerationForm(_posted(request), initial=initial, changing=existing is not None)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderated_score_record(
                bid=bid, criterion=criterion, by=request.user, score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"], change_reason=form.cleaned_data.get("change_reason", ""))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"The panel's score for {bid.bidder.name} on “{criterion.title}” is recorded.")
            return redirect("commissioning:evaluation-moderation", opportunity_id=opportunity.uuid)
    spread = selectors.independent_scores(opportunity).get((bid.pk, criterion.pk))
    return render(request, "commissioning/evaluation/moderate.html", {
        "opportunity": opportunity, "bid": bid, "criterion": criterion, "form": form, "spread": spread,
        "existing": existing, "inquiries": bid.inquiries.order_by("asked_at", "pk"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_add(request, opportunity_id, bid_id):
    opportunity = permissions.opportunity_get_for_moderator(user=request.user, opportunity_id=opportunity_id)
    bid = permissions.bid_get_for_panel(user=request.user, opportunity=opportunity, bid_id=bid_id, contents=False)
    form = InquiryForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_record(bid=bid, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Recorded for {bid.bidder.name}.")
            return redirect("commissioning:evaluation-moderation", opportunity_id=opportunity.uuid)
    return _form_page(request, form, opportunity=opportunity, title=f"Ask {bid.bidder.name} a question or record a visit",
                      button="Save", intro="A question goes to the bidder's managers to answer. The answer, or what "
                      "was found on a visit, is shown to the panel beside the bid.",
                      back=("commissioning:evaluation-moderation", opportunity.uuid))


# The bidder's side ----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def questions(request, opportunity_id):
    """The agency's questions about the user's organisation's bids (one per lot it bid for), for its
    managers to answer."""
    from ..permissions import opportunity_get_for_user

    opportunity = opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    bids = permissions.bids_get_for_bidder(user=request.user, opportunity=opportunity)
    chosen = request.POST.get("inquiry") if request.method == "POST" else None
    groups, items = [], []
    for bid in bids:
        asked = bid.inquiries.filter(kind=Inquiry.Kind.QUESTION).order_by("asked_at", "pk")
        group = {"bid": bid, "lot": bid.lot, "items": [
            {"inquiry": inquiry, "form": AnswerForm(request.POST if chosen == str(inquiry.pk) else None,
                                                    prefix=f"q{inquiry.pk}")}
            for inquiry in asked
        ]}
        groups.append(group)
        items.extend(group["items"])
    for item in items:
        inquiry, form = item["inquiry"], item["form"]
        if chosen == str(inquiry.pk) and form.is_valid():
            try:
                services.inquiry_answer(inquiry=inquiry, by=request.user, answer=form.cleaned_data["answer"])
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Your answer has been sent to the panel.")
                return redirect("commissioning:evaluation-questions", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/evaluation/questions.html", {
        "opportunity": opportunity, "groups": groups, "items": items,
        "errors": [item["form"] for item in items if item["form"].errors],
    })


@login_required
def mine(request):
    """The panels the person is on, and what is waiting for them."""
    rows = []
    for member in selectors.panels_of(request.user):
        rows.append({"member": member, "opportunity": member.opportunity,
                     "declared": member.declared_no_conflict_at is not None,
                     "may_see": permissions.member_may_see_bids(member)})
    return render(request, "commissioning/evaluation/mine.html", {"rows": rows})
