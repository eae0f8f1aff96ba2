"""Changing the knowledge base. Every change to a service is kept as a dated, attributed version."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError
from pathways.core.mail import email_after_commit

from .. import permissions
from pathways.organisations.models import Place
from pathways.taxonomy.models import Term

from ..models import (
    ChangeRequest,
    ChangeRequestStatus,
    CheckMethod,
    Contact,
    Funding,
    Location,
    LocationType,
    Publication,
    Schedule,
    Service,
    ServiceVersion,
    StatutoryRelationship,
)
from ..selectors.records import field_label, provider_manager_emails
from .search_index import search_document_refresh

# The fields a provider edits directly on a service; related records have services of their own.
SERVICE_FIELDS = [
    "name", "description", "url", "email", "phone", "status",
    "minimum_age", "maximum_age", "gender", "in_custody", "in_community", "through_the_gate", "eligibility",
    "self_referral", "agency_referral", "statutory_referral_only", "referral_details",
    "is_free", "fees", "languages", "accreditations", "capacity", "typical_wait_days", "peer_led", "alert",
]


def _period(starts_on, ends_on) -> str:
    if starts_on and ends_on:
        return f"{starts_on:%-d %B %Y} to {ends_on:%-d %B %Y}"
    if starts_on:
        return f"from {starts_on:%-d %B %Y}"
    if ends_on:
        return f"until {ends_on:%-d %B %Y}"
    return ""


def _joined(*parts) -> str:
    return ", ".join(str(part) for part in parts if part)


def location_description(location: Location) -> str:
    text = _joined(location.name, location.address_1, location.address_2, location.city, location.region,
                   location.postcode)
    if location.prison_id:
        text += f" (inside {location.prison.name})"
    if location.location_type != LocationType.PHYSICAL:
        text += f" [{location.get_location_type_display()}]"
    if location.accessibility:
        text += f" – accessibility: {location.accessibility}"
    return text


def schedule_description(schedule: Schedule) -> str:
    text = str(schedule)
    if schedule.service_at_location_id:
        text += f" at {schedule.service_at_location.location.name}"
    if period := _period(schedule.valid_from, schedule.valid_to):
        text += f", {period}"
    if schedule.notes:
        text += f" ({schedule.notes})"
    return text


def contact_description(contact: Contact) -> str:
    return _joined(contact.name, contact.title, contact.email, contact.phone)


def funding_description(funding: Funding) -> str:
    funder = funding.funder.name if funding.funder_id else funding.funder_name
    return _joined(
        f"{funding.get_kind_display()}: {funder or 'funder not named'}", funding.stream,
        _period(funding.starts_on, funding.ends_on), funding.get_value_band_display() if funding.value_band else "",
    )


def relationship_description(relationship: StatutoryRelationship) -> str:
    return _joined(
        f"{relationship.get_basis_display()} with {relationship.statutory_body.name}",
        f"reference {relationship.reference}" if relationship.reference else "",
        _period(relationship.starts_on, relationship.ends_on),
    )


def service_snapshot(service: Service) -> dict:
    """The record as people read it, for versions and their differences.

    Related records are read afresh (never from a prefetch), so the snapshot after a change is true.
    """
    data = {field: getattr(service, field) for field in SERVICE_FIELDS}
    data["publication"] = service.publication
    if service.pk:
        data["terms"] = sorted(Term.objects.filter(services=service).values_list("code", flat=True))
        data["areas"] = sorted(Place.objects.filter(services=service).values_list("name", flat=True))
        data["locations"] = sorted(
            location_description(location)
            for location in Location.objects.filter(service_at_locations__service=service).select_related("prison")
        )
        data["schedules"] = sorted(
            schedule_description(schedule)
            for schedule in Schedule.objects.filter(service=service).select_related("service_at_location__location")
        )
        data["contacts"] = sorted(contact_description(contact) for contact in Contact.objects.filter(service=service))
        data["funding"] = sorted(
            funding_description(funding) for funding in Funding.objects.filter(service=service).select_related("funder")
        )
        data["statutory_relationships"] = sorted(
            relationship_description(relationship)
            for relationship in StatutoryRelationship.objects.filter(service=service).select_related("statutory_body")
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
    if publish:
        service.first_published_at = timezone.now()
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
    update_fields = ["publication", "updated_at"]
    if publication == Publication.PUBLISHED and service.first_published_at is None:
        service.first_published_at = timezone.now()
        update_fields.append("first_published_at")
    service.save(update_fields=update_fields)
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

# Longest message a report may carry: room for a full account, not for a pasted document.
CHANGE_REQUEST_MESSAGE_MAX = 5000


def _site_link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _suggestions_cleaned(suggested_changes: dict) -> dict:
    """Each suggested value as the service would store it; a DomainError names the first that cannot be."""
    unknown = set(suggested_changes) - set(SERVICE_FIELDS)
    if unknown:
        raise DomainError(f"These cannot be suggested: {', '.join(sorted(unknown))}.")
    cleaned = {}
    for name, value in suggested_changes.items():
        try:
            cleaned[name] = Service._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            raise DomainError(f"{field_label(name)}: {' '.join(error.messages)}", field=name) from None
    return cleaned


@transaction.atomic
def change_request_submit(
    *, service: Service, message: str, reporter=None, reporter_name: str = "", reporter_email: str = "",
    suggested_changes: dict | None = None,
) -> ChangeRequest:
    """Anyone, signed in or not, reports a problem or suggests a change to a record they can see.

    The provider's managers are told by email; the reporter's name and email are kept for the reply only.
    """
    message = (message or "").strip()
    if not message:
        raise DomainError("Describe the problem or the change.", field="message")
    if len(message) > CHANGE_REQUEST_MESSAGE_MAX:
        raise DomainError(
            f"Describe the problem in {CHANGE_REQUEST_MESSAGE_MAX:,} characters or fewer "
            f"(you used {len(message):,}).", field="message",
        )
    suggested = _suggestions_cleaned(suggested_changes or {})
    reporter_name = (reporter_name or "").strip()
    reporter_email = (reporter_email or "").strip().lower()
    if len(reporter_name) > ChangeRequest._meta.get_field("reporter_name").max_length:
        raise DomainError("Your name must be 200 characters or fewer.", field="reporter_name")
    if reporter_email:
        try:
            ChangeRequest._meta.get_field("reporter_email").clean(reporter_email, None)
        except ValidationError:
            raise DomainError(
                "Enter an email address in the correct format, like name@example.org", field="reporter_email"
            ) from None
    signed_in = getattr(reporter, "is_authenticated", False)
    request = ChangeRequest.objects.create(
        service=service,
        message=message,
        suggested_changes=suggested,
        reporter=reporter if signed_in else None,
        reporter_name=reporter_name or (reporter.full_name if signed_in else ""),
        reporter_email=reporter_email or (reporter.email if signed_in else ""),
    )
    audit_record(actor=reporter, action=AuditAction.CREATED, target=request, owner=service.organisation)
    recipients = provider_manager_emails(organisation=service.organisation)
    if recipients:
        context = {"service": service, "change_request": request,
                   "link": _site_link("directory:change-request", request.pk)}
        body = render_to_string("directory/curation/email/change_request_new.txt", context)
        subject = f"Someone has reported a problem with {service.name}"
        email_after_commit(subject=subject, body=body, recipients=recipients)
    return request


@transaction.atomic
def change_request_decide(*, change_request: ChangeRequest, by, accept: bool, reason: str) -> ChangeRequest:
    """Accept (applying any suggested changes as a new version) or reject, always with a reason.

    If the reporter left an email address, they are told the decision and the reason.
    """
    if not permissions.can_decide_change_request(by, change_request):
        raise PermissionDenied
    # Read the status afresh and hold the row, so that two people deciding at once cannot both decide.
    current = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if current.status != ChangeRequestStatus.OPEN:
        raise DomainError("This request has already been decided.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give a reason for the decision: the person who asked will see it.", field="reason")
    if len(reason) > CHANGE_REQUEST_MESSAGE_MAX:
        raise DomainError(
            f"Give the reason in {CHANGE_REQUEST_MESSAGE_MAX:,} characters or fewer.", field="reason"
        )
    if accept and change_request.suggested_changes:
        try:
            service_update(
                service=change_request.service, by=by, summary=f"Change request {change_request.pk} accepted",
                **change_request.suggested_changes,
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            ) if hasattr(error, "error_dict") else " ".join(error.messages)
            raise DomainError(
                f"The suggested changes cannot be applied as they are ({problems}). Reject the request, "
                "or edit the service yourself."
            ) from None
    change_request.status = ChangeRequestStatus.ACCEPTED if accept else ChangeRequestStatus.REJECTED
    change_request.decided_at = timezone.now()
    change_request.decided_by = by
    change_request.decision_reason = reason
    change_request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=change_request, owner=change_request.service.organisation,
        changes={"status": [ChangeRequestStatus.OPEN.value, change_request.status]}, reason=change_request.decision_reason,
    )
    if change_request.reporter_email:
        service = change_request.service
        context = {
            "change_request": change_request, "service": service, "accepted": accept,
            "link": _site_link("directory:service", service.uuid) if service.is_public else "",
        }
        body = render_to_string("directory/curation/email/decision.txt", context)
        subject = f"Your report about {service.name}: {'accepted' if accept else 'not accepted'}"
        email_after_commit(subject=subject, body=body, recipients=[change_request.reporter_email])
    return change_request
