"""Writing to the audit trail. Every service that reads client data or changes state calls audit_record."""

from collections.abc import Iterable
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from pathways.core.errors import DomainError
from pathways.jobs.models import Job
from pathways.jobs.services import job_start

from .exports import EXPORT_JOB, write_csv
from .models import ACTIONS_NEEDING_REASON, AuditAction, AuditEntry
from .selectors import AuditFilters, audit_entries_for_organisation, audit_filters_described


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "Pathways (system)"
    name = getattr(actor, "full_name", "") or ""
    return f"{name} <{actor.email}>" if name else actor.email


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    target: models.Model | None = None,
    acting_for=None,
    owner=None,
    reason: str = "",
    changes: dict | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` None means Pathways itself (a job or a command)."""
    entry = _entry(actor=actor, action=action, target=target, acting_for=acting_for, owner=owner, reason=reason,
                   changes=changes, ip_address=ip_address)
    entry.save()
    return entry


def audit_record_many(*, actor, action: AuditAction | str, entries: Iterable[tuple[models.Model, object, dict]],
                      source: str = "") -> int:
    """Append an entry for each (target, owner, changes) at once, as ``audit_record`` would one by one:
    for an import that adds many records. ``source`` says where they came from (an entry's reason).
    Returns how many entries were written."""
    rows = [_entry(actor=actor, action=action, target=target, owner=owner, reason=source, changes=changes)
            for target, owner, changes in entries]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _entry(*, actor, action, target=None, acting_for=None, owner=None, reason="", changes=None,
           ip_address=None) -> AuditEntry:
    """An entry not yet saved, checked as every entry must be."""
    action = AuditAction(action)
    if action in ACTIONS_NEEDING_REASON and not reason.strip():
        raise DomainError(f"A reason is required to record that something was {action.label.lower()}.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        actor_label=_actor_label(actor),
        acting_for=acting_for,
        owner=owner,
        action=action,
        # get_for_model is served from ContentType's own cache after the first call.
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        changes=changes or {},
        reason=reason,
        ip_address=ip_address,
    )


def changes_between(before: dict, after: dict) -> dict:
    """The fields that differ, as {field: [before, after]}, for an entry's ``changes``."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


# Exporting an organisation's trail. Whether the person may see that trail is the caller's question:
# organisations.permissions answers it, a layer above this one, before the export starts and again
# before the file is downloaded.

def audit_export_start(*, organisation, by, filters: AuditFilters) -> Job:
    """Queue the export of ``organisation``'s trail, narrowed by ``filters``, as a background job."""
    return job_start(
        kind=EXPORT_JOB,
        title=f"Export of the audit trail of {organisation}",
        by=by,
        organisation=organisation,
        params={"filters": filters.to_params()},
    )


def audit_trail_export(*, organisation, by, filters: AuditFilters, path: Path, progress=None) -> int:
    """Write the filtered trail to ``path`` as CSV and record that it was exported. Returns the rows written.

    The file appears at ``path`` only together with its audit entry; a failure leaves neither behind.
    """
    entries = audit_entries_for_organisation(organisation=organisation, filters=filters)
    total = entries.count()
    if progress is not None:
        progress.set_total(total)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        rows = write_csv(entries.iterator(chunk_size=500), partial, total=total, progress=progress)
        described = audit_filters_described(organisation=organisation, filters=filters)
        with transaction.atomic():
            audit_record(
                actor=by,
                action=AuditAction.EXPORTED,
                target=organisation,
                acting_for=organisation,
                owner=organisation,
                changes={"rows": rows, "filters": described or "none: every entry"},
            )
            partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return rows
