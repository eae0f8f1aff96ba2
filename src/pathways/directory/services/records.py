"""Changing the knowledge base. Every change to a service is kept as a dated, attributed version."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError

from .. import permissions
from ..models import (
    ChangeRequest,
    ChangeRequestStatus,
    CheckMethod,
    Publication,
    Service,
    ServiceVersion,
)
from .search_index import search_document_refresh

# The fields a provider edits directly on a service; related records have services of their own.
SERVICE_FIELDS = [
    "name", "description", "url", "email", "phone", "status",
    "minimum_age", "maximum_age", "gender", "in_custody", "in_community", "through_the_gate", "eligibility",
    "self_referral", "agency_referral", "statutory_referral_only", "referral_details",
    "is_free", "fees", "languages", "accreditations", "capacity", "typical_wait_days", "peer_led", "alert",
]


def service_snapshot(service: Service) -> dict:
    """The record as people read it, for versions and their differences."""
    data = {field: getattr(service, field) for field in SERVICE_FIELDS}
    data["publication"] = service.publication
    if service.pk:
        data["terms"] = sorted(service.terms.values_list("code", flat=True))
        data["areas"] = sorted(service.areas.values_list("name", flat=True))
        data["locations"] = sorted(
            f"{sal.location.name}, {sal.location.postcode}".strip(", ")
            for sal in service.service_at_locations.select_related("location")
        )
        data["schedules"] = sorted(str(schedule) for schedule in service.schedules.all())
        data["contacts"] = sorted(str(contact) for contact in service.contacts.all())
        data["funding"] = sorted(str(funding) for funding in service.funding.select_related("funder"))
        data["statutory_relationships"] = sorted(
            str(rel) for rel in service.statutory_relationships.select_related("statutory_body")
        )
    return data


def service_version_record(*, service: Service, by, summary: str, before: dict | None) -> ServiceVersion | None:
    """Keep a version if anything changed since ``before`` (None for a new record)."""
    after = service_snapshot(service)
    changes = changes_between(before or {}, after)
    if before is not None and not changes:
        return None
    number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    actor = by if getattr(by, "is_authenticated", False) else None
    return ServiceVersion.objects.create(
        service=service, number=number, created_by=actor, summary=summary, snapshot=after, changes=changes
    )


def _apply(service: Service, fields: dict) -> None:
    for field, value in fields.items():
        if field not in SERVICE_FIELDS:
            raise ValueError(f"{field} is not a field of a service that can be changed here")
        setattr(service, field, value)
    if service.minimum_age is not None and service.maximum_age is not None and service.minimum_age > service.maximum_age:
        raise DomainError("The minimum age must not be more than the maximum age.", field="minimum_age")
    service.full_clean(exclude=["organisation", "terms", "areas"])


@transaction.atomic
def service_create(*, organisation, by, terms=(), areas=(), publish=False, **fields) -> Service:
    if by is not None and not permissions.can_add_service(by, organisation):
        raise PermissionDenied
    service = Service(organisation=organisation)
    _apply(service, fields)
    service.publication = Publication.PUBLISHED if publish else Publication.DRAFT
    service.last_checked_at = timezone.now()
    service.last_checked_by = by if getattr(by, "is_authenticated", False) else None
    service.last_check_method = CheckMethod.PROVIDER_CONFIRMED
    service.save()
    service.terms.set(terms)
    service.areas.set(areas)
    service_version_record(service=service, by=by, summary="Created", before=None)
    search_document_refresh(service=service)
    audit_record(actor=by, action=AuditAction.CREATED, target=service, owner=organisation)
    return service


@transaction.atomic
def service_update(*, service: Service, by, terms=None, areas=None, summary: str = "Edited", **fields) -> Service:
    """Change a service. A provider's edit also counts as their confirmation that it is right."""
    if not permissions.can_edit_service(by, service):
        raise PermissionDenied
    before = service_snapshot(Service.objects.get(pk=service.pk))
    _apply(service, fields)
    if permissions.can_confirm_service(by, service):
        service.last_checked_at = timezone.now()
        service.last_checked_by = by
        service.last_check_method = CheckMethod.PROVIDER_CONFIRMED
    service.save()
    if terms is not None:
        service.terms.set(terms)
    if areas is not None:
        service.areas.set(areas)
    version = service_version_record(service=service, by=by, summary=summary, before=before)
    search_document_refresh(service=service)
    if version is not None:
        audit_record(
            actor=by, action=AuditAction.CHANGED, target=service, owner=service.organisation,
            changes=version.changes,
        )
    return service


def _set_publication(*, service: Service, by, publication: Publication, summary: str) -> Service:
    if not permissions.can_edit_service(by, service):
        raise PermissionDenied
    if service.publication == publication:
        return service
    before = service_snapshot(service)
    service.publication = publication
    service.save(update_fields=["publication", "updated_at"])
    version = service_version_record(service=service, by=by, summary=summary, before=before)
    search_document_refresh(service=service)
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=service, owner=service.organisation, changes=version.changes
    )
    return service


@transaction.atomic
def service_publish(*, service: Service, by) -> Service:
    return _set_publication(service=service, by=by, publication=Publication.PUBLISHED, summary="Published")


@transaction.atomic
def service_withdraw(*, service: Service, by) -> Service:
    return _set_publication(service=service, by=by, publication=Publication.WITHDRAWN, summary="Withdrawn")


@transaction.atomic
def service_mark_checked(*, service: Service, by) -> Service:
    """A curator verifies the record, or its provider confirms it is still right."""
    if permissions.can_verify_service(by, service):
        method = CheckMethod.CURATOR_VERIFIED
    elif permissions.can_confirm_service(by, service):
        method = CheckMethod.PROVIDER_CONFIRMED
    else:
        raise PermissionDenied
    service.last_checked_at = timezone.now()
    service.last_checked_by = by
    service.last_check_method = method
    service.save(update_fields=["last_checked_at", "last_checked_by", "last_check_method", "updated_at"])
    search_document_refresh(service=service)
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=service, owner=service.organisation,
        changes={"last_check_method": [None, method.value]},
    )
    return service


# Change requests ----------------------------------------------------------------------------------

@transaction.atomic
def change_request_submit(
    *, service: Service, message: str, reporter=None, reporter_name: str = "", reporter_email: str = "",
    suggested_changes: dict | None = None,
) -> ChangeRequest:
    """Anyone, signed in or not, reports a problem or suggests a change to a published record."""
    if not message.strip():
        raise DomainError("Describe the problem or the change.", field="message")
    if suggested_changes:
        unknown = set(suggested_changes) - set(SERVICE_FIELDS)
        if unknown:
            raise DomainError(f"These cannot be suggested: {', '.join(sorted(unknown))}.")
    signed_in = getattr(reporter, "is_authenticated", False)
    request = ChangeRequest.objects.create(
        service=service,
        message=message.strip(),
        suggested_changes=suggested_changes or {},
        reporter=reporter if signed_in else None,
        reporter_name=reporter_name.strip() or (reporter.full_name if signed_in else ""),
        reporter_email=reporter_email.strip().lower() or (reporter.email if signed_in else ""),
    )
    audit_record(actor=reporter, action=AuditAction.CREATED, target=request, owner=service.organisation)
    return request


@transaction.atomic
def change_request_decide(*, change_request: ChangeRequest, by, accept: bool, reason: str) -> ChangeRequest:
    """Accept (applying any suggested changes as a new version) or reject, always with a reason."""
    if not permissions.can_decide_change_request(by, change_request):
        raise PermissionDenied
    if change_request.status != ChangeRequestStatus.OPEN:
        raise DomainError("This request has already been decided.")
    if not reason.strip():
        raise DomainError("Give a reason for the decision: the person who asked will see it.", field="reason")
    if accept and change_request.suggested_changes:
        service_update(
            service=change_request.service, by=by, summary=f"Change request {change_request.pk} accepted",
            **change_request.suggested_changes,
        )
    change_request.status = ChangeRequestStatus.ACCEPTED if accept else ChangeRequestStatus.REJECTED
    change_request.decided_at = timezone.now()
    change_request.decided_by = by
    change_request.decision_reason = reason.strip()
    change_request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=change_request, owner=change_request.service.organisation,
        changes={"status": [ChangeRequestStatus.OPEN.value, change_request.status]}, reason=change_request.decision_reason,
    )
    return change_request
