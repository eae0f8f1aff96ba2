"""Who may do what with organisations, people, memberships, places and the shared lists.

Views, the API, commands and jobs ask these functions; templates only show what they allow.
Anything fetched for someone outside the organisation is a 404, never a hint that it exists.
"""

from django.db.models import QuerySet
from django.http import Http404

from .capabilities import TYPE_REQUIREMENTS, Cap
from .models import Invitation, Membership, Organisation

_CACHE_ATTR = "_pathways_capabilities"


def _capability_map(user) -> dict[int, set[str]]:
    """{organisation id: capabilities} from the user's current memberships, cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    result: dict[int, set[str]] = {}
    memberships = (
        Membership.objects.current()
        .filter(user=user)
        .select_related("organisation__type")
        .prefetch_related("role__capabilities")
    )
    for membership in memberships:
        result.setdefault(membership.organisation_id, set()).update(capabilities_of(membership))
    setattr(user, _CACHE_ATTR, result)
    return result


def capabilities_of(membership: Membership) -> set[str]:
    """What the membership's role allows, less what the organisation's type does not let it do."""
    org_type = membership.organisation.type
    return {
        capability.code
        for capability in membership.role.capabilities.all()
        if (flag := TYPE_REQUIREMENTS.get(capability.code)) is None or getattr(org_type, flag)
    }


def forget_cached_capabilities(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def capabilities_in(user, organisation) -> set[str]:
    if organisation is None:
        return set()
    return _capability_map(user).get(organisation.pk, set())


def has_capability(user, capability: Cap, organisation=None) -> bool:
    """In ``organisation`` if given, otherwise in any organisation the user currently belongs to."""
    caps = _capability_map(user)
    if organisation is not None:
        return capability in caps.get(organisation.pk, set())
    return any(capability in org_caps for org_caps in caps.values())


def is_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in _capability_map(user)


def member_organisation_ids(user) -> set[int]:
    return set(_capability_map(user))


# Organisations ------------------------------------------------------------------------------------

def can_curate(user) -> bool:
    return has_capability(user, Cap.CURATE)


def can_list_organisations(user) -> bool:
    """Only curators browse every organisation; everyone else reaches their own through navigation."""
    return can_curate(user)


def can_view_organisation(user, organisation) -> bool:
    return is_member(user, organisation) or can_curate(user)


def can_manage_organisation(user, organisation) -> bool:
    return has_capability(user, Cap.MANAGE_ORGANISATION, organisation)


def can_edit_organisation(user, organisation) -> bool:
    return can_manage_organisation(user, organisation) or can_curate(user)


def can_create_organisation(user) -> bool:
    return can_curate(user)


def can_view_members(user, organisation) -> bool:
    return is_member(user, organisation)


def can_invite(user, organisation) -> bool:
    return can_manage_organisation(user, organisation)


def can_end_membership(user, membership: Membership) -> bool:
    """Managers end anyone's membership of their organisation; everyone can leave themselves."""
    if not membership.is_current:
        return False
    return membership.user_id == user.pk or can_manage_organisation(user, membership.organisation)


def can_view_audit_trail(user, organisation) -> bool:
    return has_capability(user, Cap.VIEW_AUDIT_TRAIL, organisation)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Curators see every organisation; everyone else sees the ones they belong to now."""
    organisations = Organisation.objects.select_related("type").prefetch_related("areas")
    if can_curate(user):
        return organisations
    return organisations.filter(pk__in=member_organisation_ids(user))


# Managed lists: places, organisation types, roles -------------------------------------------------

def can_manage_lists(user) -> bool:
    return can_curate(user)


# Fetch and authorise in one call ------------------------------------------------------------------

def organisation_get_for_member(*, user, slug: str, check=is_member) -> Organisation:
    """The organisation, if ``check(user, organisation)`` holds; otherwise 404 (for a bad slug too)."""
    organisation = Organisation.objects.select_related("type").filter(slug=slug).first()
    if organisation is None or not check(user, organisation):
        raise Http404("No such organisation")
    return organisation


def membership_get_for_user(*, user, organisation, membership_id, current_only=False) -> Membership:
    """A membership of ``organisation``, for one of its members; otherwise 404 (for a bad id too)."""
    memberships = Membership.objects.current() if current_only else Membership.objects.all()
    membership = (
        memberships.select_related("user", "role", "organisation")
        .filter(pk=membership_id, organisation=organisation)
        .first()
    )
    if membership is None or not is_member(user, organisation):
        raise Http404("No such membership")
    return membership


def invitation_get_for_user(*, user, organisation, invitation_id) -> Invitation:
    """A waiting invitation to ``organisation``, for one of its members; otherwise 404."""
    invitation = (
        Invitation.objects.pending()
        .select_related("organisation", "role")
        .filter(pk=invitation_id, organisation=organisation)
        .first()
    )
    if invitation is None or not is_member(user, organisation):
        raise Http404("No such invitation")
    return invitation
