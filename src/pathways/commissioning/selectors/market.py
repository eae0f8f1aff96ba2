"""Reads of the market: which organisations an opportunity matches, interest, the partner finder, the
approved list, invitations and consortia.

Matching, used by alerts, digests, invitations and the partner finder:
- pathways overlap, and no pathways on either side means any;
- areas overlap, where a place matches the places it is part of and the places within it (a region
  matches the local authorities in it, and a local authority the region around it); none means anywhere;
- value ranges overlap, an end left empty being open.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Membership, Organisation, Place

from ..models import (
    ApprovalStatus,
    ApprovedListEntry,
    Consortium,
    Interest,
    InterestProfile,
    Notification,
    Opportunity,
    OpportunityStatus,
    Procedure,
)
from .opportunities import PATHWAYS_VOCABULARY, with_current_status

# Interest is registered, and alerts sent, only while an opportunity can still lead to a bid.
INTEREST_STATUSES = frozenset({OpportunityStatus.FORTHCOMING, OpportunityStatus.OPEN})


# Places --------------------------------------------------------------------------------------------------

def _place_tree() -> dict[int, int | None]:
    return dict(Place.objects.values_list("pk", "parent_id"))


def places_around(place_ids, tree: dict[int, int | None] | None = None) -> set[int]:
    """The places, every place they are part of, and every place within them."""
    tree = tree if tree is not None else _place_tree()
    children: dict[int, list[int]] = {}
    for pk, parent in tree.items():
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    result: set[int] = set()
    for start in place_ids:
        result.add(start)
        parent = tree.get(start)
        while parent is not None and parent not in result:
            result.add(parent)
            parent = tree.get(parent)
        frontier = [start]
        while frontier:
            nxt = [child for pk in frontier for child in children.get(pk, []) if child not in result]
            result.update(nxt)
            frontier = nxt
    return result


# Matching ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """What an opportunity (or a profile, or an approved-list entry) covers, ready to compare."""

    terms: frozenset[int]
    areas: frozenset[int]
    value_minimum: int | None = None
    value_maximum: int | None = None


def opportunity_scope(opportunity: Opportunity) -> Scope:
    return Scope(
        terms=frozenset(opportunity.terms.values_list("pk", flat=True)),
        areas=frozenset(opportunity.areas.values_list("pk", flat=True)),
        value_minimum=opportunity.value_minimum, value_maximum=opportunity.value_maximum,
    )


def _terms_overlap(a: frozenset, b: frozenset) -> bool:
    return not a or not b or bool(a & b)


def _areas_overlap(a: frozenset, b: frozenset, tree) -> bool:
    return not a or not b or bool(places_around(a, tree) & b)


def _values_overlap(a: Scope, b: Scope) -> bool:
    if a.value_minimum is not None and b.value_maximum is not None and b.value_maximum < a.value_minimum:
        return False
    if a.value_maximum is not None and b.value_minimum is not None and b.value_minimum > a.value_maximum:
        return False
    return True


def scopes_match(wanted: Scope, offered: Scope, *, tree=None, values=True) -> bool:
    tree = tree if tree is not None else _place_tree()
    return (
        _terms_overlap(wanted.terms, offered.terms)
        and _areas_overlap(wanted.areas, offered.areas, tree)
        and (not values or _values_overlap(wanted, offered))
    )


def profile_scope(profile: InterestProfile) -> Scope:
    return Scope(
        terms=frozenset(term.pk for term in profile.terms.all()),
        areas=frozenset(place.pk for place in profile.areas.all()),
        value_minimum=profile.value_minimum, value_maximum=profile.value_maximum,
    )


def profile_matches(*, profile: InterestProfile, opportunity: Opportunity) -> bool:
    return scopes_match(profile_scope(profile), opportunity_scope(opportunity))


def profiles_matching(*, opportunity: Opportunity, frequency: str | None = None) -> list[InterestProfile]:
    """Interest profiles that want to hear about ``opportunity`` (never the buyer's or the agency's own)."""
    profiles = InterestProfile.objects.select_related("organisation").prefetch_related("terms", "areas").exclude(
        organisation_id__in=[pk for pk in (opportunity.buyer_id, opportunity.agency_id) if pk]
    )
    if frequency is not None:
        profiles = profiles.filter(frequency=frequency)
    offered = opportunity_scope(opportunity)
    tree = _place_tree()
    return [profile for profile in profiles if scopes_match(profile_scope(profile), offered, tree=tree)]


def opportunities_for_alerts(*, now=None) -> QuerySet[Opportunity]:
    """Published opportunities that are forthcoming or open now, and that anyone may bid for: a
    mini-competition reaches the approved list by invitation, not by alerts to organisations that could not
    take part."""
    now = now or timezone.now()
    return with_current_status(Opportunity.objects.published(), now).filter(
        current__in=list(INTEREST_STATUSES)
    ).exclude(procedure=Procedure.MINI_COMPETITION).select_related("buyer", "agency").order_by("published_at", "pk")


def interest_profile_for(*, organisation) -> InterestProfile | None:
    return InterestProfile.objects.prefetch_related("terms", "areas").filter(organisation=organisation).first()


def recipients_for(organisation: Organisation) -> list[str]:
    """Whom an organisation's emails about opportunities go to: its managers, or its own address."""
    emails = sorted({
        membership.user.email
        for membership in Membership.objects.current().filter(
            organisation=organisation, role__capabilities__code=Cap.MANAGE_ORGANISATION, user__is_active=True,
        ).select_related("user")
    })
    if emails:
        return emails
    return [organisation.email] if organisation.email else []


# Interest -----------------------------------------------------------------------------------------------

def interest_for(*, opportunity: Opportunity, organisation) -> Interest | None:
    return Interest.objects.filter(opportunity=opportunity, organisation=organisation).first()


def interests_for_organisation(*, organisation) -> QuerySet[Interest]:
    return Interest.objects.filter(organisation=organisation).select_related("opportunity").order_by("-registered_at")


def interest_count(*, opportunity: Opportunity) -> int:
    return Interest.objects.filter(opportunity=opportunity).count()


def interests_for_opportunity(*, opportunity: Opportunity) -> QuerySet[Interest]:
    return Interest.objects.filter(opportunity=opportunity).select_related("organisation", "registered_by").order_by(
        "organisation__name"
    )


@dataclass
class Told:
    channel: str
    label: str
    organisations: list = field(default_factory=list)


def who_was_told(*, opportunity: Opportunity) -> list[Told]:
    """For each channel, the organisations told about ``opportunity``, by name."""
    groups = {channel: Told(channel, label) for channel, label in Notification.Channel.choices}
    for notification in Notification.objects.filter(opportunity=opportunity).select_related("organisation").order_by(
        "organisation__name"
    ):
        groups[notification.channel].organisations.append(
            {"organisation": notification.organisation, "sent_at": notification.sent_at}
        )
    return list(groups.values())


# The partner finder ---------------------------------------------------------------------------------------

@dataclass
class Reach:
    """What an organisation works on and where, from its directory services and its interest profile."""

    terms: dict[int, str]
    areas: dict[int, str]


def reach_of(organisation: Organisation) -> Reach:
    from pathways.directory.models import Publication, Service

    terms: dict[int, str] = {}
    areas: dict[int, str] = {}
    services = Service.objects.filter(organisation=organisation, publication=Publication.PUBLISHED).prefetch_related(
        "terms__vocabulary", "areas"
    )
    for service in services:
        for term in service.terms.all():
            if term.vocabulary.code == PATHWAYS_VOCABULARY:
                terms[term.pk] = term.name
        for place in service.areas.all():
            areas[place.pk] = place.name
    profile = interest_profile_for(organisation=organisation)
    if profile is not None:
        terms.update({term.pk: term.name for term in profile.terms.all()})
        areas.update({place.pk: place.name for place in profile.areas.all()})
    areas.update({place.pk: place.name for place in organisation.areas.all()})
    return Reach(terms=terms, areas=areas)


@dataclass
class Partner:
    organisation: Organisation
    score: int
    reasons: list[str]
    interested: bool
    open_to_partners: bool


def _covered(place_id: int, reach_areas, tree) -> bool:
    return bool(places_around([place_id], tree) & set(reach_areas))


def partners_for(*, opportunity: Opportunity, organisation: Organisation) -> list[Partner]:
    """Organisations that chose to be found for ``opportunity`` (interest visible to partners, or a profile open
    to partners), ranked by the pathways and areas of the opportunity they cover that ``organisation`` lacks."""
    excluded = {organisation.pk, opportunity.buyer_id, opportunity.agency_id}
    interested = set(
        Interest.objects.filter(opportunity=opportunity, visible_to_partners=True).values_list("organisation_id", flat=True)
    )
    open_ids = set(InterestProfile.objects.filter(open_to_partners=True).values_list("organisation_id", flat=True))
    candidates = Organisation.objects.filter(pk__in=(interested | open_ids) - excluded).select_related("type")
    wanted_terms = {term.pk: term.name for term in opportunity.terms.all()}
    wanted_areas = {place.pk: place.name for place in opportunity.areas.all()}
    tree = _place_tree()
    mine = reach_of(organisation)
    lacking_terms = {pk: name for pk, name in wanted_terms.items() if pk not in mine.terms}
    lacking_areas = {pk: name for pk, name in wanted_areas.items() if not _covered(pk, mine.areas, tree)}
    partners = []
    for candidate in candidates:
        theirs = reach_of(candidate)
        reasons, score = [], 0
        new_terms = sorted(name for pk, name in lacking_terms.items() if pk in theirs.terms)
        if not wanted_terms:
            new_terms = sorted(name for pk, name in theirs.terms.items() if pk not in mine.terms)
        if new_terms:
            score += 2 * len(new_terms)
            reasons.append(f"Works on {', '.join(new_terms)}, which your organisation does not")
        new_areas = sorted(name for pk, name in lacking_areas.items() if _covered(pk, theirs.areas, tree))
        if new_areas:
            score += 2 * len(new_areas)
            reasons.append(f"Works in {', '.join(new_areas)}, where your organisation does not")
        shared = sorted(name for pk, name in wanted_terms.items() if pk in theirs.terms and pk in mine.terms)
        if shared:
            score += 1
            reasons.append(f"Also works on {', '.join(shared)}")
        is_interested = candidate.pk in interested
        if is_interested:
            score += 1
            reasons.append("Has registered interest in this opportunity")
        if candidate.pk in open_ids:
            reasons.append("Is open to partnerships")
        partners.append(Partner(candidate, score, reasons, is_interested, candidate.pk in open_ids))
    partners.sort(key=lambda partner: (-partner.score, partner.organisation.name.lower()))
    return partners


# The approved list --------------------------------------------------------------------------------------

def agencies_for_choice() -> QuerySet[Organisation]:
    return Organisation.objects.filter(type__can_act_as_agency=True).select_related("type").order_by("name")


def applications_for(*, organisation) -> QuerySet[ApprovedListEntry]:
    return ApprovedListEntry.objects.filter(organisation=organisation).select_related("agency").order_by("-pk")


def approved_list_for_agency(*, agency, statuses=None) -> QuerySet[ApprovedListEntry]:
    """Applications sent to ``agency`` (never drafts): waiting ones first."""
    entries = ApprovedListEntry.objects.filter(agency=agency, submitted_at__isnull=False).select_related(
        "organisation", "reviewed_by"
    ).prefetch_related("terms", "areas")
    if statuses:
        entries = entries.filter(status__in=list(statuses))
    return entries.order_by("status", "organisation__name", "pk")


def entry_is_current(entry: ApprovedListEntry, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return entry.status == ApprovalStatus.APPROVED and (entry.expires_on is None or entry.expires_on >= today)


def approved_entries_in_scope(*, opportunity: Opportunity, today: date | None = None) -> list[ApprovedListEntry]:
    """Approved, unexpired entries whose pathways and areas match the opportunity: on its agency's list if it
    has one, on any agency's list otherwise. The buyer and the agency are never among them."""
    today = today or timezone.localdate()
    entries = ApprovedListEntry.objects.filter(status=ApprovalStatus.APPROVED).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    ).exclude(organisation_id__in=[pk for pk in (opportunity.buyer_id, opportunity.agency_id) if pk]).select_related(
        "organisation"
    ).prefetch_related("terms", "areas").order_by("organisation__name", "pk")
    if opportunity.agency_id is not None:
        entries = entries.filter(agency_id=opportunity.agency_id)
    offered = opportunity_scope(opportunity)
    tree = _place_tree()
    result, seen = [], set()
    for entry in entries:
        scope = Scope(terms=frozenset(t.pk for t in entry.terms.all()), areas=frozenset(p.pk for p in entry.areas.all()))
        if entry.organisation_id not in seen and scopes_match(scope, offered, tree=tree, values=False):
            seen.add(entry.organisation_id)
            result.append(entry)
    return result


def was_invited(*, opportunity: Opportunity, organisation) -> bool:
    return Notification.objects.filter(
        opportunity=opportunity, organisation=organisation, channel=Notification.Channel.INVITATION
    ).exists()


# Consortia ----------------------------------------------------------------------------------------------

def consortia_for_user(*, user, opportunity: Opportunity) -> QuerySet[Consortium]:
    from pathways.organisations.permissions import member_organisation_ids

    ids = member_organisation_ids(user)
    return Consortium.objects.filter(opportunity=opportunity).filter(
        Q(lead_id__in=ids) | Q(members__organisation_id__in=ids)
    ).distinct().select_related("lead").order_by("name", "pk")


def consortium_members(consortium: Consortium) -> list:
    """The lead first, then members, then subcontractors, each by name."""
    order = {"lead": 0, "member": 1, "subcontractor": 2}
    return sorted(consortium.members.select_related("organisation"),
                  key=lambda member: (order.get(member.role, 3), member.organisation.name.lower()))


def value_share_total(consortium: Consortium) -> int:
    return sum(member.share_of_value_percent for member in consortium.members.all())


def work_share_total(consortium: Consortium) -> int:
    return sum(member.share_of_work_percent for member in consortium.members.all())


def consortium_ready(consortium: Consortium) -> bool:
    """Ready to bid: two or more organisations, value shares adding up to 100, every member agreed and the
    agreement recorded."""
    members = list(consortium.members.all())
    return (
        len(members) >= 2
        and sum(member.share_of_value_percent for member in members) == 100
        and all(member.agreed_at is not None for member in members)
        and consortium.agreement_recorded_at is not None
    )


def consortia_led_by(organisation, opportunity) -> QuerySet[Consortium]:
    return Consortium.objects.filter(opportunity=opportunity, lead=organisation).order_by("name", "pk")
