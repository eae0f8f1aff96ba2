"""Where full services come from: a JSON file (a list of services, a page with ``contents``, or one
service), or a folder of CSV tables. Files are streamed with ijson, so a feed of any size is read in
the same memory."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ijson

from pathways.core.errors import DomainError

from .tables import TableReader


def _first_character(path: Path) -> bytes:
    with path.open("rb") as file:
        while chunk := file.read(1):
            if chunk == b"\xef":  # a UTF-8 byte-order mark
                file.read(2)
                continue
            if not chunk.isspace():
                return chunk
    return b""


def _has_contents(path: Path) -> bool:
    """Whether the top-level object has a ``contents`` key (a page rather than one service)."""
    with path.open("rb") as file:
        for prefix, event, value in ijson.parse(file):
            if prefix == "" and event == "map_key" and value == "contents":
                return True
            if prefix == "" and event == "end_map":
                return False
    return False


def json_documents(path: Path) -> Iterator[dict]:
    path = Path(path)
    first = _first_character(path)
    if first not in (b"[", b"{"):
        raise DomainError(f"{path.name} is not an Open Referral UK JSON file: it should start with [ or {{.")
    count = 0
    try:
        with path.open("rb") as file:
            if first == b"[":
                items = ijson.items(file, "item", use_float=True)
            elif _has_contents(path):
                items = ijson.items(file, "contents.item", use_float=True)
            else:
                items = ijson.items(file, "", use_float=True)
            for count, item in enumerate(items, start=1):
                yield item
    except ijson.JSONError as error:
        raise DomainError(
            f"{path.name} is not valid JSON after record {count:,}: {error}. Nothing was saved."
        ) from None


@contextmanager
def documents_at(path) -> Iterator[Iterator[dict]]:
    """Full services from a JSON file or a folder of CSV tables."""
    path = Path(path)
    if path.is_dir():
        with TableReader(path) as tables:
            yield tables.documents()
    elif path.is_file():
        yield json_documents(path)
    else:
        raise DomainError(f"{path} is neither a file nor a folder.")
