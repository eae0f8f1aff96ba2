"""The bid-readiness checklist, saved per organisation: what it has ready, and so what is missing."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError

from .. import permissions
from ..guides import READINESS_ITEMS, readiness_item_codes
from ..models import BidReadiness


@transaction.atomic
def bid_readiness_save(*, organisation, items, by) -> BidReadiness:
    """Keep the ticked ``items`` (checklist codes) as what ``organisation`` has ready."""
    if by is not None and not permissions.can_change_tendering_records(by, organisation):
        raise PermissionDenied
    items = list(dict.fromkeys(items))
    if unknown := [code for code in items if code not in readiness_item_codes()]:
        raise DomainError(f"{', '.join(unknown)} is not on the checklist.", field="items")
    order = {item.code: position for position, item in enumerate(READINESS_ITEMS)}
    items.sort(key=order.__getitem__)
    readiness, created = BidReadiness.objects.select_for_update().get_or_create(organisation=organisation)
    before = {"ready": list(readiness.items)} if not created else {}
    readiness.items = items
    readiness.updated_by = by
    readiness.updated_at = timezone.now()
    readiness.save()
    changes = changes_between(before, {"ready": items})
    if changes or created:
        audit_record(
            actor=by, action=AuditAction.CREATED if created else AuditAction.CHANGED, target=readiness,
            acting_for=organisation, owner=organisation, changes=changes,
        )
    return readiness
