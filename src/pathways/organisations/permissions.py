"""Who may do what with organisations, people, memberships, places and the shared lists.

Views, the API, commands and jobs ask these functions; templates only show what they allow.
Anything fetched for someone outside the organisation is a 404, never a hint that it exists.
"""

from django.http import Http404

from .capabilities import TYPE_REQUIREMENTS, Cap
from .models import Membership, Organisation

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
        org_type = membership.organisation.type
        caps = result.setdefault(membership.organisation_id, set())
        for capability in membership.role.capabilities.all():
            flag = TYPE_REQUIREMENTS.get(capability.code)
            if flag is None or getattr(org_type, flag):
                caps.add(capability.code)
    setattr(user, _CACHE_ATTR, result)
    return result


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


def membership_get_for_user(*, user, organisation, membership_id) -> Membership:
    membership = (
        Membership.objects.select_related("user", "role", "organisation")
        .filter(pk=membership_id, organisation=organisation)
        .first()
    )
    if membership is None or not is_member(user, organisation):
        raise Http404("No such membership")
    return membership
