"""Reading what the Open Referral UK API and exports show: published services only, prefetched so that
a page costs the same few queries whatever its size."""

import math
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import F, FloatField, Prefetch, Q, QuerySet
from django.db.models.functions import ACos, Cos, Greatest, Least, Radians, Sin

from pathways.taxonomy.models import Term, Vocabulary

from ..models import Location, Publication, Schedule, Service, ServiceAtLocation
from .mapping import FEATURE_BY_ID

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_MILE = 1609.344


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(publication=Publication.PUBLISHED)


def _terms_queryset():
    return Term.objects.select_related("vocabulary", "parent")


def with_summary(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organisation")


def with_everything(services: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a fully nested service shows, in six queries for any number of services."""
    return services.select_related("organisation").prefetch_related(
        Prefetch("terms", queryset=_terms_queryset()),
        "areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__prison").order_by("pk"),
        ),
        Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at", "pk")),
        "contacts",
    )


def service_published_get(*, service_id) -> Service | None:
    return with_everything(published_services()).filter(uuid=service_id).first()


def service_at_location_published_get(*, sal_id) -> ServiceAtLocation | None:
    sal = (
        ServiceAtLocation.objects.filter(uuid=sal_id, service__publication=Publication.PUBLISHED)
        .select_related("location__prison")
        .first()
    )
    if sal is None:
        return None
    sal.service = with_everything(published_services()).get(pk=sal.service_id)
    return sal


# Filters ------------------------------------------------------------------------------------------

@dataclass
class ServiceFilters:
    """The query parameters of /services and /service_at_locations, already checked."""

    text: str = ""
    near: tuple[float, float] | None = None  # the postcode's centre
    proximity_m: float | None = None
    term_ids: list[int] = field(default_factory=list)  # our Term pks
    feature_fields: list[tuple[str, object]] = field(default_factory=list)
    vocabulary_id: int | None = None
    feature_taxonomy: bool = False
    organisation_uuid: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    start_time: time | None = None
    end_time: time | None = None
    day: str | None = None
    modified_after: datetime | None = None

    @property
    def needs_search(self) -> bool:
        return bool(self.text)


def service_filter(services: QuerySet[Service], filters: ServiceFilters) -> QuerySet[Service]:
    """What the database can filter itself (all but full text, which search answers)."""
    if filters.term_ids:
        services = services.filter(terms__in=filters.term_ids)
    for field_name, value in filters.feature_fields:
        services = services.filter(**{field_name: value})
    if filters.vocabulary_id is not None:
        services = services.filter(terms__vocabulary_id=filters.vocabulary_id)
    if filters.feature_taxonomy:
        any_feature = Q()
        for _code, _name, field_name, value in FEATURE_BY_ID.values():
            any_feature |= Q(**{field_name: value})
        services = services.filter(any_feature)
    if filters.organisation_uuid:
        services = services.filter(organisation__uuid=filters.organisation_uuid)
    # "Services with a minimum age of at least ..." and "a maximum age equal to or below ...".
    if filters.minimum_age is not None:
        services = services.filter(minimum_age__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        services = services.filter(maximum_age__lte=filters.maximum_age)
    if filters.day or filters.start_time or filters.end_time:
        schedules = Schedule.objects.all()
        if filters.day:
            schedules = schedules.filter(weekday=filters.day)
        if filters.start_time:
            schedules = schedules.filter(opens_at__gte=filters.start_time)
        if filters.end_time:
            schedules = schedules.filter(closes_at__lte=filters.end_time)
        services = services.filter(pk__in=schedules.values("service_id"))
    if filters.modified_after:
        services = services.filter(updated_at__gte=filters.modified_after)
    if filters.term_ids or filters.vocabulary_id is not None:
        services = services.distinct()
    return services


def _bounding_box(near, metres) -> dict:
    lat, lon = near
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlon = math.degrees(metres / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 0.01)))
    return {"latitude__range": (lat - dlat, lat + dlat), "longitude__range": (lon - dlon, lon + dlon)}


def distance_expression(near, prefix: str = ""):
    """Great-circle distance in metres from ``near`` to the row's latitude and longitude."""
    lat, lon = near
    lat_field, lon_field = F(f"{prefix}latitude"), F(f"{prefix}longitude")
    cosine = (
        Sin(Radians(lat_field)) * math.sin(math.radians(lat))
        + Cos(Radians(lat_field)) * math.cos(math.radians(lat)) * Cos(Radians(lon_field) - math.radians(lon))
    )
    # Rounding can push the cosine a hair past 1; ACos would fail.
    return ACos(Least(Greatest(cosine, -1.0), 1.0), output_field=FloatField()) * EARTH_RADIUS_M


def services_at_locations(services: QuerySet[Service], filters: ServiceFilters) -> QuerySet[ServiceAtLocation]:
    """The services' places, nearest first when a postcode is given."""
    sals = ServiceAtLocation.objects.filter(service__in=services).select_related("location__prison", "service__organisation")
    if filters.near is not None:
        located = Location.objects.filter(latitude__isnull=False, longitude__isnull=False)
        if filters.proximity_m is not None:
            located = located.filter(**_bounding_box(filters.near, filters.proximity_m))
        sals = sals.filter(location__in=located).annotate(distance_m=distance_expression(filters.near, "location__"))
        if filters.proximity_m is not None:
            sals = sals.filter(distance_m__lte=filters.proximity_m)
        return sals.order_by("distance_m", "pk")
    return sals.order_by("service__name", "pk")


# Taxonomies ---------------------------------------------------------------------------------------

def vocabularies() -> QuerySet[Vocabulary]:
    return Vocabulary.objects.all()


def vocabulary_by_uuid(taxonomy_id: str) -> Vocabulary | None:
    return next((vocabulary for vocabulary in Vocabulary.objects.all() if str(vocabulary.uuid) == taxonomy_id), None)


def terms() -> QuerySet[Term]:
    return _terms_queryset().order_by("vocabulary__position", "vocabulary__name", "position", "name")


def term_uuid_map() -> dict[str, Term]:
    """Every term (retired ones too, which old records still carry) by its Open Referral UK id."""
    return {str(term.uuid): term for term in _terms_queryset()}
