"""Searching the knowledge base: full text, facets with counts, distance, "open now" and drop-ins.

Search reads the search documents (one per published service, kept by services/search_index.py), so
it never sees an unpublished record. The same search gives the same services, in the same order, on
SQLite and PostgreSQL:

* Words are read the same way on both: runs of letters and digits, lower-cased, no stemming in the
  index (SQLite FTS5 with the unicode61 tokenizer; PostgreSQL's ``simple`` configuration over the
  text with everything else replaced by spaces, see migration 0003). At query time each word loses
  a common ending and matches as a prefix ("house" and "housing" both look for ``hous*``), and stop
  words are dropped. Every word must match.
* Facets are tokens in the document (``term12``, ``place7``, ``routeself``...). Values of one facet
  are OR-ed, facets are AND-ed. Counts are "disjunctive": the counts of a facet are taken with every
  other facet's choices applied but not its own, so ticking a box never hides its neighbours.
* Relevance is plain and the same on both databases: services with more of the words at the start
  of a word of their name first, then records checked within ``STALE_AFTER`` before stale ones, then
  by name. Stale records are flagged on every hit.
* One SQL statement finds the matching rows once (through FTS5 or the GIN index, a bounding box of
  the points near a postcode, the schedules open now...), picks the page in the order asked, and
  returns what the facet counts need; see ``_Search``.
"""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from ..models import STALE_AFTER, WEEKDAYS, Attendance, Schedule, Service
from ..services.search_index import COST_TOKENS, FACET_COLUMNS, FIXED_TOKENS, place_token, term_token, words_of

LONDON = ZoneInfo("Europe/London")
MILES_PER_DEGREE_LATITUDE = 69.0
EARTH_RADIUS_MILES = 3958.8
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

# PostgreSQL's English stop words (and SQLite has none): dropped from queries on both databases.
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can did do does doing don down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own s same she should so some such t than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with you your yours yourself yourselves
""".split())
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


def search_facet_values() -> dict[str, list[FacetValue]]:
    """Every value each facet can take, in the order a page lists them.

    Read once and kept while the places and terms are the same ones (their number, newest id and how
    many are retired, checked with one small query) for up to a minute, which also bounds how long a
    renamed one keeps its old label.
    """
    import time

    from pathways.organisations.models import Place
    from pathways.taxonomy.models import Term

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {Place._meta.db_table}), (SELECT max(id) FROM {Place._meta.db_table}),"
            f" (SELECT count(*) FROM {Term._meta.db_table}), (SELECT max(id) FROM {Term._meta.db_table}),"
            f" (SELECT count(*) FROM {Term._meta.db_table} WHERE retired_at IS NOT NULL)"
        )
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
    catalogue = search_facet_values()
    chosen = _chosen_facets(facets or {}, catalogue)

    search = _Search(connection.vendor, words=words, chosen=chosen, order=order, near=near)
    search.stale_before(now - STALE_AFTER)
    if drop_in:
        search.where("d.has_drop_in = %s", [True])
    if open_now:
        search.where_in(_open_now_ids(now))
    if published_since is not None:
        search.where_in(Service.objects.filter(first_published_at__gt=published_since).values("pk"))
    if near is not None and radius_miles is not None:
        search.within(radius_miles)

    tallies, total, top = search.run(offset=(page - 1) * per_page, limit=per_page)
    facet_counts = _facet_counts(tallies, chosen, catalogue)
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        page = pages
        _tallies, _total, top = search.run(offset=(page - 1) * per_page, limit=per_page, counts=False)
    if order == "distance" and radius_miles is None and total:
        top = search.nearest_first(offset=(page - 1) * per_page, limit=per_page)

    distances = _distances(near, [row.id for row in top]) if near is not None else {}
    services = Service.objects.select_related("organisation").in_bulk([row.id for row in top])
    hits = [
        SearchHit(service=services[row.id], distance_miles=distances.get(row.id), is_stale=bool(row.stale))
        for row in top
        if row.id in services
    ]
    return SearchResults(total=total, hits=hits, facet_counts=facet_counts, page=page, per_page=per_page, pages=pages)


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
    ).exclude(valid_from__gt=today).exclude(valid_to__lt=today).values("service_id")


def _bounding_box(near: tuple[float, float], radius_miles: float) -> tuple[float, float, float, float]:
    latitude, longitude = near
    dlat = radius_miles / MILES_PER_DEGREE_LATITUDE
    dlon = radius_miles / (MILES_PER_DEGREE_LATITUDE * max(0.01, math.cos(math.radians(latitude))))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def _distances(near, service_ids: list[int]) -> dict[int, float]:
    """The distance to the nearest location of each of these services (those with one)."""
    from ..models import ServiceSearchPoint

    nearest: dict[int, float] = {}
    points = ServiceSearchPoint.objects.filter(service_id__in=service_ids).values_list(
        "service_id", "latitude", "longitude"
    )
    for service_id, latitude, longitude in points:
        miles = haversine_miles(near, (latitude, longitude))
        if miles < nearest.get(service_id, math.inf):
            nearest[service_id] = miles
    return nearest


def _facet_counts(tallies: dict[str, list[int]], chosen: dict[str, list[str]], catalogue) -> dict[str, list[FacetCount]]:
    """Counts by facet. A facet's counts leave out its own choice (disjunctive counts), so ticking a
    box never hides the boxes beside it."""
    chosen_index = {facet: index for index, facet in enumerate(chosen)}
    facet_counts = {}
    for facet in FACETS:
        index = chosen_index.get(facet)
        selected = set(chosen.get(facet, ()))
        values = []
        for fv in catalogue[facet]:
            counts = tallies.get(fv.token)
            count = (counts[0] if index is None else counts[1 + index]) if counts else 0
            if count or fv.token in selected:
                values.append(FacetCount(value=fv.value, label=fv.label, count=count, selected=fv.token in selected))
        facet_counts[facet] = values
    return facet_counts


FACET_COLUMN = {"pathway": "pathway_tokens", "category": "category_tokens", "group": "group_tokens",
                "area": "area_tokens", "route": "feature_tokens", "setting": "feature_tokens",
                "cost": "feature_tokens"}
HAVERSINE = (
    "2 * {radius} * asin(sqrt("
    "sin((radians(p.latitude) - %s) / 2) * sin((radians(p.latitude) - %s) / 2)"
    " + %s * cos(radians(p.latitude)) * sin((radians(p.longitude) - %s) / 2) * sin((radians(p.longitude) - %s) / 2)"
    "))"
).format(radius=EARTH_RADIUS_MILES)


@dataclass(frozen=True)
class _Top:
    id: int
    stale: int
    score: int
    name: str
    checked: object
    miles: float | None


class _Search:
    """The SQL of one search, for SQLite (FTS5) or PostgreSQL (GIN). One statement finds the matching rows
    once (``m``), picks the page in the order asked, and returns what the facet counts need."""

    def __init__(self, vendor: str, *, words, chosen: dict[str, list[str]], order: str, near):
        if vendor not in {"sqlite", "postgresql"}:
            raise NotImplementedError("Search needs SQLite (with FTS5) or PostgreSQL.")
        self.pg = vendor == "postgresql"
        self.words, self.chosen, self.order, self.near = words, chosen, order, near
        self.conditions: list[tuple[str, list]] = []
        self.stale_sql: tuple[str, list] = ("0", [])
        self.radius: float | None = None

    # Conditions ---------------------------------------------------------------------------------------

    def stale_before(self, cutoff: datetime) -> None:
        self.stale_sql = ("CASE WHEN d.last_checked_at IS NULL OR d.last_checked_at < %s THEN 1 ELSE 0 END",
                          [connection.ops.adapt_datetimefield_value(cutoff)])

    def where(self, condition: str, params: list) -> None:
        self.conditions.append((condition, list(params)))

    def where_in(self, queryset) -> None:
        sql, params = queryset.query.sql_with_params()
        self.where(f"d.service_id IN ({sql})", list(params))

    def within(self, radius_miles: float) -> None:
        self.radius = float(radius_miles)

    # Pieces -------------------------------------------------------------------------------------------

    @property
    def _position(self) -> str:
        return "strpos" if self.pg else "instr"

    def _score(self) -> tuple[str, list]:
        """How many of the words start a word of the name: the first key of relevance."""
        if not self.words:
            return "0", []
        parts = [f"CASE WHEN {self._position}(d.name, %s) > 0 THEN 1 ELSE 0 END" for _ in self.words]
        return " + ".join(parts), [f" {word}" if prefix else f" {word} " for word, prefix in self.words]

    def _flags(self) -> list[tuple[str, list]]:
        flags = []
        for facet, tokens in self.chosen.items():
            if not tokens:
                flags.append(("1 = 0", []))
                continue
            column = "d." + FACET_COLUMN[facet]
            test = " OR ".join([f"{self._position}({column}, %s) > 0"] * len(tokens))
            flags.append((f"({test})", [f" {token} " for token in tokens]))
        return flags

    def _text_query(self) -> str:
        if self.pg:
            return " & ".join(word + (":*" if prefix else "") for word, prefix in self.words)
        return "text : (" + " AND ".join(f'"{word}"' + ("*" if prefix else "") for word, prefix in self.words) + ")"

    def _nearest(self, radius: float | None) -> tuple[str, list]:
        """The CTE ``nd``: each service's distance to its nearest location (within ``radius`` of ``near``)."""
        latitude, longitude = self.near
        lat0, lon0 = math.radians(latitude), math.radians(longitude)
        params = [lat0, lat0, math.cos(lat0), lon0, lon0]
        where = ""
        if radius is not None:
            where = " WHERE p.latitude BETWEEN %s AND %s AND p.longitude BETWEEN %s AND %s"
            params += list(_bounding_box(self.near, radius))
        return (f"nd AS MATERIALIZED (SELECT p.service_id, MIN({HAVERSINE}) AS miles"
                f" FROM directory_servicesearchpoint p{where} GROUP BY p.service_id)"), params

    def _with(self, *, radius: float | None, located: bool = False, unlocated: bool = False) -> tuple[str, list]:
        """``WITH ... m AS MATERIALIZED (...)``: the matching rows. With ``radius``, only those with a
        location within it; ``located``: those with a location anywhere; ``unlocated``: those with none."""
        ctes, params = [], []
        stale_sql, stale_params = self.stale_sql
        score_sql, score_params = self._score()
        columns = ["d.service_id AS id", f"{stale_sql} AS stale", f"{score_sql} AS score", "d.name AS name",
                   "d.last_checked_at AS checked"]
        column_params = [*stale_params, *score_params]
        near = radius is not None or located
        columns.append("nd.miles AS miles" if near else "CAST(NULL AS REAL) AS miles")
        for index, (flag, flag_params) in enumerate(self._flags()):
            columns.append(f"CASE WHEN {flag} THEN 1 ELSE 0 END AS f{index}")
            column_params += flag_params
        if self.pg:
            columns += [f"d.{column} AS {column}" for column in FACET_COLUMNS]
        else:
            columns += [f"d.{column} AS {column}" for column in FACET_COLUMNS]

        conditions = [(c, list(p)) for c, p in self.conditions]
        prefilter = [token for tokens in self.chosen.values() for token in tokens]
        # With two or more facets chosen, every pool the counts need has at least one chosen value.
        prefilter = prefilter if len(self.chosen) >= 2 else []
        docs = "directory_servicesearchdocument d"
        if not self.pg and _has_cover_index():
            docs += " INDEXED BY directory_search_cover"
        if near:
            nearest, nearest_params = self._nearest(radius)
            ctes.append(nearest)
            params += nearest_params
            source = f"nd JOIN {docs} ON d.service_id = nd.service_id" if self.pg else \
                f"nd CROSS JOIN {docs} ON d.service_id = nd.service_id"
            if radius is not None:
                conditions.append(("nd.miles <= %s", [radius]))
        else:
            source = docs
        if self.pg:
            if self.words:
                conditions.insert(0, ("d.text_vector @@ to_tsquery('pg_catalog.simple', %s)", [self._text_query()]))
            if prefilter:
                conditions.insert(0, ("d.facet_vector @@ to_tsquery('pg_catalog.simple', %s)",
                                      [" | ".join(prefilter)]))
        else:
            match = [self._text_query()] if self.words else []
            if prefilter:
                match.append("facets : (" + " OR ".join(f'"{token}"' for token in prefilter) + ")")
            if match and near:
                conditions.insert(0, ("d.service_id IN (SELECT rowid FROM directory_search_fts"
                                      " WHERE directory_search_fts MATCH %s)", [" AND ".join(match)]))
            elif match:
                source = f"directory_search_fts JOIN {docs} ON d.service_id = directory_search_fts.rowid"
                conditions.insert(0, ("directory_search_fts MATCH %s", [" AND ".join(match)]))
        if unlocated:
            conditions.append(("NOT EXISTS (SELECT 1 FROM directory_servicesearchpoint p"
                               " WHERE p.service_id = d.service_id)", []))
        where = " WHERE " + " AND ".join(c for c, _p in conditions) if conditions else ""
        ctes.append(f"m AS MATERIALIZED (SELECT {', '.join(columns)} FROM {source}{where})")
        params += column_params
        for _c, condition_params in conditions:
            params += condition_params
        return "WITH " + ", ".join(ctes), params

    def _passing(self, skip: int | None = None) -> str:
        flags = [f"f{index} = 1" for index in range(len(self.chosen)) if index != skip]
        return " AND ".join(flags) if flags else ""

    def _where_passing(self) -> str:
        return f" WHERE {self._passing()}" if self.chosen else ""

    def _order(self) -> str:
        name = 'name COLLATE "C"' if self.pg else "name"
        return {
            "relevance": f"score DESC, stale, {name}, id" if self.words else f"stale, {name}, id",
            "name": f"{name}, id",
            "freshness": "checked DESC NULLS LAST, id",
            "distance": f"miles ASC NULLS LAST, score DESC, stale, {name}, id",
        }[self.order]

    def _sort_key(self, row: _Top):
        """The order of ``_order``, for the few rows of a page (a UNION does not keep the order)."""
        name_id = (row.name, row.id)
        if self.order == "name":
            return name_id
        if self.order == "freshness":
            return (row.checked is None, _Reverse(row.checked) if row.checked is not None else 0, row.id)
        if self.order == "distance":
            return (row.miles is None, row.miles or 0, -row.score, row.stale, *name_id)
        if self.words:
            return (-row.score, row.stale, *name_id)
        return (row.stale, *name_id)

    # Running ------------------------------------------------------------------------------------------

    def run(self, *, offset: int, limit: int, counts: bool = True):
        """({token: [rows passing every choice, rows passing every choice but the i-th, ...]},
        how many rows pass every choice, the rows of the page in order)."""
        with_sql, params = self._with(radius=self.radius)
        k = len(self.chosen)
        # SQLite reads a column declared as a datetime through a converter: as text, the place is free
        # for the joined facet values of the pool-0 row below.
        checked = "checked" if self.pg else "CAST(checked AS TEXT)"
        top = (f"SELECT -1 AS part, name AS gkey, id AS n, stale, score, {checked} AS checked, miles"
               f" FROM m{self._where_passing()} ORDER BY {self._order()} LIMIT %s OFFSET %s")
        parts = [f"SELECT * FROM ({top}) top"]
        # The facet counts, for each pool of rows they need: those passing every choice, and for each
        # chosen facet those passing every other choice. PostgreSQL groups by each facet column (GROUPING
        # SETS: one pass over the rows); SQLite joins each column's values into one string, counted here
        # (far cheaper there than five GROUP BYs).
        if counts and self.pg:
            columns = ", ".join(FACET_COLUMNS)
            pools = [f"count(*) FILTER (WHERE {self._passing()})" if k else "count(*)"]
            pools += [f"count(*) FILTER (WHERE {self._passing(i)})" if self._passing(i) else "count(*)"
                      for i in range(k)]
            parts.append(
                f"SELECT GROUPING({columns}), COALESCE({columns}), {pools[0]}, NULL, NULL, NULL, NULL"
                f" FROM m GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in FACET_COLUMNS)})"
            )
            for i in range(k):
                parts.append(
                    f"SELECT {100 + i}, {FACET_COLUMN[list(self.chosen)[i]]}, {pools[i + 1]}, NULL, NULL, NULL, NULL"
                    f" FROM m GROUP BY {FACET_COLUMN[list(self.chosen)[i]]}"
                )
        elif counts:
            # Pool 0 in one pass: its five joined columns ride in the row's five text-or-null places.
            c0, c1, c2, c3, c4 = (f"group_concat({column}, '|')" for column in FACET_COLUMNS)
            parts.append(f"SELECT 0, {c0}, count(*), {c1}, {c2}, {c3}, {c4} FROM m{self._where_passing()}")
            for i, facet in enumerate(self.chosen):
                passing = self._passing(i)
                parts.append(f"SELECT {i + 1}, group_concat({FACET_COLUMN[facet]}, '|'), count(*), NULL, NULL, NULL,"
                             f" NULL FROM m" + (f" WHERE {passing}" if passing else ""))
        rows = self._fetch(f"{with_sql} " + " UNION ALL ".join(parts), [*params, limit, offset])
        top_rows = [_Top(id=n, stale=stale, score=score, name=key, checked=checked, miles=miles)
                    for part, key, n, stale, score, checked, miles in rows if part == -1]
        top_rows.sort(key=self._sort_key)
        tallies: dict[str, list[int]] = {}
        total = 0
        last_set = (1 << len(FACET_COLUMNS)) - 2  # GROUPING() of the set grouped by the last column
        for part, key, n, *_rest in rows:
            if part == -1:
                continue
            if self.pg:
                # (set, one value, rows) from the grouping sets; (100 + i, value, rows) for pool i + 1.
                pool = 0 if part < 100 else part - 99
                values = ((key or "", n),)
                if part == last_set:
                    total += n
            else:
                # (pool, values joined by "|", rows, and for pool 0 the other four columns' values)
                pool = part
                joined = [key, *_rest] if pool == 0 else [key]
                values = Counter()
                for text in joined:
                    values.update((text or "").split("|"))
                if pool == 0:
                    total = n
            for value, count in (values if self.pg else values.items()):
                for token in value.split():
                    tallies.setdefault(token, [0] * (k + 1))[pool] += count
        return tallies, total, top_rows

    def nearest_first(self, *, offset: int, limit: int) -> list[_Top]:
        """The page in order of distance when there is no radius. Services with a location come first,
        nearest first: they are looked for within a widening circle until it holds the page. Services
        without a location come after them all."""
        needed = offset + limit
        select = "SELECT id, stale, score, name, checked, miles FROM m"
        for radius in (10.0, 40.0, 160.0, None):
            with_sql, params = self._with(radius=radius, located=True)
            located = self._fetch_top(
                f"{with_sql} {select}{self._where_passing()} ORDER BY {self._order()} LIMIT %s", [*params, needed]
            )
            if len(located) >= needed:
                break
        page = located[offset:needed]
        if len(page) < limit:
            with_sql, params = self._with(radius=None, unlocated=True)
            page += self._fetch_top(
                f"{with_sql} {select}{self._where_passing()} ORDER BY {self._order()} LIMIT %s OFFSET %s",
                [*params, limit - len(page), max(0, offset - len(located))],
            )
        return page

    def _fetch_top(self, sql: str, params: list) -> list[_Top]:
        top = [_Top(*row) for row in self._fetch(sql, params)]
        top.sort(key=self._sort_key)
        return top

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        if not self.pg:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        # PostgreSQL: read matching rows through the GIN index even when they are many (the planner's
        # default page cost assumes spinning disks; search rows are nearly always in memory), and keep
        # the matching rows in memory while they are counted.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1; SET LOCAL work_mem = '64MB'")
            cursor.execute(sql, params)
            return cursor.fetchall()


def _has_cover_index() -> bool:
    """SQLite: whether migration 0003's covering index is there (a rebuilt table would have lost it)."""
    name = connection.settings_dict["NAME"]
    if name not in _COVER_INDEX:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'directory_search_cover'")
            _COVER_INDEX[name] = cursor.fetchone() is not None
    return _COVER_INDEX[name]


_COVER_INDEX: dict[str, bool] = {}


class _Reverse:
    """Sorts the other way round (for the newest first)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return self.value > other.value

    def __eq__(self, other):
        return self.value == other.value
