"""The provision map: for each resettlement pathway and each area, how many services there are, how
fresh their records are, and where the gaps are (Key Recommendation 1, "a regional perspective").

Only published services that are running (or closed for a while) count, so every figure is built from
public facts and the map is public too. A service counts for each area it serves and for every area
above it: a service in Leeds counts for West Yorkshire and for the region. A service recorded only for
a wider area (the whole region, say) counts for that wider area, not for each area inside it, which is
how the directory's area facet works as well.

Counting is done by the database in a fixed number of queries (four on SQLite, six on PostgreSQL),
whatever the number of pathways, areas or services. At 100,000 services that takes a second or
more, so pages and the API read ``provision_map_cached``: the same map is kept for a few minutes, and
made again as soon as any service, place or term changes.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone

from pathways.organisations.models import Place, PlaceKind
from pathways.taxonomy.models import Term

from ..models import STALE_AFTER, Publication, Service, ServiceStatus

PATHWAYS_VOCABULARY = "pathways"
CACHE_SECONDS = 600
DEFAULT_LEVEL = PlaceKind.PROBATION_REGION
# Services in these states are provision; inactive and defunct ones are not.
RUNNING = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)

GAP = "gap"
STALE = "stale"
COVERED = "covered"
STATUS_LABELS = {
    GAP: "Gap: no services",
    STALE: "Gap: no record checked in the last 12 months",
    COVERED: "",
}


@dataclass(frozen=True)
class Figures:
    """How many services, and how many of them were checked in the last 12 months."""

    services: int = 0
    fresh: int = 0

    @property
    def stale(self) -> int:
        return self.services - self.fresh

    @property
    def fresh_percent(self) -> int | None:
        """The share checked in the last 12 months, as a whole percentage; None when there are none."""
        return round(100 * self.fresh / self.services) if self.services else None

    @property
    def status(self) -> str:
        if not self.services:
            return GAP
        if not self.fresh:
            return STALE
        return COVERED

    @property
    def is_gap(self) -> bool:
        """No services, or only services whose records nobody has checked for 12 months."""
        return self.status != COVERED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Cell(Figures):
    pathway: Term = None
    area: Place = None


@dataclass(frozen=True)
class Row:
    pathway: Term
    cells: list[Cell]
    total: Figures


@dataclass(frozen=True)
class ProvisionMap:
    level: str
    within: Place | None
    areas: list[Place]
    rows: list[Row]
    area_totals: list[Figures]
    total: Figures
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def level_label(self) -> str:
        return PlaceKind(self.level).label

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]

    @property
    def gap_count(self) -> int:
        return sum(1 for cell in self.cells if cell.status == GAP)

    @property
    def stale_count(self) -> int:
        return sum(1 for cell in self.cells if cell.status == STALE)


# Places --------------------------------------------------------------------------------------------

class PlaceTree:
    """Every place's parent, read in one query, to find what lies within an area."""

    def __init__(self):
        self.places: dict[int, Place] = {place.pk: place for place in Place.objects.all()}
        self.parent_of: dict[int, int | None] = {pk: place.parent_id for pk, place in self.places.items()}
        self.children_of: dict[int, list[int]] = {}
        for pk, parent in self.parent_of.items():
            if parent is not None:
                self.children_of.setdefault(parent, []).append(pk)

    def within(self, place_id: int) -> set[int]:
        """The place and every place below it."""
        found, todo = set(), [place_id]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(self.children_of.get(pk, ()))
        return found

    def ancestors(self, place_id: int) -> list[int]:
        """The places above this one, nearest first."""
        found, pk = [], self.parent_of.get(place_id)
        while pk is not None and pk not in found:
            found.append(pk)
            pk = self.parent_of.get(pk)
        return found


def provision_levels() -> list[tuple[str, str]]:
    """The kinds of area the map can be drawn for."""
    return [(kind.value, kind.label) for kind in PlaceKind]


def provision_parent_choices() -> QuerySet[Place]:
    """Areas that have areas inside them, for narrowing the map to one of them."""
    return (
        Place.objects.filter(retired_at__isnull=True, children__isnull=False)
        .distinct()
        .order_by("kind", "name")
    )


def provision_areas(*, level: str, within: Place | None = None, tree: PlaceTree | None = None) -> list[Place]:
    """The current places of ``level``, inside ``within`` if given, by name."""
    tree = tree or PlaceTree()
    inside = tree.within(within.pk) - {within.pk} if within is not None else None
    places = [
        place for place in tree.places.values()
        if place.kind == level and not place.is_retired and (inside is None or place.pk in inside)
    ]
    return sorted(places, key=lambda place: (place.name, place.pk))


def provision_pathways() -> list[Term]:
    """The current resettlement pathways, in their order."""
    return list(
        Term.objects.current().filter(vocabulary__code=PATHWAYS_VOCABULARY).select_related("vocabulary")
        .order_by("position", "name")
    )


def _counted_services() -> Q:
    """Which services count, as a filter on the service."""
    return Q(service__publication=Publication.PUBLISHED, service__status__in=RUNNING)


def _fresh_since() -> datetime:
    return timezone.now() - STALE_AFTER


def _counts(rows, *keys: str) -> dict[tuple, Figures]:
    return {tuple(row[key] for key in keys): Figures(row["services"], row["fresh"]) for row in rows}


def provision_map(*, level: str = DEFAULT_LEVEL, within: Place | None = None) -> ProvisionMap:
    """Pathways by the areas of ``level`` (inside ``within`` if given), with totals for each."""
    tree = PlaceTree()
    areas = provision_areas(level=level, within=within, tree=tree)
    pathways = provision_pathways()
    places_of = {area.pk: sorted(tree.within(area.pk)) for area in areas}
    cells: dict[tuple, Figures] = {}
    totals: dict[str, int] = {}
    if areas and pathways:
        cells = _cell_counts(places_of=places_of, pathway_ids=[p.pk for p in pathways])
        totals = _total_counts(places_of=places_of, pathway_ids=[p.pk for p in pathways])

    def figures(key: str) -> Figures:
        return Figures(totals.get(f"{key}_services", 0), totals.get(f"{key}_fresh", 0))

    rows = [
        Row(
            pathway=pathway,
            cells=[
                Cell(pathway=pathway, area=area, **_as_dict(cells.get((pathway.pk, area.pk))))
                for area in areas
            ],
            total=figures(f"pathway{pathway.pk}"),
        )
        for pathway in pathways
    ]
    return ProvisionMap(
        level=level, within=within, areas=areas, rows=rows,
        area_totals=[figures(f"area{area.pk}") for area in areas], total=figures("all"),
    )


def _cell_counts(*, places_of: dict[int, list[int]], pathway_ids: list[int]) -> dict[tuple, Figures]:
    """{(pathway id, area id): figures}, in one query over Service.areas' rows (one for each service and
    place it serves) labelled with the map's column and joined to the service's pathways."""
    served = Service.areas.through.objects.filter(
        _counted_services(),
        place_id__in=[pk for places in places_of.values() for pk in places],
        service__terms__in=pathway_ids,
    )
    column = Case(
        *(When(place_id__in=places, then=Value(area_id)) for area_id, places in places_of.items()),
        output_field=IntegerField(),
    )
    rows = (
        served.annotate(column=column)
        .values("service__terms", "column")
        .annotate(
            services=Count("service_id", distinct=True),
            fresh=Count("service_id", distinct=True, filter=Q(service__last_checked_at__gte=_fresh_since())),
        )
        .order_by()
    )
    return _counts(rows, "service__terms", "column")


def _total_counts(*, places_of: dict[int, list[int]], pathway_ids: list[int]) -> dict[str, int]:
    """Every total, each service counted once: ``all_services``, ``pathway<id>_services``,
    ``area<id>_services`` and their ``_fresh`` twins.

    The two databases are fastest at this in different ways (measured at 100,000 services): PostgreSQL
    counts distinct services in three grouped queries; SQLite reads each service once and counts it
    into every group it belongs to, in one query.
    """
    if connection.vendor == "postgresql":
        return _total_counts_grouped(places_of=places_of, pathway_ids=pathway_ids)
    return _total_counts_filtered(places_of=places_of, pathway_ids=pathway_ids)


def _total_counts_grouped(*, places_of: dict[int, list[int]], pathway_ids: list[int]) -> dict[str, int]:
    served = Service.areas.through.objects.filter(
        _counted_services(),
        place_id__in=[pk for places in places_of.values() for pk in places],
        service__terms__in=pathway_ids,
    )
    figures = {
        "services": Count("service_id", distinct=True),
        "fresh": Count("service_id", distinct=True, filter=Q(service__last_checked_at__gte=_fresh_since())),
    }
    column = Case(
        *(When(place_id__in=places, then=Value(area_id)) for area_id, places in places_of.items()),
        output_field=IntegerField(),
    )
    totals = {f"all_{name}": value for name, value in served.aggregate(**figures).items()}
    for row in served.values("service__terms").annotate(**figures).order_by():
        totals.update({f"pathway{row['service__terms']}_{name}": row[name] for name in figures})
    for row in served.annotate(column=column).values("column").annotate(**figures).order_by():
        totals.update({f"area{row['column']}_{name}": row[name] for name in figures})
    return totals


def _total_counts_filtered(*, places_of: dict[int, list[int]], pathway_ids: list[int]) -> dict[str, int]:
    def serving(places) -> Q:
        return Q(pk__in=Service.areas.through.objects.filter(place_id__in=places).values("service_id"))

    def on(term_ids) -> Q:
        return Q(pk__in=Service.terms.through.objects.filter(term_id__in=term_ids).values("service_id"))

    fresh = Q(last_checked_at__gte=_fresh_since())
    groups = {f"pathway{pk}": on([pk]) for pk in pathway_ids}
    groups.update({f"area{pk}": serving(places) for pk, places in places_of.items()})
    counts = {"all_services": Count("pk"), "all_fresh": Count("pk", filter=fresh)}
    for key, condition in groups.items():
        counts[f"{key}_services"] = Count("pk", filter=condition)
        counts[f"{key}_fresh"] = Count("pk", filter=condition & fresh)
    return (
        Service.objects.filter(publication=Publication.PUBLISHED, status__in=RUNNING)
        .filter(serving([pk for places in places_of.values() for pk in places]), on(pathway_ids))
        .aggregate(**counts)
    )


def _data_fingerprint() -> str:
    """Changes whenever a service, a place or a term does (an edit, a check, a publication, a new area)."""
    services = Service.objects.aggregate(
        n=Count("pk"), updated=Max("updated_at"), checked=Max("last_checked_at"), last=Max("pk")
    )
    places = Place.objects.aggregate(n=Count("pk"), retired=Max("retired_at"), last=Max("pk"))
    terms = Term.objects.aggregate(n=Count("pk"), retired=Max("retired_at"), last=Max("pk"))
    state = [sorted(services.items()), sorted(places.items()), sorted(terms.items())]
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


def provision_map_cached(*, level: str = DEFAULT_LEVEL, within: Place | None = None) -> ProvisionMap:
    """``provision_map``, kept for up to ten minutes while no service, place or term changes."""
    key = f"directory:provision:{level}:{within.pk if within else '-'}:{_data_fingerprint()}"
    provision = cache.get(key)
    if provision is None:
        provision = provision_map(level=level, within=within)
        cache.set(key, provision, CACHE_SECONDS)
    return provision


def _as_dict(figures: Figures | None) -> dict:
    figures = figures or Figures()
    return {"services": figures.services, "fresh": figures.fresh}


# Drilling down ---------------------------------------------------------------------------------------

def provision_services(*, pathway: Term, area: Place) -> QuerySet[Service]:
    """The services one cell of the map counts: published, running, on ``pathway``, serving ``area``
    or a place inside it. Freshest first is not wanted here: by name, so the list reads as a directory."""
    places = PlaceTree().within(area.pk)
    served = Service.areas.through.objects.filter(
        _counted_services(), place_id__in=places, service__terms=pathway
    ).values("service_id")
    return (
        Service.objects.filter(pk__in=served)
        .select_related("organisation", "last_checked_by")
        .order_by("name", "pk")
    )


def provision_figures(*, services: QuerySet[Service]) -> Figures:
    """How many of ``services`` there are and how many were checked in the last 12 months."""
    counts = services.order_by().aggregate(
        services=Count("pk"), fresh=Count("pk", filter=Q(last_checked_at__gte=_fresh_since()))
    )
    return Figures(**counts)


def pathway_get(*, code: str) -> Term | None:
    """A current pathway by its code."""
    return Term.objects.current().filter(vocabulary__code=PATHWAYS_VOCABULARY, code=code).first()


def area_get(*, area_id) -> Place | None:
    try:
        return Place.objects.filter(pk=int(area_id)).first()
    except (TypeError, ValueError):
        return None
