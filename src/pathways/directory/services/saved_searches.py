"""Saved searches and their email alerts.

Anyone signed in can keep a search with a name, rename it, change how often it emails them, and delete
it. The alert run (a background job, every morning) emails each owner whose search is due the services
that match it and were first published since its last alert, then moves the search's mark on.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError
from pathways.core.mail import email_after_commit
from pathways.jobs.services import job_start

from ..models import AlertFrequency, SavedSearch
from ..permissions.search import can_manage_saved_search, can_save_search
from ..selectors.search import saved_search_conditions, service_search_with

ALERTS_JOB = "directory.search_alerts"
MAX_SAVED = 50
SERVICES_IN_AN_EMAIL = 20
# A little slack, so that a run a few minutes early the next day still counts as a day later.
DUE_AFTER = {AlertFrequency.DAILY: timedelta(hours=23), AlertFrequency.WEEKLY: timedelta(days=6, hours=23)}


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the search", field="name")
    if len(name) > 120:
        raise DomainError("The name must be 120 characters or fewer", field="name")
    return name


def _clean_frequency(frequency: str) -> str:
    if frequency not in AlertFrequency.values:
        raise DomainError("Choose how often to be emailed", field="frequency")
    return frequency


@transaction.atomic
def saved_search_create(*, user, name: str, query: str, frequency: str = AlertFrequency.WEEKLY) -> SavedSearch:
    """Keep the search (its address parameters) under a name. Alerts count from now."""
    if not can_save_search(user):
        raise PermissionDenied
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED:
        raise DomainError(f"You can keep up to {MAX_SAVED} searches. Delete one you no longer need first.")
    saved_search = SavedSearch.objects.create(
        user=user, name=_clean_name(name), query=(query or "")[:2000], frequency=_clean_frequency(frequency),
        created_at=timezone.now(),
    )
    audit_record(actor=user, action=AuditAction.CREATED, target=saved_search)
    return saved_search


@transaction.atomic
def saved_search_update(*, saved_search: SavedSearch, by, name: str, frequency: str) -> SavedSearch:
    if not can_manage_saved_search(by, saved_search):
        raise PermissionDenied
    before = {"name": saved_search.name, "frequency": saved_search.frequency}
    saved_search.name = _clean_name(name)
    saved_search.frequency = _clean_frequency(frequency)
    saved_search.save(update_fields=["name", "frequency"])
    after = {"name": saved_search.name, "frequency": saved_search.frequency}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        audit_record(actor=by, action=AuditAction.CHANGED, target=saved_search, changes=changes)
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, by) -> None:
    if not can_manage_saved_search(by, saved_search):
        raise PermissionDenied
    audit_record(actor=by, action=AuditAction.REMOVED, target=saved_search)
    saved_search.delete()


# Alerts -----------------------------------------------------------------------------------------------

def saved_search_alerts_start(*, by=None):
    """Queue the alert run as a background job (the morning schedule and `pathways send_search_alerts`)."""
    return job_start(kind=ALERTS_JOB, title="Emails about new services for saved searches", by=by)


def saved_search_alerts_send(*, now: datetime | None = None, progress=None) -> dict[str, int]:
    """Email the owner of every due saved search about services first published since its last alert.

    Each search is handled in its own transaction, so one that fails does not hold back the others;
    its mark moves on only when its email has been handed over.
    """
    now = now or timezone.now()
    due = [
        saved_search for saved_search in SavedSearch.objects.exclude(frequency=AlertFrequency.NEVER)
        .filter(user__is_active=True).select_related("user").order_by("pk")
        if _is_due(saved_search, now)
    ]
    if progress:
        progress.set_total(len(due))
    emailed = 0
    for done, saved_search in enumerate(due, start=1):
        if _alert_one(saved_search, now):
            emailed += 1
        if progress:
            progress.advance(done)
    return {"searches": len(due), "emails": emailed}


def _is_due(saved_search: SavedSearch, now: datetime) -> bool:
    last = saved_search.last_alerted_at
    return last is None or now - last >= DUE_AFTER[AlertFrequency(saved_search.frequency)]


@transaction.atomic
def _alert_one(saved_search: SavedSearch, now: datetime) -> bool:
    since = saved_search.last_alerted_at or saved_search.created_at
    conditions = saved_search_conditions(saved_search.query)
    results = service_search_with(
        **conditions, page=1, per_page=SERVICES_IN_AN_EMAIL, now=now, published_since=since,
    )
    SavedSearch.objects.filter(pk=saved_search.pk).update(last_alerted_at=now)
    if not results.total:
        return False
    base = settings.SITE_URL.rstrip("/")
    search_link = base + reverse("directory:search") + (f"?{saved_search.query}" if saved_search.query else "")
    body = render_to_string("directory/search/email/alert.txt", {
        "saved_search": saved_search,
        "total": results.total,
        "services": [
            {"name": hit.service.name, "organisation": hit.service.organisation.name,
             "link": base + reverse("directory:service", kwargs={"service_id": hit.service.uuid})}
            for hit in results.hits
        ],
        "more": results.total - len(results.hits),
        "search_link": search_link,
        "manage_link": base + reverse("directory:saved-searches"),
    })
    noun = "service" if results.total == 1 else "services"
    subject = f"{results.total} new {noun} for your saved search “{saved_search.name}”"
    email_after_commit(subject=subject, body=body, recipients=[saved_search.user.email])
    audit_record(actor=None, action=AuditAction.CHANGED, target=saved_search,
                 changes={"alert": [None, f"emailed to its owner about {results.total} new {noun}"]})
    return True
