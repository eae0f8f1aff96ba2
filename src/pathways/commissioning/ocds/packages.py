"""Release packages and record packages (with compiled releases), as dicts or streamed as JSON text."""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from . import codes
from .releases import moment, ocid_for, published_opportunities, releases_of

VERSION = "1.1"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def publisher() -> dict:
    return {"name": getattr(settings, "OCDS_PUBLISHER_NAME", "Pathways bidders portal"),
            "uri": settings.SITE_URL.rstrip("/") + "/"}


def package_metadata(*, uri: str, published: datetime | None = None) -> dict:
    return {
        "uri": uri,
        "version": VERSION,
        "extensions": [codes.LOTS_EXTENSION],
        "publishedDate": moment(published or timezone.now()),
        "publisher": publisher(),
        "license": LICENSE,
    }


def releases_for(opportunities=None, *, since: datetime | None = None) -> Iterator[dict]:
    """The releases of every published opportunity (or of those given), one opportunity at a time."""
    opportunities = published_opportunities() if opportunities is None else opportunities
    for opportunity in opportunities:
        for release in releases_of(opportunity):
            if since is None or release["date"] >= moment(since):
                yield release


def release_package(releases: Iterable[dict], *, uri: str, published: datetime | None = None) -> dict:
    return {**package_metadata(uri=uri, published=published), "releases": list(releases)}


def release_package_stream(releases: Iterable[dict], *, uri: str, published: datetime | None = None) -> Iterator[str]:
    """The same package as JSON text, in pieces: the releases are written one by one, never all held at once."""
    head = json.dumps(package_metadata(uri=uri, published=published), ensure_ascii=False, indent=2)
    yield head[:-2] + ',\n  "releases": ['
    first = True
    for release in releases:
        yield ("\n" if first else ",\n") + json.dumps(release, ensure_ascii=False)
        first = False
    yield "\n  ]\n}\n"


# Records -------------------------------------------------------------------------------------------

def merge(earlier, later):
    """OCDS's merge, simplified for our releases: objects merge key by key; arrays of objects with ids merge
    by id; any other value is replaced by the later one."""
    if isinstance(earlier, dict) and isinstance(later, dict):
        merged = dict(earlier)
        for key, value in later.items():
            merged[key] = merge(earlier.get(key), value) if key in earlier else value
        return merged
    if isinstance(earlier, list) and isinstance(later, list) and later and all(
        isinstance(item, dict) and "id" in item for item in earlier + later
    ):
        by_id = {item["id"]: item for item in earlier}
        for item in later:
            by_id[item["id"]] = merge(by_id[item["id"]], item) if item["id"] in by_id else item
        return list(by_id.values())
    return later


def compiled_release(releases: list[dict]) -> dict:
    compiled: dict = {}
    for release in releases:
        compiled = merge(compiled, release)
    compiled["tag"] = ["compiled"]
    compiled["id"] = f"{releases[-1]['ocid']}-compiled-{releases[-1]['date'].replace(':', '')}"
    return compiled


def record(opportunity) -> dict | None:
    releases = releases_of(opportunity)
    if not releases:
        return None
    return {"ocid": ocid_for(opportunity), "releases": releases, "compiledRelease": compiled_release(releases)}


def record_package(opportunities, *, uri: str, published: datetime | None = None) -> dict:
    records = [found for found in (record(opportunity) for opportunity in opportunities) if found]
    metadata = package_metadata(uri=uri, published=published)
    return {**metadata, "records": records}
