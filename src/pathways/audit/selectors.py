"""Reading the audit trail: an organisation's entries, the filters over them, and the choices they offer."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from .models import AuditAction, AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    """What a manager narrowed the trail to. Dates are whole days in the local time zone, both included."""

    date_from: date | None = None
    date_to: date | None = None
    actor_id: int | None = None
    action: str = ""
    kind: str = ""  # "app_label.model" of the record touched

    def to_params(self) -> dict:
        """A JSON-safe copy, for a background job's parameters."""
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "actor_id": self.actor_id,
            "action": self.action,
            "kind": self.kind,
        }

    @classmethod
    def from_params(cls, params: dict) -> "AuditFilters":
        return cls(
            date_from=date.fromisoformat(params["date_from"]) if params.get("date_from") else None,
            date_to=date.fromisoformat(params["date_to"]) if params.get("date_to") else None,
            actor_id=params.get("actor_id"),
            action=params.get("action") or "",
            kind=params.get("kind") or "",
        )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _trail(organisation) -> QuerySet[AuditEntry]:
    """Everything done to the organisation's records or by people acting for it."""
    return AuditEntry.objects.filter(Q(owner=organisation) | Q(acting_for=organisation))


def audit_entries_for_organisation(*, organisation, filters: AuditFilters = AuditFilters()) -> QuerySet[AuditEntry]:
    """The organisation's trail, newest first, narrowed by ``filters``."""
    entries = _trail(organisation)
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.actor_id:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.kind:
        app_label, _, model = filters.kind.partition(".")
        entries = entries.filter(target_type__app_label=app_label, target_type__model=model)
    return entries.select_related("acting_for", "target_type").order_by("-at", "-id")


def _person_label(user) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


def audit_trail_people(*, organisation) -> list[tuple[int, str]]:
    """(user id, label) for everyone who appears as the actor in the organisation's trail."""
    actor_ids = _trail(organisation).exclude(actor=None).order_by().values("actor_id")
    people = get_user_model().objects.filter(pk__in=actor_ids).order_by("full_name", "email")
    return [(person.pk, _person_label(person)) for person in people]


def _kind_code(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def audit_trail_kinds(*, organisation) -> list[tuple[str, str]]:
    """("app_label.model", label) for each kind of record the organisation's trail touches."""
    type_ids = _trail(organisation).exclude(target_type=None).order_by().values("target_type_id")
    kinds = [(_kind_code(ct), ct.name.capitalize()) for ct in ContentType.objects.filter(pk__in=type_ids)]
    return sorted(kinds, key=lambda kind: kind[1])


def audit_filters_described(*, organisation, filters: AuditFilters) -> dict[str, str]:
    """The filters in words, as a person would read them in the trail or a file's audit entry."""
    described = {}
    if filters.date_from:
        described["from"] = date_format(filters.date_from, "j F Y")
    if filters.date_to:
        described["to"] = date_format(filters.date_to, "j F Y")
    if filters.actor_id:
        people = dict(audit_trail_people(organisation=organisation))
        described["person"] = people.get(filters.actor_id, f"person {filters.actor_id}")
    if filters.action:
        described["action"] = AuditAction(filters.action).label
    if filters.kind:
        kinds = dict(audit_trail_kinds(organisation=organisation))
        described["kind of record"] = kinds.get(filters.kind, filters.kind)
    return described
