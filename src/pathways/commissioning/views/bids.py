"""Bid pages: the bidder's draft, attachments, submission, receipt and withdrawal; "Your bids"; and, after the
deadline, opening the bids and reading an opened bid (the opportunity's managers).

Every view fetches through ``permissions.bids`` (anyone outside the bidding organisation gets a 404) and
changes state only through ``services.bids``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pathways.core.errors import DomainError
from pathways.organisations import permissions as org_permissions

from .. import permissions, sealing
from ..forms.bids import AttachmentForm, CalculationForm, ConfirmForm, DraftForm
from ..models import BidStatus, FullCostCalculation
from ..permissions import bids as bid_permissions
from ..selectors import bids as selectors
from ..selectors.opportunities import lot_numbered, moment_in_words
from ..services import bid_format
from ..services import bids as services


def _posted(request):
    return request.POST if request.method == "POST" else None


def _bid_page(request, bid):
    return redirect("commissioning:bid", bid_id=bid.uuid)


def _attachment_response(meta: dict, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=meta["content_type"])
    name = meta["name"].replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Your bids -------------------------------------------------------------------------------------------------

@login_required
def bids_mine(request):
    ids = org_permissions.member_organisation_ids(request.user)
    rows = [
        {"bid": bid, "status": BidStatus(bid.status).label}
        for bid in selectors.bids_of_organisations(organisation_ids=ids)
    ]
    return render(request, "commissioning/bids/mine.html", {"rows": rows})


# Starting ----------------------------------------------------------------------------------------------------

@login_required
@require_POST
def bid_start(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    organisation = bid_permissions.organisation_for_asking(
        user=request.user, opportunity=opportunity, slug=request.POST.get("organisation")
    )
    try:
        lot = lot_numbered(opportunity, request.POST.get("lot"), required=False)
        existing = selectors.live_bid(opportunity=opportunity, organisation=organisation, lot=lot)
        if existing is not None:
            return _bid_page(request, existing)
        bid = services.bid_start(opportunity=opportunity, organisation=organisation, by=request.user, lot=lot)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("commissioning:opportunity", opportunity_id=opportunity.uuid)
    messages.success(request, f"Your bid{f' for {lot}' if lot else ''} has been started. Only people at your "
                              "organisation can see it.")
    return redirect("commissioning:bid-edit", bid_id=bid.uuid)


# The bid's page: the draft's overview, the receipt, or the opened bid -----------------------------------------

@login_required
def bid_detail(request, bid_id):
    bid = bid_permissions.bid_get_for_reader(user=request.user, bid_id=bid_id)
    opportunity = bid.opportunity
    if not bid_permissions.can_view_bid(request.user, bid):
        try:
            contents = services.opened_bid(bid=bid, by=request.user)
        except (PermissionDenied, sealing.StillSealed):
            raise Http404("No such bid") from None
        return render(request, "commissioning/bids/opened.html", {
            "bid": bid, "opportunity": opportunity, "contents": contents,
            "sections": [(criterion, contents["sections"].get(str(criterion.pk), ""))
                         for criterion in selectors.section_criteria(opportunity)],
        })
    draft = bid_format.draft_normalised(bid.draft)
    return render(request, "commissioning/bids/detail.html", {
        "bid": bid,
        "opportunity": opportunity,
        "draft": draft,
        "can_change": bid_permissions.can_change_bid(request.user, bid),
        "sections": [
            {"criterion": criterion, "text": draft["sections"].get(str(criterion.pk), ""),
             "words": selectors.word_count(draft["sections"].get(str(criterion.pk), ""))}
            for criterion in selectors.section_criteria(opportunity)
        ],
        "price_criterion": selectors.price_criterion(opportunity),
        "problems": services.submission_problems(bid) if bid.status == BidStatus.DRAFT else [],
        "deadline": moment_in_words(opportunity.deadline) if opportunity.deadline else "",
        "before_deadline": opportunity.deadline is not None and timezone.now() < opportunity.deadline,
        "keep_a_copy": services.KEEP_A_COPY,
        "attachment_form": AttachmentForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def bid_edit(request, bid_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
    if bid.status != BidStatus.DRAFT:
        return _bid_page(request, bid)
    opportunity = bid.opportunity
    draft = bid_format.draft_normalised(bid.draft)
    consortia = services.consortia_led_by(bid.bidder, opportunity)
    form = DraftForm(
        _posted(request), criteria=selectors.section_criteria(opportunity),
        price_criterion=selectors.price_criterion(opportunity), consortia=consortia, draft=draft,
        consortium_id=bid.consortium_id,
    )
    calculations = list(FullCostCalculation.objects.filter(organisation=bid.bidder))
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_draft_save(
                bid=bid, by=request.user, sections=form.sections(), price=form.cleaned_data.get("price"),
                subcontractors=form.subcontractors(), consortium_id=form.cleaned_data.get("consortium"),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your draft has been saved.")
            return _bid_page(request, bid)
    return render(request, "commissioning/bids/edit.html", {
        "bid": bid, "opportunity": opportunity, "form": form,
        "calculation_form": CalculationForm(calculations=calculations) if calculations and
        selectors.price_criterion(opportunity) else None,
    })


@login_required
@require_POST
def bid_price_from_calculation(request, bid_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
    try:
        services.bid_price_from_calculation(bid=bid, by=request.user, calculation_id=request.POST.get("calculation"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The calculation's total is now your price.")
    return redirect("commissioning:bid-edit", bid_id=bid.uuid)


# Attachments -------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def attachment_add(request, bid_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
    if bid.status != BidStatus.DRAFT:
        return _bid_page(request, bid)
    form = AttachmentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(bid=bid, by=request.user, upload=form.cleaned_data["file"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The attachment has been added to your draft.")
            return _bid_page(request, bid)
    return render(request, "commissioning/bids/attachment_form.html",
                  {"bid": bid, "opportunity": bid.opportunity, "form": form})


@login_required
@require_POST
def attachment_remove(request, bid_id, attachment_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
    try:
        services.attachment_remove(bid=bid, by=request.user, attachment_id=attachment_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The attachment has been removed.")
    return _bid_page(request, bid)


@login_required
def attachment_download(request, bid_id, attachment_id):
    bid = bid_permissions.bid_get_for_reader(user=request.user, bid_id=bid_id)
    try:
        if bid_permissions.can_view_bid(request.user, bid):
            meta, data = services.draft_attachment(bid=bid, attachment_id=attachment_id)
        else:
            meta, data = services.opened_attachment(bid=bid, by=request.user, attachment_id=attachment_id)
    except (DomainError, PermissionDenied):
        raise Http404("No such attachment") from None
    return _attachment_response(meta, data)


# Submitting, the receipt, withdrawing, deleting a draft --------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def bid_submit(request, bid_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
    if bid.status != BidStatus.DRAFT:
        return _bid_page(request, bid)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            bid = services.bid_submit(bid=bid, by=request.user)
        except DomainError as error:
            for field, message in getattr(error, "problems", None) or [(None, error.message)]:
                form.add_error(None, message)
        else:
            return redirect("commissioning:bid-receipt", bid_id=bid.uuid)
    return render(request, "commissioning/bids/submit.html", {
        "bid": bid, "opportunity": bid.opportunity, "form": form,
        "problems": services.submission_problems(bid),
        "deadline": moment_in_words(bid.opportunity.deadline) if bid.opportunity.deadline else "",
        "keep_a_copy": services.KEEP_A_COPY,
    })


@login_required
def bid_receipt(request, bid_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id)
    if bid.submitted_at is None:
        return _bid_page(request, bid)
    return render(request, "commissioning/bids/receipt.html", {
        "bid": bid, "opportunity": bid.opportunity,
        "submitted": moment_in_words(bid.submitted_at),
        "deadline": moment_in_words(bid.opportunity.deadline),
        "keep_a_copy": services.KEEP_A_COPY,
    })


@login_required
@require_http_methods(["GET", "POST"])
def bid_withdraw(request, bid_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_withdraw(bid=bid, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your bid has been withdrawn. It will not be opened. You can start a new "
                                      "bid before the deadline.")
            return redirect("commissioning:opportunity", opportunity_id=bid.opportunity.uuid)
    return render(request, "commissioning/bids/withdraw.html",
                  {"bid": bid, "opportunity": bid.opportunity, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def bid_delete(request, bid_id):
    bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_discard(bid=bid, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your draft bid has been deleted.")
            return redirect("commissioning:opportunity", opportunity_id=bid.opportunity.uuid)
    return render(request, "commissioning/bids/delete.html",
                  {"bid": bid, "opportunity": bid.opportunity, "form": form})


# Opening -----------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def bids_open(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    if not bid_permissions.can_open_bids(request.user, opportunity):
        raise PermissionDenied
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.bids_open(opportunity=opportunity, by=request.user)
        except DomainError as error:  # StillSealed is a DomainError
            form.add_error(None, error.message)
        else:
            messages.success(request, "The bids have been opened. The opening is recorded in the audit trail.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/bids/open.html", {
        "opportunity": opportunity, "form": form,
        "counts": selectors.bid_counts(opportunity=opportunity),
        "deadline": moment_in_words(opportunity.deadline) if opportunity.deadline else "",
        "after_deadline": opportunity.deadline is not None and timezone.now() >= opportunity.deadline,
    })
