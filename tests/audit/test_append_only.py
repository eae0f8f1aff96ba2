"""The audit trail is append-only: no code path changes or removes an entry, and the database refuses too."""

import pytest
from django.db import DatabaseError, connection, transaction

from pathways.audit.models import AppendOnlyError, AuditAction, AuditEntry
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.fixture
def entry(manager, charity):
    return audit_record(actor=manager, action=AuditAction.CHANGED, target=charity, owner=charity, acting_for=charity)


def test_given_an_entry_when_saved_again_then_it_is_refused(entry):
    entry.reason = "tidying up"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_given_entries_when_a_queryset_updates_them_then_it_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="tidying up")


def test_given_entries_when_bulk_updated_then_it_is_refused(entry):
    entry.reason = "tidying up"
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["reason"])


def test_given_entries_when_a_queryset_deletes_them_then_it_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_given_an_entry_when_deleted_then_it_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_given_an_entry_when_raw_sql_updates_it_then_the_database_refuses(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["tidying up", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


@pytest.mark.postgresql
@needs_postgresql
def test_given_an_entry_when_raw_sql_deletes_it_then_postgresql_refuses(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_sharing_without_a_reason_is_refused(manager, charity):
    for reason in ["", "   "]:
        with pytest.raises(DomainError, match="reason is required"):
            audit_record(actor=manager, action=AuditAction.SHARED, target=charity, owner=charity, reason=reason)
    assert not AuditEntry.objects.filter(action=AuditAction.SHARED).exists()


def test_sharing_with_a_reason_is_recorded_with_it(manager, charity):
    entry = audit_record(
        actor=manager, action=AuditAction.SHARED, target=charity, owner=charity, reason="Safeguarding concern"
    )
    assert entry.reason == "Safeguarding concern"
    assert entry.actor_label == "Morgan Manager <manager@example.org>"
