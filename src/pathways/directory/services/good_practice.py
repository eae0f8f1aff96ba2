"""The good-practice bank: write-ups of innovation and good practice, curated before publication
(Key Recommendation 1: "a database of innovation and good practice across the region").

An organisation's managers write a draft and submit it; a curator publishes it or returns it with a
note saying why; the authors change a returned write-up and submit it again. Every step is audited.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError

from ..permissions import good_practice as permissions
from ..models import EvidenceStrength, GoodPractice, GoodPracticeStatus, Publication

GOOD_PRACTICE_FIELDS = ["title", "summary", "body", "evidence", "evidence_strength"]


def good_practice_snapshot(good_practice: GoodPractice) -> dict:
    data = {field: getattr(good_practice, field) for field in GOOD_PRACTICE_FIELDS}
    data["status"] = good_practice.status
    if good_practice.pk:
        data["services"] = sorted(str(s.uuid) for s in good_practice.services.all())
        data["terms"] = sorted(good_practice.terms.values_list("code", flat=True))
        data["areas"] = sorted(good_practice.areas.values_list("name", flat=True))
    return data


def _apply(good_practice: GoodPractice, fields: dict) -> None:
    for field, value in fields.items():
        if field not in GOOD_PRACTICE_FIELDS:
            raise ValueError(f"{field} is not a field of a write-up that can be changed here")
        setattr(good_practice, field, value.strip() if isinstance(value, str) else value)
    if not good_practice.title:
        raise DomainError("Enter a title.", field="title")
    max_length = GoodPractice._meta.get_field("title").max_length
    if len(good_practice.title) > max_length:
        raise DomainError(f"Title must be {max_length} characters or fewer.", field="title")
    if not good_practice.summary:
        raise DomainError("Enter a summary of what was done and what difference it made.", field="summary")
    if good_practice.evidence_strength not in EvidenceStrength.values:
        raise DomainError("Select how strong the evidence is.", field="evidence_strength")


def _check_services(*, organisation, services) -> None:
    """A write-up links to its own organisation's services, and to any published service."""
    for service in services:
        if service.organisation_id != organisation.pk and service.publication != Publication.PUBLISHED:
            raise DomainError(f"‘{service.name}’ cannot be linked: it is not published.", field="services")


def _set_links(good_practice: GoodPractice, *, services, terms, areas) -> None:
    if services is not None:
        services = list(services)
        _check_services(organisation=good_practice.organisation, services=services)
        good_practice.services.set(services)
    if terms is not None:
        good_practice.terms.set(terms)
    if areas is not None:
        good_practice.areas.set(areas)


@transaction.atomic
def good_practice_create(*, organisation, by, services=(), terms=(), areas=(), **fields) -> GoodPractice:
    """A new draft for ``organisation``, written by one of its managers."""
    if not permissions.can_write_good_practice(by, organisation):
        raise PermissionDenied
    good_practice = GoodPractice(organisation=organisation, author=by, status=GoodPracticeStatus.DRAFT)
    _apply(good_practice, {"body": "", "evidence": "", **fields})
    good_practice.save()
    _set_links(good_practice, services=services, terms=terms, areas=areas)
    audit_record(actor=by, action=AuditAction.CREATED, target=good_practice, owner=organisation)
    return good_practice


def _locked(good_practice: GoodPractice) -> GoodPractice:
    """The write-up as it is now in the database, held until the transaction ends."""
    return (
        GoodPractice.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=good_practice.pk)
    )


@transaction.atomic
def good_practice_update(
    *, good_practice: GoodPractice, by, services=None, terms=None, areas=None, **fields
) -> GoodPractice:
    """Change a draft or a returned write-up."""
    current = _locked(good_practice)
    if not permissions.can_edit_good_practice(by, current):
        raise PermissionDenied
    before = good_practice_snapshot(current)
    _apply(current, fields)
    current.save()
    _set_links(current, services=services, terms=terms, areas=areas)
    changes = changes_between(before, good_practice_snapshot(current))
    if changes:
        audit_record(
            actor=by, action=AuditAction.CHANGED, target=current, owner=current.organisation, changes=changes
        )
    good_practice.refresh_from_db()
    return good_practice


def _set_status(good_practice: GoodPractice, *, by, status: GoodPracticeStatus, reason: str = "") -> None:
    before = good_practice.status
    good_practice.status = status
    good_practice.save()
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=good_practice, owner=good_practice.organisation,
        changes={"status": [before, status.value]}, reason=reason,
    )


@transaction.atomic
def good_practice_submit(*, good_practice: GoodPractice, by) -> GoodPractice:
    """Send a draft or returned write-up to the curators. It needs its evidence and something to link to."""
    current = _locked(good_practice)
    if not permissions.can_submit_good_practice(by, current):
        raise PermissionDenied
    if not current.evidence.strip():
        raise DomainError(
            "Describe the evidence before submitting: what the claims rest on, with links or references.",
            field="evidence",
        )
    if not current.terms.exists() and not current.services.exists():
        raise DomainError("Choose at least one pathway or one service before submitting.", field="terms")
    _set_status(current, by=by, status=GoodPracticeStatus.SUBMITTED)
    good_practice.refresh_from_db()
    return good_practice


@transaction.atomic
def good_practice_publish(*, good_practice: GoodPractice, by, note: str = "") -> GoodPractice:
    """A curator publishes a submitted write-up, with an optional note to its authors."""
    current = _locked(good_practice)
    if not permissions.can_review_good_practice(by, current):
        raise PermissionDenied
    if current.status != GoodPracticeStatus.SUBMITTED:
        raise DomainError("Only a submitted write-up can be published.")
    current.curator = by
    current.curator_note = note.strip()
    current.published_at = timezone.now()
    _set_status(current, by=by, status=GoodPracticeStatus.PUBLISHED, reason=current.curator_note)
    good_practice.refresh_from_db()
    return good_practice


@transaction.atomic
def good_practice_return(*, good_practice: GoodPractice, by, note: str) -> GoodPractice:
    """A curator returns a submitted or published write-up to its authors, saying why."""
    current = _locked(good_practice)
    if not permissions.can_review_good_practice(by, current):
        raise PermissionDenied
    if not note.strip():
        raise DomainError("Say why it is being returned: the authors will see this note.", field="note")
    current.curator = by
    current.curator_note = note.strip()
    current.published_at = None
    _set_status(current, by=by, status=GoodPracticeStatus.RETURNED, reason=current.curator_note)
    good_practice.refresh_from_db()
    return good_practice
