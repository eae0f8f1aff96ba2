"""Reading organisations, people and places."""

import hashlib
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Q, QuerySet

from .models import Invitation, Membership, Organisation, OrganisationType, Place, PlaceKind, Role, User

PLACE_KIND_PLURALS = {
    PlaceKind.REGION: "Regions",
    PlaceKind.PROBATION_REGION: "Probation areas and regions",
    PlaceKind.DELIVERY_UNIT: "Probation delivery units",
    PlaceKind.LOCAL_AUTHORITY: "Local authorities",
    PlaceKind.PRISON: "Prisons",
}


def organisations_for_member(*, user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__ended_at__isnull=True)
        .select_related("type")
        .distinct()
        .order_by("name")
    )


def memberships_for_user(*, user):
    return Membership.objects.current().filter(user=user).select_related("organisation__type", "role")


def organisation_list_for_search(
    *, organisations: QuerySet[Organisation], query: str = "", type: OrganisationType | None = None,
    area: Place | None = None,
) -> QuerySet[Organisation]:
    """``organisations`` whose name contains ``query``, of ``type`` and working in ``area``, by name."""
    if query:
        organisations = organisations.filter(name__icontains=query.strip())
    if type is not None:
        organisations = organisations.filter(type=type)
    if area is not None:
        organisations = organisations.filter(areas=area)
    return organisations.select_related("type").order_by("name", "pk")


def organisation_types_for_choice(*, current: OrganisationType | None = None) -> QuerySet[OrganisationType]:
    """Types in use, and ``current`` even if it has been retired, so an old record still reads."""
    keep = Q(pk=current.pk) if current is not None else Q()
    return OrganisationType.objects.filter(Q(retired_at__isnull=True) | keep)


def places_for_choice(*, kind: PlaceKind, chosen=()) -> QuerySet[Place]:
    """Places of ``kind`` that are in use, and any ``chosen`` already even if retired since."""
    return Place.objects.filter(kind=kind).filter(
        Q(retired_at__isnull=True) | Q(pk__in=[place.pk for place in chosen])
    ).order_by("name")


def areas_by_kind(*, places) -> list[tuple[str, list[Place]]]:
    """[(plural name of the kind, places)] in the order of PlaceKind, for pages that group areas."""
    order = list(PlaceKind)
    ordered = sorted(places, key=lambda place: (order.index(place.kind), place.name))
    return [
        (PLACE_KIND_PLURALS[PlaceKind(kind)], list(group))
        for kind, group in groupby(ordered, key=lambda place: place.kind)
    ]


def roles_for_invitation() -> QuerySet[Role]:
    return Role.objects.filter(retired_at__isnull=True)


def account_exists(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


# Teams ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Team:
    current: list[Membership]
    past: list[Membership]
    waiting: list[Invitation]


def current_members(*, organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(organisation=organisation)
        .select_related("user", "role")
        .order_by("user__full_name", "user__email", "role__position")
    )


def organisation_team(*, organisation) -> Team:
    past = (
        Membership.objects.filter(organisation=organisation, ended_at__isnull=False)
        .select_related("user", "role", "ended_by")
        .order_by("-ended_at")
    )
    waiting = (
        Invitation.objects.pending()
        .filter(organisation=organisation)
        .select_related("role", "invited_by")
        .order_by("expires_at")
    )
    return Team(current=list(current_members(organisation=organisation)), past=list(past), waiting=list(waiting))


# Invitations ---------------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The pending invitation for this token, or None if it is unknown, used, withdrawn or expired."""
    return (
        Invitation.objects.pending()
        .select_related("organisation", "role")
        .filter(token_hash=token_hash(token))
        .first()
    )
