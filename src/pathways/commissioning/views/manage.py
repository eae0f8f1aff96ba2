"""The publisher's pages: an organisation's opportunities, creating and editing one, its lots, criteria and
documents, and publishing, opening, cancelling and starting evaluation.

Every view fetches through ``permissions`` (outsiders get a 404, members who may not publish a 403) and
changes state only through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pathways.core.errors import DomainError

from .. import permissions
from ..guides import SHORT_TERM_REASON
from ..forms.opportunities import (
    CancelForm,
    ConfirmForm,
    CriterionForm,
    DocumentForm,
    LotForm,
    OpportunityForm,
    PublishForm,
)
from ..models import OpportunityStatus
from ..selectors import opportunities as selectors
from ..services import documents as document_services
from ..services import opportunities as services
from ..services.proportionality import proportionality_check, warnings_to_acknowledge
from ..services.readability import readability_hint

PAGE_SIZE = 25


def _posted(request):
    """What was posted, or None so that a form shown by GET is unbound (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


# An organisation's opportunities ----------------------------------------------------------------------

@login_required
def mine(request):
    """The opportunities of the organisation the person acts for."""
    organisation = getattr(request, "acting_for", None)
    if organisation is None or not permissions.can_publish_for(request.user, organisation):
        raise PermissionDenied
    return redirect("commissioning:organisation-opportunities", slug=organisation.slug)


@login_required
def organisation_opportunities(request, slug):
    organisation = permissions.organisation_get_for_publisher(user=request.user, slug=slug)
    now = timezone.now()
    opportunities = selectors.opportunities_for_organisation(organisation=organisation, now=now)
    page = Paginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "opportunity": opportunity,
            "status": opportunity.current,
            "status_label": OpportunityStatus(opportunity.current).label,
            "deadline": selectors.moment_in_words(opportunity.deadline) if opportunity.deadline else "",
        }
        for opportunity in page
    ]
    return render(request, "commissioning/manage/organisation.html", {
        "organisation": organisation,
        "page": page,
        "rows": rows,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    })


# Creating and editing -----------------------------------------------------------------------------------

def _form_page(request, form, *, organisation, opportunity):
    summary = form.typed("summary")
    return render(request, "commissioning/manage/form.html", {
        "form": form,
        "organisation": organisation,
        "opportunity": opportunity,
        "readability": readability_hint(summary) if summary else None,
        "short_term": form.short_term(),
        "short_term_reason": SHORT_TERM_REASON,
    })


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request, slug):
    organisation = permissions.organisation_get_for_publisher(user=request.user, slug=slug)
    as_agency = permissions.publishes_as_agency(request.user, organisation)
    form = OpportunityForm(_posted(request), choose_buyer=as_agency)
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        buyer = form.chosen_buyer() if as_agency else organisation
        try:
            opportunity = services.opportunity_create(
                by=request.user, buyer=buyer, agency=organisation if as_agency else None,
                terms=form.chosen_terms(), areas=form.chosen_areas(), **form.opportunity_fields(),
            )
        except PermissionDenied:
            form.add_error("buyer" if as_agency else None, "You cannot publish opportunities for this buyer")
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{opportunity.title} has been saved as a draft ({opportunity.reference}). "
                                       "Add its lots, criteria and documents, then publish it.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return _form_page(request, form, organisation=organisation, opportunity=None)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    if opportunity.current_status() not in services.EDITABLE:
        raise Http404("This opportunity can no longer be changed")
    as_agency = opportunity.agency_id is not None and permissions.can_run_competitions_in(
        request.user, opportunity.agency
    )
    form = OpportunityForm(_posted(request), opportunity=opportunity, choose_buyer=as_agency)
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        try:
            if as_agency and form.chosen_buyer() != opportunity.buyer:
                raise DomainError("The buyer cannot change once an opportunity is created. Cancel it and create "
                                  "a new one for the other buyer.", field="buyer")
            services.opportunity_update(
                opportunity=opportunity, by=request.user, terms=form.chosen_terms(), areas=form.chosen_areas(),
                **form.opportunity_fields(),
            )
        except DomainError as error:
            opportunity.refresh_from_db()
            form.add_domain_error(error)
        else:
            messages.success(request, "The opportunity's details have been saved.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return _form_page(request, form, organisation=opportunity.agency or opportunity.buyer, opportunity=opportunity)


@login_required
def opportunity_manage(request, opportunity_id):
    """The publisher's overview: everything about the opportunity, what is left to do, and the next step."""
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    now = timezone.now()
    page = selectors.opportunity_page(opportunity=opportunity, now=now)
    status = page.status
    context = {
        "page": page,
        "opportunity": opportunity,
        "readability": readability_hint(opportunity.summary),
        "warnings": proportionality_check(opportunity=opportunity, now=now),
        "editable": status in services.EDITABLE,
        "shaping": status in services.SHAPING,
        "can_publish": status == OpportunityStatus.DRAFT,
        "can_open": status == OpportunityStatus.FORTHCOMING,
        "can_cancel": status in services.BEFORE_AWARD,
        "can_start_evaluation": status == OpportunityStatus.CLOSED,
        "can_add_documents": status in document_services.CAN_ADD,
        "can_remove_documents": status in document_services.CAN_REMOVE,
    }
    if status == OpportunityStatus.DRAFT:
        context["forthcoming_problems"] = services.publish_problems(opportunity=opportunity, open_for_bids=False, now=now)
        context["open_problems"] = services.publish_problems(opportunity=opportunity, open_for_bids=True, now=now)
    elif status == OpportunityStatus.FORTHCOMING:
        context["open_problems"] = services.publish_problems(opportunity=opportunity, open_for_bids=True, now=now)
    return render(request, "commissioning/manage/overview.html", context)


# Lots, criteria and documents -------------------------------------------------------------------------

def _lot(opportunity, lot_id):
    lot = opportunity.lots.filter(pk=lot_id).first()
    if lot is None:
        raise Http404("No such lot")
    return lot


def _criterion(opportunity, criterion_id):
    criterion = opportunity.criteria.filter(pk=criterion_id).first()
    if criterion is None:
        raise Http404("No such criterion")
    return criterion


def _shaping_or_404(opportunity):
    if opportunity.status not in services.SHAPING:
        raise Http404("Lots and criteria can no longer change")


@login_required
@require_http_methods(["GET", "POST"])
def lot_edit(request, opportunity_id, lot_id=None):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    _shaping_or_404(opportunity)
    lot = _lot(opportunity, lot_id) if lot_id is not None else None
    form = LotForm(_posted(request), opportunity=opportunity, lot=lot)
    if request.method == "POST" and form.is_valid():
        try:
            if lot is None:
                lot = services.lot_add(opportunity=opportunity, by=request.user, **form.lot_fields())
                messages.success(request, f"{lot} has been added.")
            else:
                services.lot_update(lot=lot, by=request.user, **form.lot_fields())
                messages.success(request, f"{lot} has been saved.")
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/manage/lot_form.html", {"form": form, "opportunity": opportunity, "lot": lot})


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, opportunity_id, criterion_id=None):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    _shaping_or_404(opportunity)
    criterion = _criterion(opportunity, criterion_id) if criterion_id is not None else None
    form = CriterionForm(_posted(request), criterion=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            if criterion is None:
                criterion = services.criterion_add(opportunity=opportunity, by=request.user, **form.criterion_fields())
                messages.success(request, f"“{criterion.title}” has been added.")
            else:
                services.criterion_update(criterion=criterion, by=request.user, **form.criterion_fields())
                messages.success(request, f"“{criterion.title}” has been saved.")
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/manage/criterion_form.html", {
        "form": form, "opportunity": opportunity, "criterion": criterion,
        "weights_total": services.criteria_weight_total(opportunity),
    })


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    if opportunity.current_status() not in document_services.CAN_ADD:
        raise Http404("Documents can no longer be added")
    form = DocumentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_services.document_add(
                opportunity=opportunity, by=request.user, title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"“{document.title}” has been added.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/manage/document_form.html", {"form": form, "opportunity": opportunity})


REMOVABLE = {
    "lot": ("lots", "lot"),
    "criterion": ("criteria", "criterion"),
    "document": ("documents", "document"),
}


@login_required
@require_http_methods(["GET", "POST"])
def remove(request, opportunity_id, kind, record_id):
    """Remove a lot, a criterion or a document, after asking."""
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    related, _ = REMOVABLE[kind]
    record = getattr(opportunity, related).filter(pk=record_id).first()
    if record is None:
        raise Http404(f"No such {kind}")
    form = ConfirmForm(_posted(request))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "lot":
                services.lot_remove(lot=record, by=request.user)
            elif kind == "criterion":
                services.criterion_remove(criterion=record, by=request.user)
            else:
                document_services.document_remove(document=record, by=request.user)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"“{record}” has been removed.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/manage/remove.html", {
        "form": form, "opportunity": opportunity, "record": record, "kind": kind, "error": error,
    })


# Moving between states ---------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def opportunity_publish(request, opportunity_id, action):
    """Publish a draft (``action`` "publish") or open a forthcoming one for bids ("open"), after showing what
    is missing and the proportionality warnings to acknowledge."""
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    expected = OpportunityStatus.DRAFT if action == "publish" else OpportunityStatus.FORTHCOMING
    if opportunity.status != expected:
        messages.info(request, "This opportunity has already been published." if action == "publish"
                      else "This opportunity is not forthcoming, so it cannot be opened for bids.")
        return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    now = timezone.now()
    warnings = warnings_to_acknowledge(opportunity=opportunity, now=now)
    form = PublishForm(_posted(request), warnings=warnings, choose_stage=action == "publish",
                       initial={"stage": "forthcoming"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "publish":
                services.opportunity_publish(
                    opportunity=opportunity, by=request.user, open_for_bids=data["stage"] == "open",
                    acknowledged=data.get("acknowledged") or [], reason=data.get("reason") or "", now=now,
                )
            else:
                services.opportunity_open(
                    opportunity=opportunity, by=request.user, acknowledged=data.get("acknowledged") or [],
                    reason=data.get("reason") or "", now=now,
                )
        except DomainError as error:
            opportunity.refresh_from_db()
            problems = getattr(error, "problems", None)
            if problems:
                for _field, message in problems:
                    form.add_error(None, message)
            else:
                form.add_domain_error(error)
        else:
            if opportunity.status == OpportunityStatus.OPEN:
                messages.success(request, f"{opportunity.title} is published and open for bids.")
            else:
                messages.success(request, f"{opportunity.title} is published as forthcoming.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    open_problems = services.publish_problems(opportunity=opportunity, open_for_bids=True, now=now)
    forthcoming_problems = (
        services.publish_problems(opportunity=opportunity, open_for_bids=False, now=now) if action == "publish" else []
    )
    return render(request, "commissioning/manage/publish.html", {
        "form": form,
        "opportunity": opportunity,
        "action": action,
        "warnings": warnings,
        "open_problems": open_problems,
        "forthcoming_problems": forthcoming_problems,
        "page": selectors.opportunity_page(opportunity=opportunity, now=now),
        "readability": readability_hint(opportunity.summary),
    })


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_cancel(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    if opportunity.status not in services.BEFORE_AWARD:
        messages.info(request, "This opportunity can no longer be cancelled.")
        return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_cancel(opportunity=opportunity, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{opportunity.title} has been cancelled.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/manage/cancel.html", {"form": form, "opportunity": opportunity})


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_evaluation(request, opportunity_id):
    """Start evaluating the bids of a closed opportunity."""
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    form = ConfirmForm(_posted(request))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_evaluation_start(opportunity=opportunity, by=request.user)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"Evaluation of {opportunity.title} has started.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    elif opportunity.current_status() != OpportunityStatus.CLOSED:
        error = "Evaluation starts once the opportunity has closed."
    return render(request, "commissioning/manage/evaluation.html", {
        "form": form, "opportunity": opportunity, "error": error,
    })
