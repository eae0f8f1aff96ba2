"""The curator's queue: what needs checking, oldest first."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from pathways.audit.models import AuditEntry

from ..models import ChangeRequest, CheckMethod, Publication, Service
from .records import DUE_AFTER, change_requests_open

# An open change request older than this is overdue: the curator follows it up with the provider.
CHANGE_REQUEST_OVERDUE_AFTER = timedelta(days=14)
# A record published within this time is new: a curator looks it over.
NEWLY_PUBLISHED_WITHIN = timedelta(days=30)


def services_due_for_checking(*, now: datetime | None = None) -> QuerySet[Service]:
    """Published records that are stale or nearly so (from the first reminder), never-checked and oldest first."""
    now = now or timezone.now()
    return (
        Service.objects.filter(publication=Publication.PUBLISHED)
        .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - DUE_AFTER))
        .select_related("organisation", "last_checked_by")
        .order_by("last_checked_at", "name", "pk")
    )


def _verified_by_a_curator():
    """A curator's verification as ``service_mark_checked`` writes it in the audit trail."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Service),
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
        changes__last_check_method__1=CheckMethod.CURATOR_VERIFIED.value,
    )


def services_never_verified() -> QuerySet[Service]:
    """Published records no curator has ever verified, the longest published first."""
    return (
        Service.objects.filter(publication=Publication.PUBLISHED)
        .exclude(last_check_method=CheckMethod.CURATOR_VERIFIED)
        .exclude(Exists(_verified_by_a_curator()))
        .select_related("organisation", "last_checked_by")
        .order_by("first_published_at", "created_at", "pk")
    )


def change_requests_overdue(*, now: datetime | None = None) -> QuerySet[ChangeRequest]:
    now = now or timezone.now()
    return change_requests_open().filter(created_at__lte=now - CHANGE_REQUEST_OVERDUE_AFTER)


def services_newly_published(*, now: datetime | None = None) -> QuerySet[Service]:
    now = now or timezone.now()
    return (
        Service.objects.filter(publication=Publication.PUBLISHED, first_published_at__gte=now - NEWLY_PUBLISHED_WITHIN)
        .select_related("organisation", "last_checked_by")
        .order_by("-first_published_at", "pk")
    )


@dataclass(frozen=True)
class QueueSection:
    slug: str
    title: str
    description: str
    empty: str
    items: QuerySet
    kind: str  # "services" or "requests"


def curation_queue(*, now: datetime | None = None) -> list[QueueSection]:
    """The four lists of the curator's queue, each a queryset that pages and counts."""
    now = now or timezone.now()
    overdue_days = CHANGE_REQUEST_OVERDUE_AFTER.days
    return [
        QueueSection(
            "due", "Out of date or due for checking",
            "Published records last checked more than 10 months ago, the oldest first. "
            "Providers are reminded at 10, 11 and 12 months.",
            "Every published record has been checked in the last 10 months.",
            services_due_for_checking(now=now), "services",
        ),
        QueueSection(
            "unverified", "Never verified by a curator",
            "Published records that no curator has verified yet, the longest published first.",
            "A curator has verified every published record.",
            services_never_verified(), "services",
        ),
        QueueSection(
            "requests", f"Change requests waiting more than {overdue_days} days",
            "Reports and suggestions the provider has not decided, the oldest first.",
            f"No change request has waited more than {overdue_days} days.",
            change_requests_overdue(now=now), "requests",
        ),
        QueueSection(
            "new", "Newly published",
            f"Records published in the last {NEWLY_PUBLISHED_WITHIN.days} days, the newest first.",
            f"Nothing has been published in the last {NEWLY_PUBLISHED_WITHIN.days} days.",
            services_newly_published(now=now), "services",
        ),
    ]


def curation_section(*, slug: str, now: datetime | None = None) -> QueueSection | None:
    return next((section for section in curation_queue(now=now) if section.slug == slug), None)
