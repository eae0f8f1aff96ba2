"""The lists curators keep: places, organisation types and role titles.

Institutions change with each reform, so these are data, not code. Entries are retired, never deleted:
organisations and memberships that use a retired entry keep it, and it is no longer offered for new ones.
A type's or a role's code is made once from its first name and never changes.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, F, Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError

from . import permissions
from .capabilities import Cap
from .models import Capability, Membership, OrganisationType, Place, PlaceKind, Role

ORGANISATION_TYPE_FLAGS = ("is_voluntary_sector", "can_commission", "can_curate", "can_act_as_agency")


def _check(by) -> None:
    if not permissions.can_manage_lists(by):
        raise PermissionDenied


def _clean_name(name: str, *, model: type[models.Model], same_list: Q = Q(), instance=None, what: str) -> str:
    """The name with its spaces tidied, if no other entry in the same list has it (in any case)."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(f"Enter a name for the {what}.", field="name")
    max_length = model._meta.get_field("name").max_length
    if len(name) > max_length:
        raise DomainError(f"Name must be {max_length} characters or fewer.", field="name")
    existing = model.objects.filter(same_list, name__iexact=name)
    if instance is not None:
        existing = existing.exclude(pk=instance.pk)
    existing = existing.first()
    if existing is not None:
        state = " (retired)" if existing.is_retired else ""
        raise DomainError(
            f"There is already a {what} called ‘{existing.name}’{state}. Choose another name.", field="name"
        )
    return name


def _new_code(model: type[models.Model], name: str) -> str:
    max_length = model._meta.get_field("code").max_length
    base = slugify(name)[: max_length - 4].rstrip("-")
    code, n = base, 2
    while model.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _next_position(model: type[models.Model]) -> int:
    last = model.objects.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _curators_remain(*, without_type: OrganisationType | None = None, without_role: Role | None = None) -> bool:
    """Whether someone could still keep the shared lists without this type's or this role's curating."""
    curators = Membership.objects.current().filter(
        user__is_active=True, role__capabilities__code=Cap.CURATE, organisation__type__can_curate=True
    )
    if without_type is not None:
        curators = curators.exclude(organisation__type=without_type)
    if without_role is not None:
        curators = curators.exclude(role=without_role)
    return curators.exists()


NO_CURATORS_LEFT = "No one would be left who can keep the shared lists. Make sure someone else can curate first."


def _retire(entry, *, reason: str, by, acting_for, what: str):
    _check(by)
    reason = reason.strip()
    if entry.is_retired:
        raise DomainError(f"‘{entry.name}’ is already retired.")
    if not reason:
        raise DomainError(f"Enter why this {what} is being retired.", field="reason")
    entry.retired_at = timezone.now()
    entry.save(update_fields=["retired_at"])
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=entry, acting_for=acting_for, reason=reason,
        changes={"retired": [False, True]},
    )
    return entry


def _reinstate(entry, *, by, acting_for):
    _check(by)
    if not entry.is_retired:
        raise DomainError(f"‘{entry.name}’ is not retired.")
    entry.retired_at = None
    entry.save(update_fields=["retired_at"])
    audit_record(
        actor=by, action=AuditAction.CHANGED, target=entry, acting_for=acting_for, changes={"retired": [True, False]}
    )
    return entry


# Places -------------------------------------------------------------------------------------------

def _place_snapshot(place: Place) -> dict:
    parent = str(place.parent) if place.parent else None
    return {"kind": place.kind, "name": place.name, "code": place.code, "parent": parent}


def _clean_place(
    *, kind: str, name: str, code: str, parent: Place | None, place: Place | None = None
) -> tuple[str, str]:
    if kind not in PlaceKind.values:
        raise DomainError("Choose what kind of place this is.", field="kind")
    name = _clean_name(name, model=Place, same_list=Q(kind=kind), instance=place, what=PlaceKind(kind).label.lower())
    code = code.strip().upper()
    if len(code) > Place._meta.get_field("code").max_length:
        raise DomainError("An official code has 20 characters or fewer.", field="code")
    if parent is not None:
        if parent.is_retired and (place is None or parent.pk != place.parent_id):
            raise DomainError(f"‘{parent.name}’ has been retired. Choose another place it is part of.", field="parent")
        ancestor = parent
        while place is not None and ancestor is not None:
            if ancestor.pk == place.pk:
                raise DomainError("A place cannot be part of itself or of a place within it.", field="parent")
            ancestor = ancestor.parent
    return name, code


@transaction.atomic
def place_create(*, kind: str, name: str, code: str = "", parent: Place | None = None, by, acting_for=None) -> Place:
    _check(by)
    name, code = _clean_place(kind=kind, name=name, code=code, parent=parent)
    place = Place.objects.create(kind=kind, name=name, code=code, parent=parent)
    audit_record(
        actor=by, action=AuditAction.CREATED, target=place, acting_for=acting_for,
        changes=changes_between({}, _place_snapshot(place)),
    )
    return place


@transaction.atomic
def place_update(*, place: Place, name: str, code: str = "", parent: Place | None = None, by, acting_for=None) -> Place:
    """Rename a place, or correct its official code or the place it is part of. Its kind stays."""
    _check(by)
    before = _place_snapshot(place)
    place.name, place.code = _clean_place(kind=place.kind, name=name, code=code, parent=parent, place=place)
    place.parent = parent
    place.save(update_fields=["name", "code", "parent"])
    changes = changes_between(before, _place_snapshot(place))
    if changes:
        audit_record(actor=by, action=AuditAction.CHANGED, target=place, acting_for=acting_for, changes=changes)
    return place


@transaction.atomic
def place_retire(*, place: Place, reason: str, by, acting_for=None) -> Place:
    return _retire(place, reason=reason, by=by, acting_for=acting_for, what="place")


@transaction.atomic
def place_reinstate(*, place: Place, by, acting_for=None) -> Place:
    return _reinstate(place, by=by, acting_for=acting_for)


# Organisation types -------------------------------------------------------------------------------

def _type_snapshot(organisation_type: OrganisationType) -> dict:
    fields = ("name", "description", *ORGANISATION_TYPE_FLAGS)
    return {field: getattr(organisation_type, field) for field in fields}


@transaction.atomic
def organisation_type_create(
    *, name: str, description: str = "", is_voluntary_sector: bool = False, can_commission: bool = False,
    can_curate: bool = False, can_act_as_agency: bool = False, by, acting_for=None,
) -> OrganisationType:
    _check(by)
    name = _clean_name(name, model=OrganisationType, what="type of organisation")
    organisation_type = OrganisationType.objects.create(
        code=_new_code(OrganisationType, name), name=name, description=description.strip(),
        is_voluntary_sector=is_voluntary_sector, can_commission=can_commission, can_curate=can_curate,
        can_act_as_agency=can_act_as_agency, position=_next_position(OrganisationType),
    )
    audit_record(
        actor=by, action=AuditAction.CREATED, target=organisation_type, acting_for=acting_for,
        changes=changes_between({}, {"code": organisation_type.code, **_type_snapshot(organisation_type)}),
    )
    return organisation_type


@transaction.atomic
def organisation_type_update(
    *, organisation_type: OrganisationType, name: str, description: str, is_voluntary_sector: bool,
    can_commission: bool, can_curate: bool, can_act_as_agency: bool, by, acting_for=None,
) -> OrganisationType:
    """Rename a type or change what its organisations can do. Its code stays as it was."""
    _check(by)
    if organisation_type.can_curate and not can_curate and not _curators_remain(without_type=organisation_type):
        raise DomainError(NO_CURATORS_LEFT, field="can_curate")
    before = _type_snapshot(organisation_type)
    organisation_type.name = _clean_name(
        name, model=OrganisationType, instance=organisation_type, what="type of organisation"
    )
    organisation_type.description = description.strip()
    organisation_type.is_voluntary_sector = is_voluntary_sector
    organisation_type.can_commission = can_commission
    organisation_type.can_curate = can_curate
    organisation_type.can_act_as_agency = can_act_as_agency
    organisation_type.save()
    changes = changes_between(before, _type_snapshot(organisation_type))
    if changes:
        audit_record(
            actor=by, action=AuditAction.CHANGED, target=organisation_type, acting_for=acting_for, changes=changes
        )
    return organisation_type


@transaction.atomic
def organisation_type_retire(*, organisation_type: OrganisationType, reason: str, by, acting_for=None):
    """No longer offered for new organisations; organisations of this type keep it."""
    return _retire(organisation_type, reason=reason, by=by, acting_for=acting_for, what="type of organisation")


@transaction.atomic
def organisation_type_reinstate(*, organisation_type: OrganisationType, by, acting_for=None):
    return _reinstate(organisation_type, by=by, acting_for=acting_for)


# Roles --------------------------------------------------------------------------------------------

def _role_snapshot(role: Role) -> dict:
    return {
        "name": role.name,
        "description": role.description,
        "capabilities": sorted(role.capabilities.values_list("code", flat=True)) if role.pk else [],
    }


def _capabilities(codes: Iterable[str]) -> list[Capability]:
    codes = set(codes)
    if not codes <= set(Cap.values):
        raise DomainError("Choose what this role allows from the list.", field="capabilities")
    return list(Capability.objects.filter(code__in=codes))


@transaction.atomic
def role_create(*, name: str, description: str = "", capabilities: Iterable[str] = (), by, acting_for=None) -> Role:
    _check(by)
    name = _clean_name(name, model=Role, what="role")
    chosen = _capabilities(capabilities)
    role = Role.objects.create(
        code=_new_code(Role, name), name=name, description=description.strip(), position=_next_position(Role)
    )
    role.capabilities.set(chosen)
    audit_record(
        actor=by, action=AuditAction.CREATED, target=role, acting_for=acting_for,
        changes=changes_between({}, {"code": role.code, **_role_snapshot(role)}),
    )
    return role


@transaction.atomic
def role_update(*, role: Role, name: str, description: str, capabilities: Iterable[str], by, acting_for=None) -> Role:
    """Rename a role or change what it allows, for everyone who has it. Its code stays as it was."""
    _check(by)
    chosen = _capabilities(capabilities)
    curated = role.capabilities.filter(code=Cap.CURATE).exists()
    if curated and Cap.CURATE not in {c.code for c in chosen} and not _curators_remain(without_role=role):
        raise DomainError(NO_CURATORS_LEFT, field="capabilities")
    before = _role_snapshot(role)
    role.name = _clean_name(name, model=Role, instance=role, what="role")
    role.description = description.strip()
    role.save(update_fields=["name", "description"])
    role.capabilities.set(chosen)
    changes = changes_between(before, _role_snapshot(role))
    if changes:
        audit_record(actor=by, action=AuditAction.CHANGED, target=role, acting_for=acting_for, changes=changes)
    return role


@transaction.atomic
def role_retire(*, role: Role, reason: str, by, acting_for=None) -> Role:
    """No longer offered for new invitations; people who have the role keep it."""
    return _retire(role, reason=reason, by=by, acting_for=acting_for, what="role")


@transaction.atomic
def role_reinstate(*, role: Role, by, acting_for=None) -> Role:
    return _reinstate(role, by=by, acting_for=acting_for)


# Reading the lists --------------------------------------------------------------------------------

_CURRENT_FIRST = (F("retired_at").asc(nulls_first=True),)


def place_list(*, kind: str | None = None, include_retired: bool = False):
    places = Place.objects.select_related("parent")
    if kind is not None:
        places = places.filter(kind=kind)
    if not include_retired:
        places = places.filter(retired_at__isnull=True)
    return places.order_by("kind", *_CURRENT_FIRST, "name")


def places_by_kind(*, kind: str | None = None) -> list[tuple[PlaceKind, list[Place]]]:
    """Each kind of place (or just ``kind``) with its places, current ones first, retired ones too."""
    places = list(place_list(kind=kind, include_retired=True))
    kinds = [PlaceKind(kind)] if kind else list(PlaceKind)
    return [(k, [place for place in places if place.kind == k]) for k in kinds]


def place_parent_choices(*, place: Place | None = None) -> list[Place]:
    """The places a place may be part of: current ones other than itself, and the one it is part of now."""
    choices = place_list()
    if place is not None:
        choices = choices.exclude(pk=place.pk)
    choices = list(choices)
    if place is not None and place.parent is not None and place.parent.is_retired:
        choices.append(place.parent)
    return choices


_CURRENT_AND_RETIRED = {
    "current": Count("pk", filter=Q(retired_at__isnull=True)),
    "retired": Count("pk", filter=Q(retired_at__isnull=False)),
}


def place_counts_by_kind() -> list[dict]:
    """Each kind of place with how many current and retired places it has: {"kind", "current", "retired"}."""
    counts = {row["kind"]: row for row in Place.objects.order_by().values("kind").annotate(**_CURRENT_AND_RETIRED)}
    return [{"current": 0, "retired": 0, **counts.get(kind, {}), "kind": kind} for kind in PlaceKind]


def _counts(model: type[models.Model]) -> dict:
    return model.objects.aggregate(**_CURRENT_AND_RETIRED)


def organisation_type_counts() -> dict:
    """{"current": n, "retired": n}"""
    return _counts(OrganisationType)


def role_counts() -> dict:
    """{"current": n, "retired": n}"""
    return _counts(Role)


def organisation_type_list(*, include_retired: bool = False):
    types = OrganisationType.objects.all()
    if not include_retired:
        types = types.filter(retired_at__isnull=True)
    return types.order_by(*_CURRENT_FIRST, "position", "name")


def role_list(*, include_retired: bool = False):
    """Roles with what they allow. Without retired ones, these are the roles offered for invitations."""
    roles = Role.objects.prefetch_related("capabilities")
    if not include_retired:
        roles = roles.filter(retired_at__isnull=True)
    return roles.order_by(*_CURRENT_FIRST, "position", "name")


# Fetching an entry to change it: anyone who cannot keep the lists gets a 404 ------------------------

def place_get_for_user(*, user, place_id: int) -> Place:
    place = Place.objects.select_related("parent").filter(pk=place_id).first()
    if place is None or not permissions.can_manage_lists(user):
        raise Http404("No such place")
    return place


def organisation_type_get_for_user(*, user, code: str) -> OrganisationType:
    organisation_type = OrganisationType.objects.filter(code=code).first()
    if organisation_type is None or not permissions.can_manage_lists(user):
        raise Http404("No such type of organisation")
    return organisation_type


def role_get_for_user(*, user, code: str) -> Role:
    role = Role.objects.prefetch_related("capabilities").filter(code=code).first()
    if role is None or not permissions.can_manage_lists(user):
        raise Http404("No such role")
    return role
