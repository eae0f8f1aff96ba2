"""Writing to the audit trail. Every service that reads client data or changes state calls audit_record."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pathways.core.errors import DomainError

from .models import ACTIONS_NEEDING_REASON, AuditAction, AuditEntry


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
    action = AuditAction(action)
    if action in ACTIONS_NEEDING_REASON and not reason.strip():
        raise DomainError(f"A reason is required to record that something was {action.label.lower()}.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=_actor_label(actor),
        acting_for=acting_for,
        owner=owner,
        action=action,
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
