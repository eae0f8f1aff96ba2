"""What search keeps in memory: a compact copy of the search rows, for facet counts, order and distance.

Finding the services that have the words is the database's work (SQLite FTS5, or PostgreSQL's GIN
index). Everything search does with the matching services after that is done here, over arrays that
hold every published service once, so that a search costs about the same whether it matches ten
services or twenty-five thousand:

* each facet value (``term12``, ``place7``, ``routeself``...) is a bit set over the services: ticking
  values is OR-ing bit sets, and the counts of every value are one AND and one bit count;
* the order is kept as ranks (by name, by freshness), so a page is a partial sort of integers;
* the locations are arrays of latitude and longitude, so distances are computed for all at once;
* the words of the names are a sorted vocabulary with the services of each word, for relevance.

Each process keeps one copy for each database. At every search it is checked against the search
generations (a small query, see ``ServiceSearchGeneration``; on PostgreSQL part of the statement that
finds the words) and read again if the rows changed.
Reading 100,000 services takes about a second; it happens once in each process after a change.
"""

import math
import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection

from ..services.search_index import FACET_COLUMNS

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.0
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEVER = np.iinfo(np.int64).min  # "never checked": before any moment
LAST_CHARACTER = "\U0010ffff"
# Marks the last word of a name cut short at 300 characters: it can begin a word, not be one.
CUT_SHORT = "\x00"


def microseconds(moment: datetime | None) -> int:
    """A moment as microseconds since 1970 (naive moments are UTC, as Django keeps them)."""
    if moment is None:
        return int(NEVER)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(microseconds=1)


def haversine_miles_many(near: tuple[float, float], latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """Great-circle miles from ``near`` to each point (degrees), as ``selectors.search.haversine_miles``."""
    lat0, lon0 = map(math.radians, near)
    lat, lon = np.radians(latitudes), np.radians(longitudes)
    h = np.sin((lat - lat0) / 2) ** 2 + math.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def bounding_box(near: tuple[float, float], radius_miles: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box holding every point within ``radius_miles`` of ``near``."""
    latitude, longitude = near
    dlat = radius_miles / MILES_PER_DEGREE_LATITUDE
    dlon = radius_miles / (MILES_PER_DEGREE_LATITUDE * max(0.01, math.cos(math.radians(latitude))))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


class SearchMemory:
    """Every published service's search row, as arrays indexed by position (services in id order)."""

    def __init__(self, *, signature: tuple, ids: Sequence[int], names: Sequence[str], checked: Sequence[int],
                 drop_in: Sequence[bool], token_rows: Iterable[tuple[int, str]],
                 points: Sequence[tuple[int, float, float]]):
        self.signature = signature
        self.ids = np.asarray(ids, dtype=np.int64)
        self.size = len(self.ids)
        self.words = max(1, -(-self.size // 64))  # 64-bit words in a bit set
        self.checked = np.asarray(checked, dtype=np.int64)
        self.drop_in = np.asarray(drop_in, dtype=bool)
        # Position by id, as a table when the ids are dense enough for one (they nearly always are).
        self.position_of_id = None
        if self.size and self.ids[-1] < 16 * self.size + 2**20:
            self.position_of_id = np.full(int(self.ids[-1]) + 1, -1, dtype=np.int64)
            self.position_of_id[self.ids] = np.arange(self.size)
        self._names(names)
        self._ranks()
        self._tokens(token_rows)
        self._points(points)

    # Building --------------------------------------------------------------------------------------------

    def _names(self, names: Sequence[str]) -> None:
        """The sorted vocabulary of the names' words, with the positions of the services having each."""
        by_word: dict[str, list[int]] = defaultdict(list)
        for index, name in enumerate(names):
            words = name.split()
            if words and not name.endswith(" "):
                words[-1] += CUT_SHORT
            for word in set(words):
                by_word[word].append(index)
        self.vocabulary = sorted(by_word)
        lengths = [len(by_word[word]) for word in self.vocabulary]
        self.word_starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.word_starts[1:])
        self.word_services = np.fromiter(
            (index for word in self.vocabulary for index in by_word[word]), dtype=np.int32,
            count=int(self.word_starts[-1]),
        )
        # By name, then id (the services are in id order and the sort is stable).
        by_name = sorted(range(self.size), key=names.__getitem__)
        self.name_rank = np.empty(self.size, dtype=np.int64)
        self.name_rank[by_name] = np.arange(self.size)

    def _ranks(self) -> None:
        """By freshness: the most recently checked first, never checked last, then by id."""
        never = self.checked == NEVER
        order = np.lexsort((np.arange(self.size), -np.where(never, 0, self.checked), never))
        self.fresh_rank = np.empty(self.size, dtype=np.int64)
        self.fresh_rank[order] = np.arange(self.size)

    def _tokens(self, token_rows: Iterable[tuple[int, str]]) -> None:
        """One bit set for each facet token, from (position, tokens between spaces) pairs."""
        positions: dict[str, list[int]] = defaultdict(list)
        for index, tokens in token_rows:
            positions[tokens].append(index)
        by_token: dict[str, list[np.ndarray]] = defaultdict(list)
        for tokens, indexes in positions.items():
            found = np.asarray(indexes, dtype=np.int64)
            for token in tokens.split():
                by_token[token].append(found)
        self.token_row = {token: row for row, token in enumerate(sorted(by_token))}
        self.token_bits = np.zeros((len(self.token_row), self.words), dtype=np.uint64)
        for token, row in self.token_row.items():
            self.token_bits[row] = self.bits(np.concatenate(by_token[token]))

    def _points(self, points: Sequence[tuple[int, float, float]]) -> None:
        self.point_service = np.fromiter((p[0] for p in points), dtype=np.int64, count=len(points))
        self.point_latitude = np.fromiter((p[1] for p in points), dtype=np.float64, count=len(points))
        self.point_longitude = np.fromiter((p[2] for p in points), dtype=np.float64, count=len(points))

    # Sets of services --------------------------------------------------------------------------------------

    def everyone(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def having_ids(self, service_ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Which services are among these ids (ids not published are ignored)."""
        found = np.asarray(service_ids if isinstance(service_ids, np.ndarray) else list(service_ids), dtype=np.int64)
        flags = np.zeros(self.size, dtype=bool)
        if not (found.size and self.size):
            return flags
        if self.position_of_id is not None:
            found = found[(found >= 0) & (found < len(self.position_of_id))]
            at = self.position_of_id[found]
            flags[at[at >= 0]] = True
        else:
            at = np.searchsorted(self.ids, found).clip(max=self.size - 1)
            flags[at[self.ids[at] == found]] = True
        return flags

    def bits(self, indexes: np.ndarray) -> np.ndarray:
        flags = np.zeros(self.words * 64, dtype=bool)
        flags[indexes] = True
        return np.packbits(flags, bitorder="little").view(np.uint64)

    def bits_of(self, flags: np.ndarray) -> np.ndarray:
        padded = np.zeros(self.words * 64, dtype=bool)
        padded[: self.size] = flags
        return np.packbits(padded, bitorder="little").view(np.uint64)

    def having_any(self, tokens: Sequence[str]) -> np.ndarray:
        """Which services have at least one of these facet tokens."""
        rows = [self.token_row[token] for token in tokens if token in self.token_row]
        if not rows:
            return np.zeros(self.size, dtype=bool)
        union = np.bitwise_or.reduce(self.token_bits[rows], axis=0)
        return np.unpackbits(union.view(np.uint8), bitorder="little")[: self.size].astype(bool)

    def counts(self, flags: np.ndarray, tokens: Iterable[str] | None = None) -> dict[str, int]:
        """How many of the flagged services have each token (every token, or these)."""
        if tokens is None:
            names, rows = list(self.token_row), slice(None)
        else:
            names = [token for token in tokens if token in self.token_row]
            rows = [self.token_row[token] for token in names]
        if not names:
            return {}
        counted = np.bitwise_count(self.token_bits[rows] & self.bits_of(flags)).sum(axis=1, dtype=np.int64)
        return dict(zip(names, counted.tolist(), strict=True))

    # Keys of order -------------------------------------------------------------------------------------------

    def stale(self, cutoff: datetime) -> np.ndarray:
        """Services never checked, or last checked before ``cutoff``."""
        return self.checked < microseconds(cutoff)

    def name_score(self, words: Sequence[tuple[str, bool]]) -> np.ndarray:
        """For each service, how many of the words (word, is_prefix) begin (or are) a word of its name."""
        score = np.zeros(self.size, dtype=np.int64)
        for word, prefix in words:
            start = bisect_left(self.vocabulary, word)
            if prefix:
                end = bisect_left(self.vocabulary, word + LAST_CHARACTER, start)
            else:
                end = start + 1 if start < len(self.vocabulary) and self.vocabulary[start] == word else start
            having = np.zeros(self.size, dtype=bool)
            having[self.word_services[self.word_starts[start]:self.word_starts[end]]] = True
            score += having
        return score

    def nearest_miles(self, near: tuple[float, float], radius_miles: float | None = None) -> np.ndarray:
        """Each service's distance to its nearest location, infinite for those with none (or, with a
        radius, none within it)."""
        miles = np.full(self.size, np.inf)
        inside = slice(None)
        if radius_miles is not None:
            south, north, west, east = bounding_box(near, radius_miles)
            inside = np.flatnonzero(
                (self.point_latitude >= south) & (self.point_latitude <= north)
                & (self.point_longitude >= west) & (self.point_longitude <= east)
            )
        distances = haversine_miles_many(near, self.point_latitude[inside], self.point_longitude[inside])
        np.minimum.at(miles, self.point_service[inside], distances)
        if radius_miles is not None:
            miles[miles > radius_miles] = np.inf
        return miles


# The copy of each database, in this process ---------------------------------------------------------------

_MEMORIES: dict[str, SearchMemory] = {}
_READING = threading.Lock()


def memory_signature_sql() -> list[str]:
    """The expressions whose values, read together, tell whether the search rows changed: how many
    search generations there are and the sum of their nonces."""
    from ..models import ServiceSearchGeneration

    table = ServiceSearchGeneration._meta.db_table
    return [f"(SELECT count(*) FROM {table})", f"(SELECT coalesce(sum(nonce), 0) FROM {table})"]


def search_memory(signature: tuple | None = None) -> SearchMemory:
    """This process's copy of the search rows of the current database, read again if they changed.
    ``signature`` is the values of ``memory_signature_sql`` if the caller has just read them."""
    if signature is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(memory_signature_sql())}")
            signature = tuple(cursor.fetchone())
    key = connection.settings_dict["NAME"]
    memory = _MEMORIES.get(key)
    if memory is not None and memory.signature == signature:
        return memory
    with _READING:
        memory = _MEMORIES.get(key)
        if memory is None or memory.signature != signature:
            memory = _MEMORIES[key] = search_memory_read(signature=signature)
    return memory


def search_memory_read(*, signature: tuple) -> SearchMemory:
    """Read every search row and point into a new ``SearchMemory``."""
    from ..models import ServiceSearchDocument, ServiceSearchPoint

    documents, points = ServiceSearchDocument._meta.db_table, ServiceSearchPoint._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT service_id, name, last_checked_at, has_drop_in, {', '.join(FACET_COLUMNS)}"
            f" FROM {documents} ORDER BY service_id"
        )
        rows = cursor.fetchall()
        cursor.execute(f"SELECT service_id, latitude, longitude FROM {points} ORDER BY service_id")
        located = cursor.fetchall()
    ids = [row[0] for row in rows]
    position = {service_id: index for index, service_id in enumerate(ids)}
    return SearchMemory(
        signature=signature,
        ids=ids,
        names=[row[1] for row in rows],
        checked=[microseconds(_moment(row[2])) for row in rows],
        drop_in=[bool(row[3]) for row in rows],
        token_rows=((index, row[column]) for column in range(4, 4 + len(FACET_COLUMNS))
                    for index, row in enumerate(rows)),
        points=[(position[service_id], latitude, longitude) for service_id, latitude, longitude in located
                if service_id in position],
    )


def _moment(value) -> datetime | None:
    """A datetime read by a plain cursor (SQLite may give the text it keeps)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
