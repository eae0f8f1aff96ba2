"""Changing a service's related records: locations, times, contacts, funding and work with statutory bodies.

Each function checks that ``by`` may edit the service, changes the record atomically, keeps a new version
of the service (with what changed), writes the audit entry and refreshes what search reads. A provider's
change also counts as their confirmation that the record is right, as an edit of the service does.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError
from pathways.organisations.models import Organisation, PlaceKind

from .. import permissions
from ..models import (
    CheckMethod,
    Contact,
    Funding,
    FundingKind,
    Location,
    PostcodeArea,
    Schedule,
    Service,
    ServiceAtLocation,
    StatutoryRelationship,
)
from .records import service_snapshot, service_version_record
from .search_index import search_document_refresh

LOCATION_FIELDS = [
    "location_type", "name", "description", "address_1", "address_2", "city", "region", "postcode",
    "prison", "accessibility",
]
SCHEDULE_FIELDS = [
    "attendance", "weekday", "opens_at", "closes_at", "valid_from", "valid_to", "notes", "service_at_location",
]
CONTACT_FIELDS = ["name", "title", "email", "phone"]
FUNDING_FIELDS = ["kind", "funder", "funder_name", "stream", "starts_on", "ends_on", "value_band"]
RELATIONSHIP_FIELDS = ["statutory_body", "basis", "reference", "starts_on", "ends_on"]

# A UK postcode, loosely: outward code, a space or not, inward code.
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


# Shared steps ---------------------------------------------------------------------------------------

def _authorise(service: Service, by) -> None:
    if not permissions.can_edit_service(by, service):
        raise PermissionDenied


def _full_clean(record: Model, *, what: str, exclude=()) -> None:
    """Model validation, as a DomainError that names the record and the field."""
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            name, errors = next(iter(error.message_dict.items()))
            label = record._meta.get_field(name).verbose_name if name != "__all__" else what
            raise DomainError(f"{what}: {label} – {' '.join(errors)}", field=name) from None
        raise DomainError(f"{what}: {' '.join(error.messages)}") from None


def _assign(record: Model, allowed: list[str], fields: dict) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(record, name, value)


def _check_dates(start, end, *, field: str, what: str) -> None:
    if start and end and end < start:
        raise DomainError(f"{what}: the end date must be the same as or after the start date.", field=field)


def _after_change(*, service: Service, by, before: dict, summary: str, action: AuditAction, target: Model) -> None:
    """The steps every change ends with: provider's confirmation, a version, search, the audit entry."""
    if permissions.can_confirm_service(by, service):
        service.last_checked_at = timezone.now()
        service.last_checked_by = by
        service.last_check_method = CheckMethod.PROVIDER_CONFIRMED
        service.save(update_fields=["last_checked_at", "last_checked_by", "last_check_method", "updated_at"])
    else:
        service.save(update_fields=["updated_at"])
    version = service_version_record(service=service, by=by, summary=summary, before=before)
    search_document_refresh(service=service)
    audit_record(
        actor=by, action=action, target=target, owner=service.organisation,
        changes=version.changes if version is not None else {},
    )


# Locations ------------------------------------------------------------------------------------------

def postcode_normalised(postcode: str) -> str:
    """'ls11aa' -> 'LS1 1AA'. A DomainError if it is not shaped like a UK postcode."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    if not compact:
        return ""
    match = POSTCODE.match(compact)
    if match is None:
        raise DomainError(f"Enter a real postcode, like LS1 4AP (not “{postcode.strip()}”).", field="postcode")
    return f"{match[1]} {match[2]}"


def _place_on_map(location: Location) -> None:
    """Latitude and longitude from the postcode, or from its district if the full postcode is not known."""
    location.latitude = location.longitude = None
    if not location.postcode:
        return
    compact = location.postcode.replace(" ", "")
    area = PostcodeArea.objects.filter(code=compact).first() or PostcodeArea.objects.filter(code=compact[:-3]).first()
    if area is not None:
        location.latitude, location.longitude = area.latitude, area.longitude


def _location_fields_apply(location: Location, fields: dict, *, organisation: Organisation) -> None:
    _assign(location, LOCATION_FIELDS, fields)
    location.name = (location.name or "").strip()
    if not location.name:
        raise DomainError("Enter a name for the location, like “Leeds drop-in centre”.", field="name")
    location.postcode = postcode_normalised(location.postcode)
    if location.prison is not None and location.prison.kind != PlaceKind.PRISON:
        raise DomainError("Choose a prison from the list.", field="prison")
    if location.location_type == "physical" and not (location.address_1 or location.postcode or location.prison):
        raise DomainError(
            "Enter the address or postcode of a place people can visit, or choose the prison it is in.",
            field="address_1",
        )
    location.organisation = organisation
    _place_on_map(location)
    _full_clean(location, what=f"Location “{location.name}”", exclude=["organisation", "external_id"])


@transaction.atomic
def location_add(*, service: Service, by, location: Location | None = None, **fields) -> ServiceAtLocation:
    """Link the service to one of its organisation's locations, or to a new location made from ``fields``."""
    _authorise(service, by)
    before = service_snapshot(service)
    if location is None:
        location = Location()
        _location_fields_apply(location, fields, organisation=service.organisation)
        location.save()
    elif location.organisation_id != service.organisation_id:
        raise DomainError("Choose one of your organisation's locations.", field="location")
    elif ServiceAtLocation.objects.filter(service=service, location=location).exists():
        raise DomainError(f"{service.name} is already at {location.name}.", field="location")
    link = ServiceAtLocation.objects.create(service=service, location=location)
    _after_change(
        service=service, by=by, before=before, summary=f"Location added: {location.name}",
        action=AuditAction.CREATED, target=link,
    )
    return link


@transaction.atomic
def location_update(*, service_at_location: ServiceAtLocation, by, **fields) -> Location:
    """Change a location. Every service at it gets a new version, since each of their records changes."""
    service = service_at_location.service
    _authorise(service, by)
    location = Location.objects.select_for_update().get(pk=service_at_location.location_id)
    services = list(Service.objects.filter(service_at_locations__location=location).order_by("pk"))
    for other in services:
        _authorise(other, by)
    befores = {other.pk: service_snapshot(other) for other in services}
    _location_fields_apply(location, fields, organisation=location.organisation)
    location.save()
    for other in services:
        _after_change(
            service=other, by=by, before=befores[other.pk], summary=f"Location changed: {location.name}",
            action=AuditAction.CHANGED, target=location,
        )
    return location


@transaction.atomic
def location_remove(*, service_at_location: ServiceAtLocation, by) -> None:
    """The service is no longer at this location; times kept for it there go too. The location stays
    with the organisation for its other services and for later use."""
    service = service_at_location.service
    _authorise(service, by)
    before = service_snapshot(service)
    name = service_at_location.location.name
    service_at_location.delete()
    _after_change(
        service=service, by=by, before=before, summary=f"Location removed: {name}",
        action=AuditAction.REMOVED, target=service,
    )


# Times ------------------------------------------------------------------------------------------------

def _schedule_fields_apply(schedule: Schedule, fields: dict) -> None:
    _assign(schedule, SCHEDULE_FIELDS, fields)
    what = "Times"
    if schedule.opens_at is None or schedule.closes_at is None:
        raise DomainError(f"{what}: enter the time it opens and the time it closes.", field="opens_at")
    if schedule.closes_at <= schedule.opens_at:
        raise DomainError(f"{what}: the closing time must be after the opening time.", field="closes_at")
    _check_dates(schedule.valid_from, schedule.valid_to, field="valid_to", what=what)
    sal = schedule.service_at_location
    if sal is not None and sal.service_id != schedule.service_id:
        raise DomainError("Choose one of this service's locations.", field="service_at_location")
    _full_clean(schedule, what=what, exclude=["service", "service_at_location"])


@transaction.atomic
def schedule_add(*, service: Service, by, **fields) -> Schedule:
    _authorise(service, by)
    before = service_snapshot(service)
    schedule = Schedule(service=service)
    _schedule_fields_apply(schedule, fields)
    schedule.save()
    _after_change(
        service=service, by=by, before=before, summary=f"Times added: {schedule}",
        action=AuditAction.CREATED, target=schedule,
    )
    return schedule


@transaction.atomic
def schedule_update(*, schedule: Schedule, by, **fields) -> Schedule:
    service = schedule.service
    _authorise(service, by)
    before = service_snapshot(service)
    _schedule_fields_apply(schedule, fields)
    schedule.save()
    _after_change(
        service=service, by=by, before=before, summary=f"Times changed: {schedule}",
        action=AuditAction.CHANGED, target=schedule,
    )
    return schedule


@transaction.atomic
def schedule_remove(*, schedule: Schedule, by) -> None:
    service = schedule.service
    _authorise(service, by)
    before = service_snapshot(service)
    label = str(schedule)
    schedule.delete()
    _after_change(
        service=service, by=by, before=before, summary=f"Times removed: {label}",
        action=AuditAction.REMOVED, target=service,
    )


# Contacts ----------------------------------------------------------------------------------------------

def _contact_fields_apply(contact: Contact, fields: dict) -> None:
    _assign(contact, CONTACT_FIELDS, {k: (v or "").strip() for k, v in fields.items()})
    contact.email = contact.email.lower()
    if not (contact.name or contact.title or contact.email or contact.phone):
        raise DomainError("Enter at least a name, a job title, an email address or a phone number.", field="name")
    _full_clean(contact, what="Contact", exclude=["service"])


@transaction.atomic
def contact_add(*, service: Service, by, **fields) -> Contact:
    _authorise(service, by)
    before = service_snapshot(service)
    contact = Contact(service=service)
    _contact_fields_apply(contact, fields)
    contact.save()
    _after_change(
        service=service, by=by, before=before, summary=f"Contact added: {contact}",
        action=AuditAction.CREATED, target=contact,
    )
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by, **fields) -> Contact:
    service = contact.service
    _authorise(service, by)
    before = service_snapshot(service)
    _contact_fields_apply(contact, fields)
    contact.save()
    _after_change(
        service=service, by=by, before=before, summary=f"Contact changed: {contact}",
        action=AuditAction.CHANGED, target=contact,
    )
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, by) -> None:
    service = contact.service
    _authorise(service, by)
    before = service_snapshot(service)
    label = str(contact)
    contact.delete()
    _after_change(
        service=service, by=by, before=before, summary=f"Contact removed: {label}",
        action=AuditAction.REMOVED, target=service,
    )


# Funding -----------------------------------------------------------------------------------------------

def _funding_fields_apply(funding: Funding, fields: dict) -> None:
    _assign(funding, FUNDING_FIELDS, fields)
    funding.funder_name = (funding.funder_name or "").strip()
    funding.stream = (funding.stream or "").strip()
    what = "Funding"
    if not funding.kind:
        raise DomainError(f"{what}: choose the kind of funding.", field="kind")
    if funding.funder is None and not funding.funder_name and funding.kind != FundingKind.NO_DIRECT_COST:
        raise DomainError(f"{what}: choose the funder, or type its name if it is not listed.", field="funder")
    if funding.funder is not None and funding.funder_name:
        raise DomainError(f"{what}: choose the funder or type its name, not both.", field="funder_name")
    _check_dates(funding.starts_on, funding.ends_on, field="ends_on", what=what)
    _full_clean(funding, what=what, exclude=["service", "funder"])


@transaction.atomic
def funding_add(*, service: Service, by, **fields) -> Funding:
    _authorise(service, by)
    before = service_snapshot(service)
    funding = Funding(service=service)
    _funding_fields_apply(funding, fields)
    funding.save()
    _after_change(
        service=service, by=by, before=before, summary=f"Funding added: {funding}",
        action=AuditAction.CREATED, target=funding,
    )
    return funding


@transaction.atomic
def funding_update(*, funding: Funding, by, **fields) -> Funding:
    service = funding.service
    _authorise(service, by)
    before = service_snapshot(service)
    _funding_fields_apply(funding, fields)
    funding.save()
    _after_change(
        service=service, by=by, before=before, summary=f"Funding changed: {funding}",
        action=AuditAction.CHANGED, target=funding,
    )
    return funding


@transaction.atomic
def funding_remove(*, funding: Funding, by) -> None:
    service = funding.service
    _authorise(service, by)
    before = service_snapshot(service)
    label = str(funding)
    funding.delete()
    _after_change(
        service=service, by=by, before=before, summary=f"Funding removed: {label}",
        action=AuditAction.REMOVED, target=service,
    )


# Work with statutory bodies ----------------------------------------------------------------------------

def _relationship_fields_apply(relationship: StatutoryRelationship, fields: dict) -> None:
    _assign(relationship, RELATIONSHIP_FIELDS, fields)
    relationship.reference = (relationship.reference or "").strip()
    what = "Work with a statutory body"
    body = relationship.statutory_body if relationship.statutory_body_id else None
    if body is None:
        raise DomainError(f"{what}: choose the statutory body.", field="statutory_body")
    if body.type.is_voluntary_sector:
        raise DomainError(
            f"{what}: {body.name} is a voluntary organisation. Choose a prison, probation service, "
            "local authority or another statutory body.", field="statutory_body",
        )
    if not relationship.basis:
        raise DomainError(f"{what}: choose the basis of the relationship.", field="basis")
    _check_dates(relationship.starts_on, relationship.ends_on, field="ends_on", what=what)
    _full_clean(relationship, what=what, exclude=["service", "statutory_body"])


@transaction.atomic
def relationship_add(*, service: Service, by, **fields) -> StatutoryRelationship:
    _authorise(service, by)
    before = service_snapshot(service)
    relationship = StatutoryRelationship(service=service)
    _relationship_fields_apply(relationship, fields)
    relationship.save()
    _after_change(
        service=service, by=by, before=before, summary=f"Work with a statutory body added: {relationship.statutory_body}",
        action=AuditAction.CREATED, target=relationship,
    )
    return relationship


@transaction.atomic
def relationship_update(*, relationship: StatutoryRelationship, by, **fields) -> StatutoryRelationship:
    service = relationship.service
    _authorise(service, by)
    before = service_snapshot(service)
    _relationship_fields_apply(relationship, fields)
    relationship.save()
    _after_change(
        service=service, by=by, before=before,
        summary=f"Work with a statutory body changed: {relationship.statutory_body}",
        action=AuditAction.CHANGED, target=relationship,
    )
    return relationship


@transaction.atomic
def relationship_remove(*, relationship: StatutoryRelationship, by) -> None:
    service = relationship.service
    _authorise(service, by)
    before = service_snapshot(service)
    label = str(relationship.statutory_body)
    relationship.delete()
    _after_change(
        service=service, by=by, before=before, summary=f"Work with a statutory body removed: {label}",
        action=AuditAction.REMOVED, target=service,
    )
