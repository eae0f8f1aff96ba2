"""Reading the good-practice bank.

Areas match along the chain of places both ways: a write-up about West Yorkshire is found for Leeds
(it covers Leeds) and a write-up about Leeds is found for West Yorkshire (Leeds is in it).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Place
from pathways.taxonomy.models import Term

from ..models import GoodPractice, GoodPracticeStatus, Publication, Service
from .provision import PATHWAYS_VOCABULARY, PlaceTree


def _related_places(place_ids, tree: PlaceTree | None = None) -> set[int]:
    """The places, everything inside them and everything above them."""
    tree = tree or PlaceTree()
    related: set[int] = set()
    for pk in place_ids:
        related |= tree.within(pk)
        related.update(tree.ancestors(pk))
    return related


def _published() -> QuerySet[GoodPractice]:
    return GoodPractice.objects.filter(status=GoodPracticeStatus.PUBLISHED)


def good_practice_list_published(
    *, query: str = "", pathway: Term | None = None, area: Place | None = None, evidence_strength: str = ""
) -> QuerySet[GoodPractice]:
    """Published write-ups whose text has every word of ``query``, on ``pathway``, about ``area`` (or a
    place inside or around it), with evidence of ``evidence_strength``; newest first."""
    matching = _published()
    for word in query.split():
        matching = matching.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
            | Q(evidence__icontains=word)
        )
    if pathway is not None:
        matching = matching.filter(terms=pathway)
    if area is not None:
        matching = matching.filter(areas__in=_related_places([area.pk]))
    if evidence_strength:
        matching = matching.filter(evidence_strength=evidence_strength)
    return (
        GoodPractice.objects.filter(pk__in=matching.values("pk"))
        .select_related("organisation")
        .prefetch_related("terms", "areas")
        .order_by("-published_at", "-pk")
    )


def good_practice_for_service(*, service: Service, limit: int = 3) -> list[GoodPractice]:
    """Published write-ups to show beside a service: those linked to it first, then those that share
    one of its pathways and one of its areas (or a place inside or around them); newest first."""
    pathway_ids = list(service.terms.filter(vocabulary__code=PATHWAYS_VOCABULARY).values_list("pk", flat=True))
    area_ids = list(service.areas.values_list("pk", flat=True))
    matches = Q(services=service)
    if pathway_ids and area_ids:
        matches |= Q(terms__in=pathway_ids, areas__in=_related_places(area_ids))
    linked = GoodPractice.services.through.objects.filter(goodpractice_id=OuterRef("pk"), service_id=service.pk)
    return list(
        GoodPractice.objects.filter(pk__in=_published().filter(matches).values("pk"))
        .annotate(linked=Exists(linked))
        .select_related("organisation")
        .order_by("-linked", "-published_at", "-pk")[:limit]
    )


def good_practice_for_member(*, user) -> QuerySet[GoodPractice]:
    """Every write-up of the organisations the person belongs to, latest change first."""
    return (
        GoodPractice.objects.filter(organisation_id__in=org_permissions.member_organisation_ids(user))
        .select_related("organisation", "author")
        .order_by("-updated_at", "-pk")
    )


def good_practice_review_queue() -> QuerySet[GoodPractice]:
    """Write-ups waiting for a curator, oldest first."""
    return (
        GoodPractice.objects.filter(status=GoodPracticeStatus.SUBMITTED)
        .select_related("organisation", "author")
        .order_by("updated_at", "pk")
    )


def good_practice_services_for_user(*, good_practice: GoodPractice, user) -> list[Service]:
    """The write-up's services that the person may see: published ones, and their own organisations'."""
    visible = Q(publication=Publication.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        visible |= Q(organisation_id__in=org_permissions.member_organisation_ids(user))
        if org_permissions.can_curate(user):
            visible = Q()
    return list(good_practice.services.filter(visible).select_related("organisation").order_by("name", "pk"))


def good_practice_linkable_services(*, organisation, chosen=()) -> QuerySet[Service]:
    """The services a write-up of ``organisation`` can be linked to in its form: the organisation's own,
    and any already linked."""
    return (
        Service.objects.filter(Q(organisation=organisation) | Q(pk__in=[s.pk for s in chosen]))
        .select_related("organisation")
        .order_by("name", "pk")
    )


def pathways_for_choice() -> QuerySet[Term]:
    return Term.objects.current().filter(vocabulary__code=PATHWAYS_VOCABULARY).order_by("position", "name")
