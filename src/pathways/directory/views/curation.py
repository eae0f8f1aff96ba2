"""Change requests (the provider's inbox and the curators') and the curator's queue of what needs checking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from pathways.core.errors import DomainError

from .. import permissions
from ..forms.curation import DecisionForm
from ..forms.records import ConfirmForm
from ..models import ChangeRequestStatus
from ..selectors import curation as queue_selectors
from ..selectors import records as selectors
from ..services import records as services

PAGE_SIZE = 25


def _posted(request):
    """What was posted, or None so that a form shown by GET is unbound (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None
QUEUE_PREVIEW = 5


def _paged(request, items):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)}


def _curators_only(request) -> None:
    if not permissions.can_curate(request.user):
        raise Http404("No such page")


# Change requests ----------------------------------------------------------------------------------------

@login_required
def organisation_change_requests(request, slug):
    """The provider's inbox: requests about its services that wait for a decision."""
    organisation = permissions.organisation_get_for_provider(user=request.user, slug=slug)
    return render(request, "directory/curation/change_requests.html", {
        "organisation": organisation,
        **_paged(request, selectors.change_requests_open(organisation=organisation)),
        "decided": selectors.change_requests_decided(organisation=organisation),
    })


@login_required
def change_requests(request):
    """The curators' inbox: every provider's requests that wait for a decision."""
    _curators_only(request)
    return render(request, "directory/curation/change_requests.html", {
        "organisation": None,
        **_paged(request, selectors.change_requests_open()),
        "decided": selectors.change_requests_decided(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def change_request_decide(request, change_request_id):
    change_request = permissions.change_request_get_for_user(
        user=request.user, change_request_id=change_request_id
    )
    service = change_request.service
    is_open = change_request.status == ChangeRequestStatus.OPEN
    form = DecisionForm(_posted(request), has_suggestions=bool(change_request.suggested_changes))
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.change_request_decide(
                change_request=change_request, by=request.user, accept=form.accept,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if form.accept:
                messages.success(request, f"The request about {service.name} has been accepted.")
            else:
                messages.success(request, f"The request about {service.name} has been rejected.")
            if change_request.reporter_email:
                messages.info(request, "The person who reported it has been emailed your decision and reason.")
            return redirect("directory:service", service_id=service.uuid)
    if permissions.can_confirm_service(request.user, service):  # a manager of the provider
        back_url = reverse("directory:organisation-change-requests", args=[service.organisation.slug])
    else:
        back_url = reverse("directory:change-requests")
    return render(request, "directory/curation/decide.html", {
        "form": form,
        "change_request": change_request,
        "service": service,
        "is_open": is_open,
        "suggestions": selectors.change_request_suggestions(change_request=change_request),
        "back_url": back_url,
    })


# The curator's queue ---------------------------------------------------------------------------------------

@login_required
def curation_queue(request):
    _curators_only(request)
    sections = [
        (section, section.items.count(), list(section.items[:QUEUE_PREVIEW]))
        for section in queue_selectors.curation_queue()
    ]
    return render(request, "directory/curation/queue.html", {
        "sections": [(section, count, _rows(section, items)) for section, count, items in sections],
    })


@login_required
def curation_list(request, section):
    _curators_only(request)
    chosen = queue_selectors.curation_section(slug=section)
    if chosen is None:
        raise Http404("No such list")
    paged = _paged(request, chosen.items)
    return render(request, "directory/curation/queue_list.html", {
        "section": chosen, "rows": _rows(chosen, paged["page"]), **paged,
    })


def _rows(section, items) -> list:
    if section.kind == "requests":
        return list(items)
    return [(service, selectors.freshness_of(service, show_names=True)) for service in items]


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
@require_http_methods(["GET", "POST"])
def service_verify(request, service_id):
    """A curator has checked the record with the provider or at source and says it is right."""
    service = permissions.service_get_for_user(
        user=request.user, service_id=service_id, check=permissions.can_reach_service_records
    )
    if not permissions.can_verify_service(request.user, service):
        raise PermissionDenied
    form = ConfirmForm(_posted(request))
    next_url = _next_url(request, reverse("directory:service", args=[service.uuid]))
    if request.method == "POST" and form.is_valid():
        services.service_mark_checked(service=service, by=request.user)
        messages.success(request, f"{service.name} is marked as verified by you today.")
        return redirect(next_url)
    page = selectors.service_page(service=service, show_names=True)
    return render(request, "directory/curation/verify.html", {
        "form": form, "service": service, "page": page, "next_url": next_url,
    })
