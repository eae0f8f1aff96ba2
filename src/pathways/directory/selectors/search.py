"""Searching the knowledge base: full text, facets with counts, distance, "open now" and drop-ins.

Search reads the search documents (one per published service, kept by services/search_index.py), so
it never sees an unpublished record. The same search gives the same services, in the same order, on
SQLite and PostgreSQL:

* Words are read the same way on both: runs of letters and digits, lower-cased, no stemming in the
  index. services/search_index.py picks them out once; SQLite's FTS5 indexes them (unicode61
  tokenizer), PostgreSQL keeps them as a tsvector with a GIN index. Stop words are neither indexed
  nor looked for. At query time each word loses a common ending and matches as a prefix ("house" and
  "housing" both look for ``hous*``). Every word must match.
* Facets are tokens in the document (``term12``, ``place7``, ``routeself``...). Values of one facet
  are OR-ed, facets are AND-ed. Counts are "disjunctive": the counts of a facet are taken with every
  other facet's choices applied but not its own, so ticking a box never hides its neighbours.
* Relevance is plain and the same on both databases: services with more of the words at the start
  of a word of their name first, then records checked within ``STALE_AFTER`` before stale ones, then
  by name. Stale records are flagged on every hit.
* The database finds the services having the words (FTS5 or the GIN index: one query returning their
  ids). Facets, distance, order and the page are then worked out over a copy of the search rows kept
  in memory (selectors/search_memory.py), whose cost hardly grows with the number of matches; the
  page's services are read from the database.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from django.db import connection
from django.utils import timezone

from ..models import STALE_AFTER, WEEKDAYS, Attendance, Publication, Schedule, Service
from ..services.search_index import COST_TOKENS, FIXED_TOKENS, STOP_WORDS, place_token, term_token, words_of
from .search_memory import EARTH_RADIUS_MILES, memory_signature_sql, search_memory

LONDON = ZoneInfo("Europe/London")
FTS_TABLE = "directory_search_fts"  # SQLite's full-text index of the search rows (migration 0007)
MAX_WORDS = 12
ORDERS = ("relevance", "distance", "freshness", "name")
FACETS = ("pathway", "category", "group", "area", "route", "setting", "cost")
VOCABULARY_OF_FACET = {"pathway": "pathways", "category": "service-categories", "group": "client-groups"}
FIXED_FACET_LABELS = {
    "route": {"self": "Self-referral", "agency": "Referral by any agency", "statutory": "Statutory referral only"},
    "setting": {"custody": "In custody", "community": "In the community", "gate": "Through the gate"},
    "cost": {"free": "Free", "paid": "There is a cost"},
}
AREA_KIND_ORDER = ("region", "probation_region", "local_authority", "delivery_unit", "prison")

# Endings taken off a query word before it is matched as a prefix, longest first.
ENDINGS = ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ies", "ied", "ers", "er", "ed", "es", "s",
           "y", "e")
MIN_STEM = 3


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchHit:
    service: Service
    distance_miles: float | None
    is_stale: bool


@dataclass
class SearchResults:
    total: int
    hits: list[SearchHit]
    facet_counts: dict[str, list[FacetCount]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    pages: int = 1


# Words ------------------------------------------------------------------------------------------------

def search_words(text: str) -> list[tuple[str, bool]]:
    """The words a query looks for, as (word, is_prefix): lower case, stop words dropped, common endings
    taken off words of letters so that "housing", "house" and "houses" all look for ``hous*``."""
    words: list[tuple[str, bool]] = []
    for word in words_of(text):
        if word in STOP_WORDS:
            continue
        term = (word, False) if not word.isalpha() or len(word) < MIN_STEM else (_stem(word), True)
        if term not in words:
            words.append(term)
    return words[:MAX_WORDS]


def _stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


# Facets -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FacetValue:
    facet: str
    value: str
    label: str
    token: str


# The facet values of each database, with the signature of the lists they were read from and when.
_FACET_VALUES: dict[str, tuple[tuple, float, dict]] = {}
FACET_VALUES_FOR = 60.0  # seconds a renamed place or term may keep its old label in the filters


def facet_signature_sql() -> list[str]:
    """The expressions whose values, read together, tell whether the places and terms changed: their
    number, newest id and how many terms are retired."""
    from pathways.organisations.models import Place
    from pathways.taxonomy.models import Term

    places, terms = Place._meta.db_table, Term._meta.db_table
    return [f"(SELECT count(*) FROM {places})", f"(SELECT max(id) FROM {places})", f"(SELECT count(*) FROM {terms})",
            f"(SELECT max(id) FROM {terms})", f"(SELECT count(*) FROM {terms} WHERE retired_at IS NOT NULL)"]


def search_facet_values(signature: tuple | None = None) -> dict[str, list[FacetValue]]:
    """Every value each facet can take, in the order a page lists them.

    Read once and kept while the places and terms are the same ones (the values of
    ``facet_signature_sql``, read here unless the caller passes them) for up to a minute, which also
    bounds how long a renamed one keeps its old label.
    """
    import time

    if signature is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(facet_signature_sql())}")
            signature = tuple(cursor.fetchone())
    key = connection.settings_dict["NAME"]
    cached = _FACET_VALUES.get(key)
    now = time.monotonic()
    if cached and cached[0] == signature and now - cached[1] < FACET_VALUES_FOR:
        return cached[2]
    values = _facet_values_read()
    _FACET_VALUES[key] = (signature, now, values)
    return values


def _facet_values_read() -> dict[str, list[FacetValue]]:
    from pathways.organisations.models import Place, PlaceKind
    from pathways.taxonomy.models import Term

    values: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
    facet_of_vocabulary = {code: facet for facet, code in VOCABULARY_OF_FACET.items()}
    terms = Term.objects.filter(vocabulary__code__in=facet_of_vocabulary).order_by(
        "vocabulary__position", "retired_at", "position", "name"
    ).values_list("pk", "code", "name", "vocabulary__code")
    for pk, code, name, vocabulary in terms:
        facet = facet_of_vocabulary[vocabulary]
        values[facet].append(FacetValue(facet, code, name, term_token(pk)))
    places = list(Place.objects.values_list("pk", "name", "kind"))
    kinds_of_name: dict[str, set] = {}
    for _pk, name, kind in places:
        kinds_of_name.setdefault(name, set()).add(kind)
    kind_labels = dict(PlaceKind.choices)
    places.sort(key=lambda p: (AREA_KIND_ORDER.index(p[2]) if p[2] in AREA_KIND_ORDER else 99, p[1].casefold()))
    for pk, name, kind in places:
        label = f"{name} ({kind_labels.get(kind, kind).lower()})" if len(kinds_of_name[name]) > 1 else name
        values["area"].append(FacetValue("area", str(pk), label, place_token(pk)))
    for (facet, value), (token, _field) in FIXED_TOKENS.items():
        if facet in FIXED_FACET_LABELS:
            values[facet].append(FacetValue(facet, value, FIXED_FACET_LABELS[facet][value], token))
    for is_free, token in sorted(COST_TOKENS.items(), reverse=True):
        value = "free" if is_free else "paid"
        values["cost"].append(FacetValue("cost", value, FIXED_FACET_LABELS["cost"][value], token))
    return values


# Search -----------------------------------------------------------------------------------------------

def saved_search_conditions(query: str) -> dict:
    """The conditions of a saved search (its address parameters), read leniently: what is no longer
    valid (a postcode not found, a facet value since removed) is left out."""
    from django.http import QueryDict

    from .postcodes import postcode_locate

    params = QueryDict(query or "")
    near = postcode_locate(code=params.get("postcode", "")) if params.get("postcode") else None
    radius = None
    if near is not None:
        raw = params.get("radius", "10")  # the search page's default when none was chosen
        try:
            radius = float(raw) if raw else None
        except ValueError:
            radius = 10.0
    order = params.get("order") or ("distance" if near and not params.get("q") else "relevance")
    return {
        "text": params.get("q", "")[:200],
        "facets": {facet: params.getlist(facet) for facet in FACETS if params.getlist(facet)},
        "near": near,
        "radius_miles": radius,
        "open_now": bool(params.get("open_now")),
        "drop_in": bool(params.get("drop_in")),
        "order": order if order in ORDERS else "relevance",
    }


def service_search(
    *,
    text: str = "",
    facets: Mapping[str, Sequence[str]] | None = None,
    near: tuple[float, float] | None = None,
    radius_miles: float | None = None,
    open_now: bool = False,
    drop_in: bool = False,
    order: str = "relevance",  # relevance|distance|freshness|name
    page: int = 1,
    per_page: int = 20,
    now: datetime | None = None,
) -> SearchResults:
    """Published services matching all of the given conditions, one page of them, with facet counts."""
    return service_search_with(
        text=text, facets=facets, near=near, radius_miles=radius_miles, open_now=open_now, drop_in=drop_in,
        order=order, page=page, per_page=per_page, now=now,
    )


def service_search_with(
    *, text="", facets=None, near=None, radius_miles=None, open_now=False, drop_in=False, order="relevance",
    page=1, per_page=20, now=None, published_since: datetime | None = None,
) -> SearchResults:
    """``service_search`` with conditions only Pathways itself uses: ``published_since`` keeps services
    first published after that moment (saved-search alerts)."""
    now = now or timezone.now()
    per_page = max(1, int(per_page))
    page = max(1, int(page))
    order = order if order in ORDERS else "relevance"
    if order == "distance" and near is None:
        order = "relevance"
    words = search_words(text)
    memory_signature, facet_signature, found_ids = _state_and_matches(words)
    catalogue = search_facet_values(facet_signature)
    chosen = _chosen_facets(facets or {}, catalogue)
    memory = search_memory(memory_signature)

    matching = memory.having_ids(found_ids) if words else memory.everyone()
    if drop_in:
        matching &= memory.drop_in
    if open_now:
        matching &= memory.having_ids(_open_now_ids(now))
    if published_since is not None:
        matching &= memory.having_ids(
            Service.objects.filter(first_published_at__gt=published_since).values_list("pk", flat=True)
        )
    miles = None
    if near is not None:
        miles = memory.nearest_miles(near, radius_miles)
        if radius_miles is not None:
            matching &= np.isfinite(miles)

    # Each facet's choice, and the services passing every choice but one (for that facet's counts).
    choices = {facet: memory.having_any(tokens) for facet, tokens in chosen.items()}
    passing = matching.copy()
    for flags in choices.values():
        passing &= flags
    counts = {None: memory.counts(passing)}
    for facet in choices:
        others = matching.copy()
        for other, flags in choices.items():
            if other != facet:
                others &= flags
        counts[facet] = memory.counts(others, [fv.token for fv in catalogue[facet]])
    facet_counts = _facet_counts(counts, chosen, catalogue)

    total = int(np.count_nonzero(passing))
    pages = max(1, math.ceil(total / per_page))
    page = min(page, pages)
    stale = memory.stale(now - STALE_AFTER)
    found = np.flatnonzero(passing)
    keys = _order_keys(memory, found, order=order, words=words, stale=stale, miles=miles)
    top = found[_first(keys, (page - 1) * per_page, per_page)]

    ids = memory.ids[top].tolist()
    # Published again here: search never shows anything else, whatever its copy in memory holds. (Checked
    # on the rows read: as a condition, SQLite would read every published service through its index.)
    # Not sorted by the database (order_by()): the page keeps the order worked out above.
    page_services = Service.objects.select_related("organisation").order_by().in_bulk(ids)
    services = {pk: service for pk, service in page_services.items() if service.publication == Publication.PUBLISHED}
    hits = [
        SearchHit(
            service=services[service_id],
            distance_miles=float(miles[index]) if miles is not None and np.isfinite(miles[index]) else None,
            is_stale=bool(stale[index]),
        )
        for service_id, index in zip(ids, top.tolist(), strict=True)
        if service_id in services
    ]
    return SearchResults(total=total, hits=hits, facet_counts=facet_counts, page=page, per_page=per_page, pages=pages)


def _state_and_matches(words: list[tuple[str, bool]]) -> tuple[tuple, tuple, np.ndarray | None]:
    """The signatures of the search rows and of the facet lists (see ``search_memory`` and
    ``search_facet_values``), and the ids of the published services having every word (None if no
    words), from the database's full-text index. On PostgreSQL all three come from one statement, so
    they are of one moment and cost one round trip."""
    from ..models import ServiceSearchDocument

    memory_sql = memory_signature_sql()
    signatures, split = [*memory_sql, *facet_signature_sql()], len(memory_sql)
    if connection.vendor == "postgresql":
        params = []
        if words:
            params.append(" & ".join(word + (":*" if prefix else "") for word, prefix in words))
            # The ids as one string of 8-byte integers: far cheaper to carry than a row for each.
            signatures.append(f"(SELECT string_agg(int8send(service_id), '') FROM {ServiceSearchDocument._meta.db_table}"
                              " WHERE text_vector @@ to_tsquery('pg_catalog.simple', %s))")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(signatures)}", params)
            values = cursor.fetchone()
        found = None
        if words:
            found = np.frombuffer(bytes(values[-1] or b""), dtype=">i8").astype(np.int64)
            values = values[:-1]
        return tuple(values[:split]), tuple(values[split:]), found
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(signatures)}")
            values = cursor.fetchone()
            found = None
            if words:
                query = " AND ".join(f'"{word}"' + ("*" if prefix else "") for word, prefix in words)
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query])
                found = np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)
        return tuple(values[:split]), tuple(values[split:]), found
    raise NotImplementedError("Search needs SQLite (with FTS5) or PostgreSQL.")


def _order_keys(memory, found: np.ndarray, *, order: str, words, stale: np.ndarray, miles) -> list[np.ndarray]:
    """The keys that put ``found`` in the order asked, most significant first (each service's keys differ)."""
    if order == "name":
        return [memory.name_rank[found]]
    if order == "freshness":
        return [memory.fresh_rank[found]]
    # Relevance: more of the words beginning a word of the name, then fresh before stale, then by name.
    relevance = stale[found].astype(np.int64) << 32 | memory.name_rank[found]
    if words:
        relevance |= (MAX_WORDS - memory.name_score(words)[found]) << 33
    if order == "distance":
        return [miles[found], relevance]  # without a location (infinitely far) last
    return [relevance]


def _first(keys: list[np.ndarray], offset: int, limit: int) -> np.ndarray:
    """The positions of rows ``offset`` to ``offset + limit`` in the order of ``keys``."""
    size = len(keys[0])
    needed = min(size, offset + limit)
    if needed <= 0:
        return np.zeros(0, dtype=np.int64)
    candidates = np.arange(size)
    if needed < size:  # the first ``needed`` by the first key (with every tie at the last), then sorted
        first = keys[0]
        bound = np.partition(first, needed - 1)[needed - 1]
        candidates = np.flatnonzero(first <= bound)
    ordered = candidates[np.lexsort([key[candidates] for key in reversed(keys)])]
    return ordered[offset:needed]


def _chosen_facets(facets: Mapping[str, Sequence[str]], catalogue) -> dict[str, list[str]]:
    """{facet: tokens} for each facet with a choice. A choice that names nothing matches nothing."""
    chosen = {}
    for facet in FACETS:
        values = facets.get(facet)
        if isinstance(values, str):
            values = [values]
        values = {str(value) for value in values or () if str(value).strip()}
        if values:
            chosen[facet] = [fv.token for fv in catalogue[facet] if fv.value in values]
    return chosen


def _open_now_ids(now: datetime):
    local = timezone.localtime(now, LONDON)
    weekday = WEEKDAYS[local.weekday()][0]
    moment, today = local.time().replace(microsecond=0), local.date()
    return Schedule.objects.filter(
        attendance__in=[Attendance.OPENING_HOURS, Attendance.DROP_IN], weekday=weekday,
        opens_at__lte=moment, closes_at__gt=moment,
    ).exclude(valid_from__gt=today).exclude(valid_to__lt=today).values_list("service_id", flat=True)


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def _facet_counts(counts: dict[str | None, dict[str, int]], chosen: dict[str, list[str]],
                  catalogue) -> dict[str, list[FacetCount]]:
    """Counts by facet. A facet's counts leave out its own choice (disjunctive counts), so ticking a
    box never hides the boxes beside it. ``counts[None]`` are those of the services passing every
    choice; ``counts[facet]`` those passing every choice but that facet's."""
    facet_counts = {}
    for facet in FACETS:
        tallies = counts[facet if facet in chosen else None]
        selected = set(chosen.get(facet, ()))
        values = []
        for fv in catalogue[facet]:
            count = tallies.get(fv.token, 0)
            if count or fv.token in selected:
                values.append(FacetCount(value=fv.value, label=fv.label, count=count, selected=fv.token in selected))
        facet_counts[facet] = values
    return facet_counts
