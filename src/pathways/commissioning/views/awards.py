"""The award's pages: the agency's recommendation, the buyer's decision, confirming after standstill, and the
letters to bidders as a page and as a PDF (the same template).

An opportunity with lots is awarded lot by lot: the recommend, decide, confirm and contract pages then have the
lot's number in their address (``lot_number``); the pages without it are for opportunities without lots.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError

from .. import sealing
from ..forms.awards import DecisionForm, LotNotAwardedForm, RecommendForm
from ..forms.opportunities import ConfirmForm
from ..models import AwardStatus, Contract, ContractStatus
from ..permissions import can_manage_opportunity
from ..permissions import awards as permissions
from ..selectors import awards as selectors
from ..selectors import evaluation as evaluation_selectors
from ..services import awards as services
from ..services import evaluation as evaluation_services

FORM_PAGE = "commissioning/evaluation/form.html"
CONFIRM_INTRO = "The standstill has ended. Confirming marks the opportunity awarded and makes the contract record."
CONFIRM_INTRO_LOT = ("The standstill has ended. Confirming makes this lot's contract record. The opportunity is "
                     "marked awarded once every lot that received bids is confirmed or ended without an award.")
LOT_NOT_AWARDED_INTRO = ("When the panel found no bid it can accept for this lot, end it without an award. Every "
                         "bidder for the lot is told, with your reason, and no contract is made for it. This "
                         "cannot be undone. The other lots go on.")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _opportunity_and_lot(request, opportunity_id, lot_number, check):
    """The opportunity (404 outside, 403 inside without ``check``) and the lot the page is about."""
    opportunity = permissions.opportunity_get_for_award(user=request.user, opportunity_id=opportunity_id, check=check)
    return opportunity, permissions.lot_get_for_award(opportunity, lot_number)


def _for_lot(lot) -> str:
    """" for Lot 1: West" when the page is about a lot, for titles and messages."""
    return f" for {lot}" if lot is not None else ""


def _to_manage(opportunity):
    return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request, opportunity_id, lot_number=None):
    opportunity, lot = _opportunity_and_lot(request, opportunity_id, lot_number, permissions.can_recommend_award)
    if selectors.award_current(opportunity, lot) is not None:
        raise Http404("There is already a recommendation")
    try:
        ranked = evaluation_services.ranking_read(opportunity=opportunity, lot=lot, by=request.user)
    except sealing.StillSealed:
        raise Http404("The bids have not been opened") from None
    form = RecommendForm(_posted(request), ranked=ranked)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_recommend(opportunity=opportunity, bid=form.chosen_bid(), by=request.user,
                                     recommendation=form.cleaned_data["recommendation"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"The recommendation{_for_lot(lot)} has gone to {opportunity.buyer.name} "
                                      "for approval.")
            return _to_manage(opportunity)
    return render(request, "commissioning/awards/recommend.html", {
        "opportunity": opportunity, "lot": lot, "form": form, "ranked": ranked,
        "complete": evaluation_selectors.moderation_complete(opportunity, lot),
    })


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, opportunity_id, lot_number=None):
    opportunity, lot = _opportunity_and_lot(request, opportunity_id, lot_number, permissions.can_decide_award)
    award = opportunity.awards.filter(status=AwardStatus.RECOMMENDED, lot=lot).select_related("bid__bidder").first()
    if award is None:
        raise Http404("No recommendation waiting")
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.award_approve(award=award, by=request.user)
                messages.success(request, "The award is approved. The standstill has started and every bidder "
                                          "has been sent their letter.")
            else:
                services.award_send_back(award=award, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, "The recommendation has gone back to the agency.")
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _to_manage(opportunity)
    # The ranking is read from the opened bids: only this lot's, so no other bid is decrypted.
    return render(request, "commissioning/awards/decide.html", {
        "opportunity": opportunity, "lot": lot, "award": award, "form": form,
        "ranked": evaluation_services.ranking_read(opportunity=opportunity, lot=lot, by=request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, opportunity_id, lot_number=None):
    opportunity, lot = _opportunity_and_lot(request, opportunity_id, lot_number, permissions.can_confirm_award)
    award = opportunity.awards.filter(status=AwardStatus.STANDSTILL, lot=lot).first()
    if award is None:
        raise Http404("No award in standstill")
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.award_confirm(award=award, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The award{_for_lot(lot)} is confirmed and contract {contract.reference} "
                                      "has been made.")
            return _to_manage(opportunity)
    return render(request, FORM_PAGE, {
        "opportunity": opportunity, "form": form, "title": f"Confirm the award{_for_lot(lot)}",
        "button": "Confirm the award", "intro": CONFIRM_INTRO_LOT if lot else CONFIRM_INTRO,
        "back": ("commissioning:opportunity-manage", opportunity.uuid),
    })


@login_required
@require_http_methods(["GET", "POST"])
def contract_sign(request, opportunity_id, lot_number=None):
    opportunity, lot = _opportunity_and_lot(request, opportunity_id, lot_number, permissions.can_sign_contract)
    contract = Contract.objects.filter(award__opportunity=opportunity, award__lot=lot,
                                       status=ContractStatus.PENDING).first()
    if contract is None:
        raise Http404("No contract waiting to be signed")
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_sign(contract=contract, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Contract {contract.reference} is recorded as signed today, and is running.")
            return _to_manage(opportunity)
    return render(request, FORM_PAGE, {
        "opportunity": opportunity, "form": form, "title": f"Record that the contract{_for_lot(lot)} is signed",
        "button": "Record the signing",
        "intro": f"Contract {contract.reference} with {contract.supplier.name}: record that both sides have signed "
                 "it, today. It then counts as running, in Pathways and in the open data.",
        "back": ("commissioning:opportunity-manage", opportunity.uuid),
    })


@login_required
@require_http_methods(["GET", "POST"])
def lot_not_awarded(request, opportunity_id, lot_number):
    """End one lot without an award, with the reason: for those who manage the opportunity."""
    opportunity, lot = _opportunity_and_lot(request, opportunity_id, lot_number, can_manage_opportunity)
    if request.method == "GET" and services.lot_not_awarded_refusal(opportunity, lot):
        raise Http404("This lot cannot end without an award now")
    form = LotNotAwardedForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.lot_not_awarded(opportunity=opportunity, lot=lot, by=request.user,
                                     reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{lot} ends without an award. Its bidders have been told.")
            return _to_manage(opportunity)
    return render(request, FORM_PAGE, {
        "opportunity": opportunity, "form": form, "title": f"End {lot} without an award",
        "button": "End the lot without an award", "warning": True, "intro": LOT_NOT_AWARDED_INTRO,
        "back": ("commissioning:opportunity-manage", opportunity.uuid),
    })


def _letter_context(letter):
    return {"letter": letter, "opportunity": letter.award.opportunity, "body": mark_safe(letter.html)}  # noqa: S308  (rendered by our own template, every value escaped)


def _audit_read(request, letter, what):
    audit_record(actor=request.user, action=AuditAction.VIEWED, target=letter, owner=letter.award.opportunity.buyer,
                 changes={"read": [None, what]})


@login_required
def letter(request, opportunity_id, letter_id):
    letter = permissions.letter_get_for_user(user=request.user, opportunity_id=opportunity_id, letter_id=letter_id)
    _audit_read(request, letter, "page")
    return render(request, "commissioning/awards/letter.html", _letter_context(letter))


@login_required
def letter_pdf(request, opportunity_id, letter_id):
    letter = permissions.letter_get_for_user(user=request.user, opportunity_id=opportunity_id, letter_id=letter_id)
    _audit_read(request, letter, "PDF")
    response = HttpResponse(selectors.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.award.opportunity.reference}-letter.pdf"'
    return response


@login_required
def my_letters(request, opportunity_id):
    """The user's organisation's letters about this opportunity."""
    letters = selectors.letters_for_user(user=request.user, opportunity_id=opportunity_id)
    if not letters:
        raise Http404("No letters")
    return redirect("commissioning:award-letter", opportunity_id=opportunity_id, letter_id=letters[0].pk)
