"""Changing the taxonomy. Curators add, rename, retire and reinstate terms.

A term's code is made once, from its vocabulary's prefix and its first name, and never changes:
Open Referral UK and OCDS exports carry it. Retiring never deletes; old records still show the term.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError

from . import permissions
from .models import Term, Vocabulary

CODE_LENGTH = Term._meta.get_field("code").max_length
NAME_LENGTH = Term._meta.get_field("name").max_length


def _check(by) -> None:
    if not permissions.can_manage_lists(by):
        raise PermissionDenied


def _new_code(vocabulary: Vocabulary, name: str) -> str:
    base = f"{vocabulary.term_prefix}-{slugify(name)}"[: CODE_LENGTH - 4].rstrip("-")
    code, n = base, 2
    while Term.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _clean_name(*, vocabulary: Vocabulary, name: str, term: Term | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter a name for the term.", field="name")
    if len(name) > NAME_LENGTH:
        raise DomainError(f"Name must be {NAME_LENGTH} characters or fewer.", field="name")
    same = Term.objects.filter(vocabulary=vocabulary, name__iexact=name)
    if term is not None:
        same = same.exclude(pk=term.pk)
    existing = same.first()
    if existing is not None:
        state = "a retired term" if existing.is_retired else "a term"
        raise DomainError(
            f"{vocabulary.name} already has {state} called ‘{existing.name}’. Choose another name.", field="name"
        )
    return name


def _snapshot(term: Term) -> dict:
    return {"name": term.name, "description": term.description, "parent": term.parent.code if term.parent else None}


@transaction.atomic
def term_create(
    *, vocabulary: Vocabulary, name: str, description: str = "", parent: Term | None = None, by, acting_for=None
) -> Term:
    _check(by)
    name = _clean_name(vocabulary=vocabulary, name=name)
    if parent is not None:
        if parent.vocabulary_id != vocabulary.pk:
            raise DomainError(f"Choose a broader term from {vocabulary.name}.", field="parent")
        if parent.is_retired:
            raise DomainError(f"‘{parent.name}’ has been retired. Choose another broader term.", field="parent")
    last = Term.objects.filter(vocabulary=vocabulary).aggregate(last=Max("position"))["last"]
    term = Term.objects.create(
        vocabulary=vocabulary,
        code=_new_code(vocabulary, name),
        name=name,
        description=description.strip(),
        parent=parent,
        position=0 if last is None else last + 1,
    )
    audit_record(
        actor=by, action=AuditAction.CREATED, target=term, acting_for=acting_for,
        changes=changes_between({}, {"code": term.code, **_snapshot(term)}),
    )
    return term


@transaction.atomic
def term_update(*, term: Term, name: str, description: str, by, acting_for=None) -> Term:
    """Rename or describe a term. Its code stays as it was."""
    _check(by)
    before = _snapshot(term)
    term.name = _clean_name(vocabulary=term.vocabulary, name=name, term=term)
    term.description = description.strip()
    term.save(update_fields=["name", "description"])
    changes = changes_between(before, _snapshot(term))
    if changes:
        audit_record(actor=by, action=AuditAction.CHANGED, target=term, acting_for=acting_for, changes=changes)
    return term


@transaction.atomic
def term_retire(*, term: Term, reason: str, by, acting_for=None) -> Term:
    """Stop offering a term for new records. It keeps its code, and old records still show it."""
    _check(by)
    reason = reason.strip()
    if term.is_retired:
        raise DomainError(f"‘{term.name}’ is already retired.")
    if not reason:
        raise DomainError("Enter why this term is being retired.", field="reason")
    term.retired_at = timezone.now()
    term.retired_reason = reason
    term.save(update_fields=["retired_at", "retired_reason"])
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=term, acting_for=acting_for, reason=reason,
        changes={"retired": [False, True]},
    )
    return term


@transaction.atomic
def term_reinstate(*, term: Term, by, acting_for=None) -> Term:
    _check(by)
    if not term.is_retired:
        raise DomainError(f"‘{term.name}’ is not retired.")
    term.retired_at = None
    term.retired_reason = ""
    term.save(update_fields=["retired_at", "retired_reason"])
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=term, acting_for=acting_for, changes={"retired": [True, False]}
    )
    return term
