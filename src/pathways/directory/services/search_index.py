"""Keeping what search reads up to date: one ServiceSearchDocument (and its points) per published service.

Every service that changes a service or its related records calls ``search_document_refresh`` inside
its transaction, so search never shows an unpublished record nor misses a published one.

Facet tokens are plain letters and digits (``term12``, ``place7``, ``routeself``...), because SQLite's
unicode61 tokenizer splits words at hyphens and underscores; each token is one index look-up on both
databases.
"""

from django.db import connection

from ..models import Attendance, Publication, Service, ServiceSearchDocument, ServiceSearchPoint


def term_token(term_id: int) -> str:
    return f"term{term_id}"


def place_token(place_id: int) -> str:
    return f"place{place_id}"


# Fixed facet values: (facet, value) -> token, with the service field that sets it.
FIXED_TOKENS = {
    ("route", "self"): ("routeself", "self_referral"),
    ("route", "agency"): ("routeagency", "agency_referral"),
    ("route", "statutory"): ("routestatutory", "statutory_referral_only"),
    ("setting", "custody"): ("settingcustody", "in_custody"),
    ("setting", "community"): ("settingcommunity", "in_community"),
    ("setting", "gate"): ("settinggate", "through_the_gate"),
    ("peer", "led"): ("peerled", "peer_led"),
}


def facet_tokens(service: Service) -> list[str]:
    tokens = [term_token(term.pk) for term in service.terms.all()]
    # A service in Leeds is also in West Yorkshire's probation area and in the region.
    seen: set[int] = set()
    for place in service.areas.all():
        while place is not None and place.pk not in seen:
            seen.add(place.pk)
            tokens.append(place_token(place.pk))
            place = place.parent
    for (_facet, _value), (token, field) in FIXED_TOKENS.items():
        if getattr(service, field):
            tokens.append(token)
    tokens.append("costfree" if service.is_free else "costpaid")
    return tokens


def document_text(service: Service) -> str:
    parts = [
        service.name, service.organisation.name, service.description, service.eligibility,
        service.referral_details, service.fees, " ".join(service.languages or []),
    ]
    parts += [term.name for term in service.terms.all()]
    parts += [place.name for place in service.areas.all()]
    for sal in service.service_at_locations.select_related("location"):
        location = sal.location
        parts += [location.name, location.address_1, location.city, location.postcode]
    return "\n".join(part for part in parts if part)


def search_document_refresh(*, service: Service) -> None:
    """Rebuild the search row of one service, or remove it if the service is not published."""
    if service.publication != Publication.PUBLISHED:
        ServiceSearchDocument.objects.filter(service=service).delete()
        ServiceSearchPoint.objects.filter(service=service).delete()
        return
    ServiceSearchDocument.objects.update_or_create(
        service=service,
        defaults={
            "text": document_text(service),
            "facets": " ".join(facet_tokens(service)),
            "name": service.name,
            "last_checked_at": service.last_checked_at,
            "has_drop_in": service.schedules.filter(attendance=Attendance.DROP_IN).exists(),
        },
    )
    if connection.vendor == "postgresql":
        _postgres_vectors_refresh(service.pk)
    ServiceSearchPoint.objects.filter(service=service).delete()
    ServiceSearchPoint.objects.bulk_create(
        ServiceSearchPoint(service=service, latitude=location.latitude, longitude=location.longitude)
        for location in (sal.location for sal in service.service_at_locations.select_related("location"))
        if location.latitude is not None and location.longitude is not None
    )


def _postgres_vectors_refresh(service_id: int) -> None:
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Value

    ServiceSearchDocument.objects.filter(service_id=service_id).update(
        text_vector=SearchVector("text", config="english"),
        facet_vector=SearchVector("facets", config=Value("simple")),
    )
