"""The public pages: the list of opportunities with its filters, each opportunity's page, its documents.

No sign-in needed. A draft is a 404 for anyone outside the buyer and the agency.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from .. import permissions
from ..forms.opportunities import OpportunityFilterForm
from ..models import OpportunityStatus
from ..selectors import opportunities as selectors

PAGE_SIZE = 20


def opportunity_list(request):
    form = OpportunityFilterForm(request.GET)
    now = timezone.now()
    opportunities = selectors.opportunity_list_public(filters=form.filters(), now=now)
    page = Paginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "opportunity": opportunity,
            "status_label": OpportunityStatus(opportunity.current).label,
            "status": opportunity.current,
            "value": selectors.value_in_words(opportunity.value_minimum, opportunity.value_maximum),
            "term": selectors.term_in_words(opportunity.duration_months),
            "deadline": selectors.moment_in_words(opportunity.deadline) if opportunity.deadline else "",
            "left": selectors.time_left_in_words(opportunity.deadline, now)[0] if opportunity.deadline else "",
        }
        for opportunity in page
    ]
    return render(request, "commissioning/opportunities/list.html", {
        "form": form,
        "page": page,
        "rows": rows,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
    })


def opportunity_detail(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    page = selectors.opportunity_page(opportunity=opportunity)
    return render(request, "commissioning/opportunities/detail.html", {
        "page": page,
        "opportunity": opportunity,
        "can_manage": permissions.can_manage_opportunity(request.user, opportunity),
        "acting_for": getattr(request, "acting_for", None),
    })


def opportunity_document(request, opportunity_id, document_id):
    """A document of an opportunity, for whoever may see the opportunity."""
    opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    document = selectors.document_get(opportunity=opportunity, document_id=document_id)
    if document is None:
        raise Http404("No such document")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return FileResponse(
        handle, as_attachment=True, filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type,
    )
