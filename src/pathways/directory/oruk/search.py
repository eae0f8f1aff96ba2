"""Full text and distance for the Open Referral UK API, answered by the knowledge base's search
(selectors.search and selectors.postcodes).

The API's other filters (ages, days and times, organisation, Pathways' feature terms) are database
filters on ``services``. When a request has only what search understands (text, a postcode and
distance, and taxonomy terms of the faceted vocabularies) search pages the results itself; otherwise
search's best matches (up to MAX_SEARCH_HITS) are narrowed by the database and paged here.
"""

from pathways.taxonomy.models import Term

from ..selectors.postcodes import postcode_locate
from ..selectors.search import VOCABULARY_OF_FACET, service_search
from .selectors import METRES_PER_MILE, ServiceFilters

# A search with other filters too reads at most this many of search's best matches.
MAX_SEARCH_HITS = 5000
FACET_OF_VOCABULARY = {vocabulary: facet for facet, vocabulary in VOCABULARY_OF_FACET.items()}


def locate_postcode(code: str) -> tuple[float, float] | None:
    return postcode_locate(code=code)


def _facets(filters: ServiceFilters) -> dict[str, list[str]] | None:
    """The taxonomy filter as search facets, or None if search cannot express it."""
    if not filters.term_ids:
        return {}
    facets: dict[str, list[str]] = {}
    for code, vocabulary in Term.objects.filter(pk__in=filters.term_ids).values_list("code", "vocabulary__code"):
        if vocabulary not in FACET_OF_VOCABULARY:
            return None
        facets.setdefault(FACET_OF_VOCABULARY[vocabulary], []).append(code)
    return facets


def _database_only(filters: ServiceFilters) -> bool:
    return bool(
        filters.feature_fields or filters.vocabulary_id is not None or filters.feature_taxonomy
        or filters.organisation_uuid or filters.minimum_age is not None or filters.maximum_age is not None
        or filters.start_time or filters.end_time or filters.day or filters.modified_after
    )


def search_service_ids(*, filters: ServiceFilters, services, page: int | None, per_page: int | None):
    """(ids of the services on ``page``, best first, and how many match in all).

    ``page`` None gives every match (up to MAX_SEARCH_HITS), for callers that page something else.
    """
    radius = filters.proximity_m / METRES_PER_MILE if filters.proximity_m is not None else None
    order = "relevance" if filters.text else "distance"
    facets = _facets(filters)
    common = {"text": filters.text, "near": filters.near, "radius_miles": radius, "order": order}
    if facets is not None and not _database_only(filters) and page is not None:
        results = service_search(facets=facets, page=page, per_page=per_page, **common)
        if page > results.pages:  # search shows its last page; the API shows an empty one
            return [], results.total
        return [hit.service.pk for hit in results.hits], results.total
    results = service_search(facets=facets or {}, page=1, per_page=MAX_SEARCH_HITS, **common)
    ranked = [hit.service.pk for hit in results.hits]
    allowed = set(services.filter(pk__in=ranked).values_list("pk", flat=True))
    ranked = [pk for pk in ranked if pk in allowed]
    if page is None:
        return ranked, len(ranked)
    start = (page - 1) * per_page
    return ranked[start:start + per_page], len(ranked)
