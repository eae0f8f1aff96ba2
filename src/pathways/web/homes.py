"""Each role's home page: what the signed-in person needs first, for the organisation they act for.

The home is chosen by the capabilities the person has in that organisation (``request.acting_for``).
Someone who holds several roles there gets the home of the first capability in ``HOMES``.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count

from pathways.commissioning import permissions as commissioning_permissions
from pathways.directory.models import Publication
from pathways.directory.permissions.imports import can_import
from pathways.directory.selectors.curation import curation_queue
from pathways.directory.selectors.records import services_for_provider
from pathways.organisations import permissions
from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Membership, Organisation, OrganisationType, Place, SizeBand, size_band_for
from pathways.organisations.selectors import current_members, organisation_team

NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class Home:
    capability: Cap
    template: str
    gather: Callable[..., dict]


def home_for(request) -> tuple[str, dict]:
    user, organisation = request.user, request.acting_for
    if organisation is None:
        return "web/homes/no_membership.html", {}
    capabilities = permissions.capabilities_in(user, organisation)
    memberships = list(
        Membership.objects.current()
        .filter(user=user, organisation=organisation)
        .select_related("role")
        .prefetch_related("role__capabilities")
        .order_by("role__position")
    )
    for home in HOMES:
        if home.capability in capabilities:
            role = next(
                m.role for m in memberships if any(c.code == home.capability for c in m.role.capabilities.all())
            )
            context = {"role": role, "organisation": organisation}
            return home.template, context | home.gather(user=user, organisation=organisation)
    # A role that allows nothing in this kind of organisation (a commissioner's role at a charity, say).
    context = {"role": memberships[0].role, "organisation": organisation}
    return "web/homes/member.html", context | _team(user=user, organisation=organisation)


# What each home shows ------------------------------------------------------------------------------

def _curator(*, user, organisation) -> dict:
    types = (
        OrganisationType.objects.filter(retired_at__isnull=True)
        .annotate(organisation_count=Count("organisations"))
        .order_by("position", "name")
    )
    recently_changed = Organisation.objects.select_related("type").order_by("-updated_at", "name")[:10]
    return {
        "types": [(type.name, type.organisation_count) for type in types],
        "recently_changed": list(recently_changed),
        "queue": [(section, section.items.count()) for section in curation_queue()],
    }


def _agency(*, user, organisation) -> dict:
    """Voluntary sector organisations in the agency's areas (or everywhere, if it has none) by size and type."""
    areas = list(organisation.areas.all())
    rows = list(_voluntary_sector_in(organisation, areas).values_list("annual_income", "type__name"))
    bands = Counter(size_band_for(income) for income, _ in rows)
    by_band = [(band.label, bands[band]) for band in SizeBand]
    if bands[None]:
        by_band.append((NOT_KNOWN, bands[None]))
    return {
        "areas": areas,
        "voluntary_total": len(rows),
        "by_band": by_band,
        "by_type": sorted(Counter(type_name for _, type_name in rows).items()),
    }


def _commissioner(*, user, organisation) -> dict:
    areas = list(organisation.areas.all())
    voluntary = _voluntary_sector_in(organisation, areas).select_related("type") if areas else []
    return {
        "areas": areas, "voluntary": list(voluntary),
        "can_publish": commissioning_permissions.can_publish_for(user, organisation),
    }


def _manager(*, user, organisation) -> dict:
    team = organisation_team(organisation=organisation)
    return {
        "areas": list(organisation.areas.all()),
        "team_size": len({membership.user_id for membership in team.current}),
        "waiting": team.waiting,
        "can_edit": permissions.can_edit_organisation(user, organisation),
        "can_invite": permissions.can_invite(user, organisation),
        "can_view_audit_trail": permissions.can_view_audit_trail(user, organisation),
        "can_import": can_import(user),
        "services": _services_summary(organisation),
    }


def _services_summary(organisation) -> dict:
    """The organisation's entries in the knowledge base: published, drafts, due for checking, requests waiting."""
    services = list(services_for_provider(organisation=organisation))
    return {
        "published": sum(s.publication == Publication.PUBLISHED for s in services),
        "drafts": sum(s.publication == Publication.DRAFT for s in services),
        "stale": sum(s.is_public and s.is_stale for s in services),
        "requests": sum(s.open_requests for s in services),
    }


def _evaluator(*, user, organisation) -> dict:
    interests = (
        Membership.objects.current().filter(user=user).select_related("organisation__type", "role")
        .order_by("organisation__name", "role__position")
    )
    return {"interests": list(interests)}


def _team(*, user, organisation) -> dict:
    """The colleagues in the organisation, one line each with all their roles."""
    roles_by_person = defaultdict(list)
    for membership in current_members(organisation=organisation).exclude(user=user):
        roles_by_person[membership.user].append(membership.role)
    return {"colleagues": list(roles_by_person.items())}


HOMES = [
    Home(Cap.CURATE, "web/homes/curator.html", _curator),
    Home(Cap.RUN_COMPETITIONS, "web/homes/agency.html", _agency),
    Home(Cap.COMMISSION, "web/homes/commissioner.html", _commissioner),
    Home(Cap.MANAGE_ORGANISATION, "web/homes/manager.html", _manager),
    Home(Cap.EVALUATE_BIDS, "web/homes/evaluator.html", _evaluator),
    Home(Cap.RECORD_CASEWORK, "web/homes/worker.html", _team),
    Home(Cap.RECORD_CONTACTS, "web/homes/volunteer.html", _team),
]


# Places --------------------------------------------------------------------------------------------

def _places_around(areas) -> set[int]:
    """The areas, every place inside them and every place they are part of, as ids.

    A charity that works across the region works in each probation area of it, and one that works in
    Leeds works in West Yorkshire: both overlap a commissioner for West Yorkshire.
    """
    found = {place.pk for place in areas}
    down = set(found)
    while down:  # one level of places inside per query
        down = set(Place.objects.filter(parent__in=down).values_list("pk", flat=True)) - found
        found |= down
    up = {place.parent_id for place in areas} - {None} - found
    while up:  # one level of places around per query
        found |= up
        up = set(Place.objects.filter(pk__in=up, parent__isnull=False).values_list("parent", flat=True)) - found
    return found


def _voluntary_sector_in(organisation, areas):
    """Voluntary sector organisations working in ``areas``, or all of them if there are none."""
    voluntary = Organisation.objects.filter(type__is_voluntary_sector=True).exclude(pk=organisation.pk)
    if areas:
        working_there = Organisation.objects.filter(areas__in=_places_around(areas)).values("pk")
        voluntary = voluntary.filter(pk__in=working_there)
    return voluntary.order_by("name")
