"""A service's own pages: its public page, reporting a problem, and the provider's pages to keep it right.

Every view fetches through ``permissions`` (someone outside the provider gets a 404, a member who may
not change it a 403) and changes state only through the services.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from pathways.core.errors import DomainError

from .. import permissions
from ..forms.records import (
    ConfirmForm,
    ContactForm,
    FundingForm,
    LocationForm,
    RelationshipForm,
    ReportProblemForm,
    ScheduleForm,
    ServiceForm,
)
from ..models import ChangeRequestStatus, Contact, Funding, Publication, Schedule, ServiceAtLocation, StatutoryRelationship
from ..selectors import records as selectors
from ..selectors.good_practice import good_practice_for_service
from ..services import records as services
from ..services import related

PAGE_SIZE = 25


def _posted(request):
    """What was posted, or None so that a form shown by GET is unbound (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def _add_error(form, error: Exception) -> None:
    """A service's refusal on the form: a DomainError on its field, a model's ValidationError on its fields."""
    if isinstance(error, DomainError):
        form.add_domain_error(error)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# The public page --------------------------------------------------------------------------------------

def service_detail(request, service_id):
    service = permissions.service_get_for_user(user=request.user, service_id=service_id)
    user = request.user
    page = selectors.service_page(service=service, show_names=permissions.can_see_checker_names(user))
    can_edit = permissions.can_edit_service(user, service)
    return render(request, "directory/records/detail.html", {
        "page": page,
        "service": page.service,
        "can_edit": can_edit,
        "can_view_versions": permissions.can_view_versions(user, service),
        "can_confirm": permissions.can_confirm_service(user, service),
        "can_verify": permissions.can_verify_service(user, service),
        "show_references": permissions.can_see_contract_references(user),
        "open_requests": (
            service.change_requests.filter(status=ChangeRequestStatus.OPEN).count() if can_edit else 0
        ),
        "good_practice": good_practice_for_service(service=service),
    })


@require_http_methods(["GET", "POST"])
def service_report(request, service_id):
    """Anyone, signed in or not, reports a problem or suggests a change."""
    service = permissions.service_get_for_user(user=request.user, service_id=service_id)
    form = ReportProblemForm(_posted(request), service=service)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_request_submit(
                service=service, reporter=request.user, message=data["message"],
                reporter_name=data["reporter_name"], reporter_email=data["reporter_email"],
                suggested_changes=form.suggested_changes(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("directory:service-report-sent", service_id=service.uuid)
    return render(request, "directory/records/report.html", {"form": form, "service": service})


def service_report_sent(request, service_id):
    service = permissions.service_get_for_user(user=request.user, service_id=service_id)
    return render(request, "directory/records/report_sent.html", {"service": service})


@login_required
def service_versions(request, service_id):
    service = permissions.service_get_for_user(
        user=request.user, service_id=service_id, check=permissions.can_reach_service_records
    )
    if not permissions.can_view_versions(request.user, service):
        raise PermissionDenied
    versions = selectors.service_versions(service=service)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/records/versions.html", {
        "service": service,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    })


# The provider's pages -------------------------------------------------------------------------------------

@login_required
def organisation_services(request, slug):
    organisation = permissions.organisation_get_for_provider(user=request.user, slug=slug)
    services_list = selectors.services_for_provider(organisation=organisation)
    page = Paginator(services_list, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(service, selectors.freshness_of(service, show_names=True)) for service in page]
    return render(request, "directory/records/organisation_services.html", {
        "organisation": organisation,
        "page": page,
        "rows": rows,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "open_requests": selectors.change_requests_open(organisation=organisation).count(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def service_add(request, slug):
    organisation = permissions.organisation_get_for_provider(user=request.user, slug=slug)
    form = ServiceForm(_posted(request), initial={"status": "active", "gender": "any", "is_free": True})
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                organisation=organisation, by=request.user, terms=form.chosen_terms(), areas=form.chosen_areas(),
                **form.service_fields(),
            )
        except (DomainError, ValidationError) as error:
            _add_error(form, error)
        else:
            messages.success(
                request, f"{service.name} has been added as a draft. Add where and when it runs, then publish it."
            )
            return redirect("directory:service-records", service_id=service.uuid)
    return render(request, "directory/records/form.html", {
        "form": form, "organisation": organisation, "service": None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, service_id):
    service = permissions.service_get_for_provider(user=request.user, service_id=service_id)
    form = ServiceForm(_posted(request), service=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(
                service=service, by=request.user, terms=form.chosen_terms(), areas=form.chosen_areas(),
                **form.service_fields(),
            )
        except (DomainError, ValidationError) as error:
            service.refresh_from_db()
            _add_error(form, error)
        else:
            messages.success(request, "The service's details have been saved.")
            return redirect("directory:service", service_id=service.uuid)
    return render(request, "directory/records/form.html", {
        "form": form, "organisation": service.organisation, "service": service,
    })


@login_required
def service_records(request, service_id):
    """Where, when, who to contact, who funds it and which statutory bodies it works with."""
    service = permissions.service_get_for_provider(user=request.user, service_id=service_id)
    return render(request, "directory/records/records.html", {
        "service": service, **selectors.service_related_records(service=service),
    })


PUBLICATION_ACTIONS = {
    "publish": (Publication.PUBLISHED, services.service_publish),
    "withdraw": (Publication.WITHDRAWN, services.service_withdraw),
}


@login_required
@require_http_methods(["GET", "POST"])
def service_publication(request, service_id, action):
    service = permissions.service_get_for_provider(user=request.user, service_id=service_id)
    target, change = PUBLICATION_ACTIONS[action]
    form = ConfirmForm(_posted(request))
    if service.publication == target:
        messages.info(request, f"{service.name} is already {service.get_publication_display().lower()}.")
        return redirect("directory:service", service_id=service.uuid)
    if request.method == "POST" and form.is_valid():
        change(service=service, by=request.user)
        if action == "publish":
            messages.success(request, f"{service.name} is published: anyone can find it now.")
        else:
            messages.success(request, f"{service.name} has been withdrawn: only your organisation and curators see it.")
        return redirect("directory:service", service_id=service.uuid)
    return render(request, "directory/records/publication.html", {
        "form": form, "service": service, "action": action,
    })


@login_required
@require_http_methods(["GET", "POST"])
def service_confirm(request, service_id):
    """The provider says the record is still right (the link in the reminders comes here)."""
    service = permissions.service_get_for_user(
        user=request.user, service_id=service_id, check=permissions.can_reach_service_records
    )
    if not permissions.can_confirm_service(request.user, service):
        raise PermissionDenied
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.service_mark_checked(service=service, by=request.user)
        messages.success(request, f"Thank you. {service.name} is marked as checked today.")
        return redirect("directory:service", service_id=service.uuid)
    page = selectors.service_page(service=service, show_names=True)
    return render(request, "directory/records/confirm.html", {"form": form, "service": service, "page": page})


# Related records ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RelatedKind:
    slug: str
    noun: str
    form: type
    records: Callable
    add: Callable
    update: Callable
    remove: Callable
    record_argument: str
    describe: Callable


RELATED = {
    "location": RelatedKind(
        "locations", "location", LocationForm,
        lambda service: ServiceAtLocation.objects.filter(service=service).select_related("location__prison", "service"),
        related.location_add, related.location_update, related.location_remove, "service_at_location",
        lambda link: link.location.name,
    ),
    "schedule": RelatedKind(
        "times", "times", ScheduleForm,
        lambda service: Schedule.objects.filter(service=service).select_related("service"),
        related.schedule_add, related.schedule_update, related.schedule_remove, "schedule", services.schedule_description,
    ),
    "contact": RelatedKind(
        "contacts", "contact", ContactForm,
        lambda service: Contact.objects.filter(service=service).select_related("service"),
        related.contact_add, related.contact_update, related.contact_remove, "contact", services.contact_description,
    ),
    "funding": RelatedKind(
        "funding", "funding", FundingForm,
        lambda service: Funding.objects.filter(service=service).select_related("service", "funder"),
        related.funding_add, related.funding_update, related.funding_remove, "funding", services.funding_description,
    ),
    "relationship": RelatedKind(
        "statutory-bodies", "work with a statutory body", RelationshipForm,
        lambda service: StatutoryRelationship.objects.filter(service=service).select_related(
            "service", "statutory_body"
        ),
        related.relationship_add, related.relationship_update, related.relationship_remove, "relationship",
        services.relationship_description,
    ),
}


def _related_page(request, *, service, kind: RelatedKind, form, template="directory/records/related_form.html",
                  **context):
    return render(request, template, {"service": service, "kind": kind, "form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def related_add(request, service_id, kind):
    service = permissions.service_get_for_provider(user=request.user, service_id=service_id)
    kind = RELATED[kind]
    form = kind.form(_posted(request), service=service)
    if request.method == "POST" and form.is_valid():
        try:
            kind.add(service=service, by=request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"The {kind.noun} has been added." if kind.noun != "times" else "The times have been added.")
            return redirect("directory:service-records", service_id=service.uuid)
    return _related_page(request, service=service, kind=kind, form=form, record=None)


@login_required
@require_http_methods(["GET", "POST"])
def related_edit(request, service_id, kind, record_id):
    service = permissions.service_get_for_provider(user=request.user, service_id=service_id)
    kind = RELATED[kind]
    record = get_object_or_404(kind.records(service), pk=record_id)
    form = kind.form(_posted(request), service=service, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(by=request.user, **{kind.record_argument: record}, **form.service_kwargs())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("directory:service-records", service_id=service.uuid)
    return _related_page(request, service=service, kind=kind, form=form, record=record)


@login_required
@require_http_methods(["GET", "POST"])
def related_remove(request, service_id, kind, record_id):
    service = permissions.service_get_for_provider(user=request.user, service_id=service_id)
    kind = RELATED[kind]
    record = get_object_or_404(kind.records(service), pk=record_id)
    form = ConfirmForm(_posted(request))
    description = kind.describe(record)
    if request.method == "POST" and form.is_valid():
        kind.remove(by=request.user, **{kind.record_argument: record})
        messages.success(request, f"Removed: {description}.")
        return redirect("directory:service-records", service_id=service.uuid)
    return _related_page(
        request, service=service, kind=kind, form=form, record=record, description=description,
        template="directory/records/related_remove.html",
    )
