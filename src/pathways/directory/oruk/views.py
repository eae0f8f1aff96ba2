"""The Open Referral UK 3.0 read API: open to anyone, JSON only, published services only.

Pages have the profile's shape (total_items, total_pages, page_number, size, first_page, last_page,
empty, contents). An id that is not a published record's is a 404; a parameter that cannot be read is
a 400 naming it.
"""

import math
import uuid
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import params, selectors, serialise
from .mapping import FEATURE_BY_ID, FEATURE_TAXONOMY_ID, FEATURES
from .search import locate_postcode, search_service_ids
from .validation import SCHEMA_DIR


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def not_found(what: str) -> JsonResponse:
    return _json({"detail": f"No {what} has that id."}, status=404)


def api_view(view):
    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except params.BadParameters as error:
            return _json({"detail": "Some parameters could not be read.", "errors": error.errors}, status=400)

    return wrapped


def _as_uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def page_of(items, *, total: int, page: int, per_page: int) -> dict:
    total_pages = math.ceil(total / per_page) if total else 0
    contents = list(items)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _slice(page: int, per_page: int) -> slice:
    return slice((page - 1) * per_page, page * per_page)


@api_view
def api_root(request):
    return _json(serialise.api_info(openapi_url=request.build_absolute_uri(reverse("oruk:openapi"))))


@require_GET
def openapi_document(request):
    response = HttpResponse((SCHEMA_DIR / "openapi.json").read_bytes(), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Services -----------------------------------------------------------------------------------------

def _filtered_services(request):
    filters = params.service_filters(request.GET, locate_postcode=locate_postcode)
    return filters, selectors.service_filter(selectors.published_services(), filters)


@api_view
def service_list(request):
    page, per_page = params.paging(request.GET)
    errors: dict[str, str] = {}
    full = params.boolean(request.GET, "full", errors)
    if errors:
        raise params.BadParameters(errors)
    filters, services = _filtered_services(request)
    if filters.text or filters.near is not None:
        # Search answers text and distance, best first; the database keeps the other filters.
        ids, total = search_service_ids(filters=filters, services=services, page=page, per_page=per_page)
        loaded = selectors.with_everything(services) if full else selectors.with_summary(services)
        by_id = {service.pk: service for service in loaded.filter(pk__in=ids)}
        chosen = [by_id[pk] for pk in ids if pk in by_id]
    else:
        total = services.count()
        ordered = services.order_by("name", "pk")
        loaded = selectors.with_everything(ordered) if full else selectors.with_summary(ordered)
        chosen = list(loaded[_slice(page, per_page)]) if total else []
    shape = serialise.service_full if full else serialise.service_summary
    return _json(page_of((shape(service) for service in chosen), total=total, page=page, per_page=per_page))


@api_view
def service_detail(request, service_id):
    service = selectors.service_published_get(service_id=service_id) if _as_uuid(service_id) else None
    if service is None:
        return not_found("published service")
    return _json(serialise.service_full(service))


@api_view
def service_at_location_list(request):
    page, per_page = params.paging(request.GET)
    filters, services = _filtered_services(request)
    if filters.text:
        ids, _total = search_service_ids(filters=filters, services=services, page=None, per_page=None)
        services = services.filter(pk__in=ids)
    sals = selectors.services_at_locations(services, filters)
    total = sals.count()
    chosen = list(sals[_slice(page, per_page)]) if total else []
    return _json(page_of(
        (serialise.service_at_location_summary(sal) for sal in chosen), total=total, page=page, per_page=per_page
    ))


@api_view
def service_at_location_detail(request, sal_id):
    sal = selectors.service_at_location_published_get(sal_id=sal_id) if _as_uuid(sal_id) else None
    if sal is None:
        return not_found("service at a location of a published service")
    return _json(serialise.service_at_location_full(sal))


# Taxonomies ---------------------------------------------------------------------------------------

@api_view
def taxonomy_list(request):
    page, per_page = params.paging(request.GET)
    items = [serialise.taxonomy(vocabulary) for vocabulary in selectors.vocabularies()]
    items.append(serialise.feature_taxonomy())
    return _json(page_of(items[_slice(page, per_page)], total=len(items), page=page, per_page=per_page))


@api_view
def taxonomy_detail(request, taxonomy_id):
    taxonomy_id = _as_uuid(taxonomy_id)
    if taxonomy_id == FEATURE_TAXONOMY_ID:
        return _json(serialise.feature_taxonomy(with_terms=True))
    vocabulary = selectors.vocabulary_by_uuid(taxonomy_id) if taxonomy_id else None
    if vocabulary is None:
        return not_found("taxonomy")
    terms = selectors.terms().filter(vocabulary=vocabulary)
    return _json(serialise.taxonomy(vocabulary, terms=terms))


@api_view
def taxonomy_term_list(request):
    page, per_page = params.paging(request.GET)
    items = [serialise.taxonomy_term(term) for term in selectors.terms()]
    items += [serialise.feature_term(code, name) for code, name, _field, _value in FEATURES]
    return _json(page_of(items[_slice(page, per_page)], total=len(items), page=page, per_page=per_page))


@api_view
def taxonomy_term_detail(request, term_id):
    term_id = _as_uuid(term_id)
    if (feature := FEATURE_BY_ID.get(term_id)) is not None:
        return _json(serialise.feature_term(feature[0], feature[1]))
    term = selectors.term_uuid_map().get(term_id)
    if term is None:
        return not_found("taxonomy term")
    return _json(serialise.taxonomy_term(term))
