"""Keeping what search reads up to date: one ServiceSearchDocument (and its points) per published service.

Every service that changes a service or its related records calls ``search_document_refresh`` inside
its transaction, so search never shows an unpublished record nor misses a published one. Imports and
the synthetic directory call ``search_documents_refresh_many`` with many ids at once: it reads in
batches with a fixed number of queries per batch, so 100,000 services take seconds, not minutes. Each
refresh also writes a search generation, which tells every process that its copy of the search rows
in memory (selectors/search_memory.py) is out of date once the change commits.

The full-text indexes hold the same words on both databases, picked out here (``indexed_words``): on
SQLite the row's ``text`` is those words, indexed by an FTS5 table kept in step by triggers (migration
0007); on PostgreSQL they are written straight into ``text_vector`` (GIN-indexed), and ``text`` is
left empty (migration 0007's trigger would make the vector from any text written there).

Facet tokens are plain letters and digits (``term12``, ``place7``, ``routeself``...). Token lists and
the name are stored between spaces (" term3 term12 "), so they split the same way wherever they are read.
"""

import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from ..models import (
    Attendance,
    Publication,
    Service,
    ServiceAtLocation,
    ServiceSearchDocument,
    ServiceSearchGeneration,
    ServiceSearchPoint,
)

BATCH = 2000
# Generations older than this are pruned when a new one is written (search only compares their sum).
GENERATIONS_KEPT_FOR = timedelta(hours=1)


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
COST_TOKENS = {True: "costfree", False: "costpaid"}
# The facet columns of a search document, by the vocabulary whose terms they hold.
TERM_COLUMNS = {"pathways": "pathway_tokens", "service-categories": "category_tokens",
                "client-groups": "group_tokens"}
WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of a text as search reads them: runs of letters and digits, in lower case."""
    return WORD.findall(unicodedata.normalize("NFC", text or "").lower())


# PostgreSQL's English stop words: never looked for, so never indexed, on either database.
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can did do does doing don down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own s same she should so some such t than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with you your yours yourself yourselves
""".split())
# PostgreSQL does not index a word of 2,048 bytes or more (and to_tsvector leaves it out).
LONGEST_INDEXED_WORD = 2047
SURELY_INDEXED = LONGEST_INDEXED_WORD // 4


def indexed_words(text: str) -> list[str]:
    """The words of a text that search can look for, each once, in order: no stop words (a search
    drops them) and none too long for PostgreSQL to index."""
    words = dict.fromkeys(words_of(text))
    for word in STOP_WORDS.intersection(words):
        del words[word]
    # A character is at most four bytes, so only a word of over 511 characters can be too long.
    return [word for word in words if len(word) <= SURELY_INDEXED or len(word.encode()) <= LONGEST_INDEXED_WORD]


def spaced(items) -> str:
    """Items between single spaces, with a space at each end: " a b c " (or "" for none)."""
    items = list(items)
    return f" {' '.join(items)} " if items else ""

SERVICE_COLUMNS = [
    "pk", "publication", "name", "organisation__name", "description", "eligibility", "referral_details", "fees",
    "languages", "is_free", "last_checked_at",
] + sorted({field for _token, field in FIXED_TOKENS.values()})


@dataclass(frozen=True)
class SearchSource:
    """What the search row of one published service is made from."""

    service: dict  # the values of SERVICE_COLUMNS
    term_ids: list[int]
    area_ids: list[int]
    locations: list[tuple]  # (name, address_1, city, postcode, latitude, longitude)
    has_drop_in: bool
    # The indexed words before and after the organisation's name, if worked out already (an import's
    # checking process does, see SearchRows.words_beside_organisation).
    words: tuple[str, str] | None = None


def search_source(service: Service, *, organisation_name: str, term_ids: list[int], area_ids: list[int],
                  locations: Iterable, has_drop_in: bool, words: tuple[str, str] | None = None) -> SearchSource:
    """The source of a service's search row from what a caller already holds (an import does): the
    service, and its locations as objects with name, address_1, city, postcode, latitude, longitude."""
    values = {column: getattr(service, column) for column in SERVICE_COLUMNS if "__" not in column}
    values["organisation__name"] = organisation_name
    return SearchSource(
        service=values, term_ids=list(term_ids), area_ids=list(area_ids), has_drop_in=has_drop_in, words=words,
        locations=[(location.name, location.address_1, location.city, location.postcode, location.latitude,
                    location.longitude) for location in locations],
    )


def search_document_refresh(*, service: Service) -> None:
    """Rebuild the search row of one service, or remove it if the service is not published."""
    search_documents_refresh_many(service_ids=[service.pk])


def search_documents_refresh_many(*, service_ids: Iterable[int], rows: "SearchRows | None" = None) -> int:
    """Rebuild the search rows of many services at once (removing those not published).

    Reads in batches of ``BATCH`` services with six queries a batch; memory stays flat however many
    ids come. Call it inside the transaction that changed the services; a caller writing rows batch by
    batch (an import) passes its own ``rows``. Returns how many are published.
    """
    ids = sorted(set(service_ids))
    if not ids:
        return 0
    rows = rows or SearchRows()
    published = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        published += rows.write(_sources_read(batch), replacing=batch)
    return published


def search_generation_new() -> None:
    """Record that the search rows change in this transaction, so every process's copy of them in
    memory is read again once it commits (and not if it is rolled back)."""
    now = timezone.now()
    ServiceSearchGeneration.objects.filter(created_at__lt=now - GENERATIONS_KEPT_FOR).delete()
    ServiceSearchGeneration.objects.create(nonce=secrets.randbelow(2**40), created_at=now)


class SearchRows:
    """Writes search rows from their sources. Reads the places and terms they name once, so an import
    can keep one for all its batches."""

    def __init__(self):
        from pathways.organisations.models import Place
        from pathways.taxonomy.models import Term

        self.places = {pk: (name, parent_id)
                       for pk, name, parent_id in Place.objects.values_list("pk", "name", "parent_id")}
        self.terms = {pk: (name, TERM_COLUMNS.get(vocabulary))
                      for pk, name, vocabulary in Term.objects.values_list("pk", "name", "vocabulary__code")}
        ordered = Term.objects.order_by("vocabulary__position", "position", "name").values_list("pk", flat=True)
        self.term_order = {pk: position for position, pk in enumerate(ordered)}
        self.generation_written = False
        self.organisation_words: dict[str, list[str]] = {}

    def _ordered(self, term_ids: Iterable[int], area_ids: Iterable[int]) -> tuple[list[int], list[int]]:
        """Terms in their vocabularies' order, and the places there are by name."""
        places = self.places
        return (sorted(term_ids, key=lambda term_id: self.term_order.get(term_id, 0)),
                sorted((place_id for place_id in area_ids if place_id in places), key=lambda place_id: places[place_id][0]))

    def words_beside_organisation(self, service: dict, term_ids: list[int], area_ids: list[int],
                                  locations: list[tuple]) -> tuple[str, str]:
        """The indexed words of a service's search text before and after its organisation's name, each
        joined by spaces. An import's checking process works them out (it may not know the name); the
        writing process adds the organisation's words between them."""
        term_ids, area_ids = self._ordered(term_ids, area_ids)
        parts = document_parts({**service, "organisation__name": ""}, [self.terms[t][0] for t in term_ids],
                               [self.places[p][0] for p in area_ids], locations)
        return " ".join(indexed_words(parts[0])), " ".join(indexed_words("\n".join(parts[2:])))

    def _words(self, source: SearchSource, term_ids: list[int], area_ids: list[int]) -> list[str]:
        row = source.service
        if source.words is None:
            return indexed_words(document_text(row, [self.terms[t][0] for t in term_ids],
                                               [self.places[p][0] for p in area_ids], source.locations))
        before, after = source.words
        name = row["organisation__name"]
        if name not in self.organisation_words:
            if len(self.organisation_words) > 50_000:
                self.organisation_words.clear()
            self.organisation_words[name] = indexed_words(name)
        return list(dict.fromkeys([*before.split(), *self.organisation_words[name], *after.split()]))

    def write(self, sources: Iterable[SearchSource], *, replacing: Iterable[int] = ()) -> int:
        """Remove the rows of the services ``replacing`` names, then write a row (and points) for each
        source. Every source must be a published service. Returns how many rows were written."""
        if not self.generation_written:
            search_generation_new()
            self.generation_written = True
        replacing = list(replacing)
        if replacing:
            ServiceSearchPoint.objects.filter(service_id__in=replacing).delete()
            ServiceSearchDocument.objects.filter(service_id__in=replacing).delete()
        places, terms = self.places, self.terms
        # PostgreSQL: the vector is made here, from the words search reads, so the database only has to
        # store it (the trigger of migration 0007 makes it only from text that is not empty).
        vectors = connection.vendor == "postgresql"
        documents, points = [], []
        for source in sources:
            row, pk = source.service, source.service["pk"]
            term_ids, area_ids = self._ordered(source.term_ids, source.area_ids)
            by_column = facet_columns(row, term_ids, area_ids, places=places, terms=terms)
            # The words between spaces: SQLite's text, and PostgreSQL's tsvector as it reads it (each word once,
            # without positions; every word is letters and digits, so none needs quoting).
            words = " ".join(self._words(source, term_ids, area_ids))
            documents.append((
                pk,
                *((words,) if not vectors else ("", words)),
                *(spaced(by_column[column]) for column in FACET_COLUMNS),
                spaced(words_of(row["name"]))[:300],
                row["last_checked_at"],
                source.has_drop_in,
            ))
            seen = set()
            for *_address, latitude, longitude in source.locations:
                if latitude is not None and longitude is not None and (latitude, longitude) not in seen:
                    seen.add((latitude, longitude))
                    points.append((pk, latitude, longitude))
        text_fields = ["text", "text_vector"] if vectors else ["text"]
        insert_rows(ServiceSearchDocument, ["service", *text_fields, *FACET_COLUMNS, "name", "last_checked_at",
                                             "has_drop_in"], documents)
        insert_rows(ServiceSearchPoint, ["service", "latitude", "longitude"], points)
        return len(documents)


def _sources_read(ids: list[int]) -> list[SearchSource]:
    """The sources of the search rows of those of these services that are published."""
    from ..models import Schedule

    rows = list(Service.objects.filter(pk__in=ids, publication=Publication.PUBLISHED).values(*SERVICE_COLUMNS))
    if not rows:
        return []
    live = [row["pk"] for row in rows]
    term_ids = defaultdict(list)
    for service_id, term_id in Service.terms.through.objects.filter(service_id__in=live).values_list(
        "service_id", "term_id"
    ):
        term_ids[service_id].append(term_id)
    area_ids = defaultdict(list)
    for service_id, place_id in Service.areas.through.objects.filter(service_id__in=live).values_list(
        "service_id", "place_id"
    ):
        area_ids[service_id].append(place_id)
    locations = defaultdict(list)
    for service_id, *location in ServiceAtLocation.objects.filter(service_id__in=live).order_by(
        "location__name", "pk"
    ).values_list(
        "service_id", "location__name", "location__address_1", "location__city", "location__postcode",
        "location__latitude", "location__longitude",
    ):
        locations[service_id].append(tuple(location))
    drop_in = set(
        Schedule.objects.filter(service_id__in=live, attendance=Attendance.DROP_IN).values_list("service_id", flat=True)
    )
    return [
        SearchSource(service=row, term_ids=term_ids[row["pk"]], area_ids=area_ids[row["pk"]],
                     locations=locations[row["pk"]], has_drop_in=row["pk"] in drop_in)
        for row in rows
    ]


_CONVERTED = {"UUIDField", "DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField"}


def insert_rows(model, fields: list[str], rows: Iterable[Sequence], *, batch: int = 2000) -> int:
    """Insert plain rows (values in the order of ``fields``): what bulk_create does, without building a
    model instance for each row (COPY on PostgreSQL, one prepared statement elsewhere). Fields not named
    get their defaults (``auto_now`` fields the time of the call); values are converted for the database
    as Django would. Nothing is validated, so callers pass clean data. Returns how many rows were written."""
    from django.db import DEFAULT_DB_ALIAS, connections

    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy costs a look-up per value
    meta = model._meta
    named = [meta.get_field(name) for name in fields]
    now = timezone.now()
    fixed, per_row = [], []
    for f in meta.concrete_fields:
        if f in named or (f.primary_key and getattr(f, "auto_created", False)) or f is meta.auto_field:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fixed.append((f, now))
        elif f.has_default() and callable(f.default):
            per_row.append(f)
        else:
            fixed.append((f, f.get_default()))
    found = named + [f for f, _value in fixed] + per_row
    quote = db.ops.quote_name
    table, columns = quote(meta.db_table), ", ".join(quote(f.column) for f in found)
    tail = [f.get_db_prep_save(value, db) for f, value in fixed]
    converted = [(index, f) for index, f in enumerate(named) if f.get_internal_type() in _CONVERTED]

    def prepared(row: Sequence) -> list:
        row = list(row)
        for index, f in converted:
            row[index] = f.get_db_prep_save(row[index], db)
        return row + tail + [f.get_db_prep_save(f.get_default(), db) for f in per_row]

    written = 0
    if db.vendor == "postgresql":
        # COPY streams every row in one statement: several times faster than INSERTs for many rows.
        with db.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(prepared(row))
                written += 1
        return written
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(found))})"
    pending = []
    with db.cursor() as cursor:
        for row in rows:
            pending.append(prepared(row))
            if len(pending) >= batch:
                cursor.executemany(sql, pending)
                written += len(pending)
                pending = []
        if pending:
            cursor.executemany(sql, pending)
            written += len(pending)
    return written


FACET_COLUMNS = ("pathway_tokens", "category_tokens", "group_tokens", "area_tokens", "feature_tokens")


def facet_columns(row: dict, term_ids: list[int], area_ids: list[int], *, places: dict, terms: dict
                  ) -> dict[str, list[str]]:
    """The service's facet tokens by column (terms of vocabularies that are not facets are left out)."""
    columns: dict[str, list[str]] = {column: [] for column in FACET_COLUMNS}
    for term_id in term_ids:
        if terms[term_id][1]:
            columns[terms[term_id][1]].append(term_token(term_id))
    # A service in Leeds is also in West Yorkshire's probation area and in the region.
    seen: set[int] = set()
    for place_id in area_ids:
        while place_id is not None and place_id not in seen and place_id in places:
            seen.add(place_id)
            columns["area_tokens"].append(place_token(place_id))
            place_id = places[place_id][1]
    for token, field in FIXED_TOKENS.values():
        if row[field]:
            columns["feature_tokens"].append(token)
    columns["feature_tokens"].append(COST_TOKENS[bool(row["is_free"])])
    return columns


def document_text(row: dict, term_names: list[str], area_names: list[str], locations: list) -> str:
    return "\n".join(part for part in document_parts(row, term_names, area_names, locations) if part)


def document_parts(row: dict, term_names: list[str], area_names: list[str], locations: list) -> list[str]:
    """The parts of a service's search text, in order: its name, its organisation's name, then the rest."""
    parts = [
        row["name"], row["organisation__name"], row["description"], row["eligibility"], row["referral_details"],
        row["fees"], " ".join(str(language) for language in row["languages"] or []),
    ]
    parts += term_names
    parts += area_names
    for name, address_1, city, postcode, _latitude, _longitude in locations:
        parts += [name, address_1, city, postcode]
    return parts
