"""Harvesting another Open Referral UK API: page through its /services, check every service, then
import all or nothing, as a background job a curator starts and follows on the jobs pages.

The client asks for full services (``full=true``); an API that answers with the one-to-one list shape
anyway is asked for each service by id. Every request has a timeout; any failure stops the harvest
with a message naming the address, and nothing is saved.

A harvest only reaches public addresses: the name is resolved, every address it has must be public,
and the connection is made to the address that was checked (so a name that changes its answer cannot
slip through), for each page and each redirect. Otherwise a curator could make Pathways read its own
network, such as a cloud provider's metadata service. ``HARVEST_PRIVATE_ADDRESSES`` lifts this for an
installation whose directories are on its own network (and for the tests).
"""

import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator

from pathways.core.errors import DomainError
from pathways.jobs.models import Job
from pathways.jobs.services import job_start

from .. import permissions
from .importing import FeedRefused, ImportResult, oruk_import

HARVEST_JOB = "directory.oruk_harvest"
TIMEOUT_SECONDS = 30
PER_PAGE = 100
MAX_PAGES = 10_000
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
# A refused harvest's job page lists this many problems.
PROBLEMS_SHOWN = 100
USER_AGENT = "Pathways ORUK harvester (+https://openreferraluk.org)"
NESTED_KEYS = ("service_at_locations", "schedules", "contacts", "attributes")


def base_url_checked(text: str) -> str:
    """The API's address without a trailing slash, or a DomainError saying what is wrong with it."""
    text = (text or "").strip()
    if not text:
        raise DomainError("Enter the address of the Open Referral UK API", field="base_url")
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise DomainError(
            "Enter the address of an Open Referral UK API, starting with https:// (or http://), "
            "such as https://example.org/api/openreferral/v3", field="base_url",
        ) from None
    host = urllib.parse.urlsplit(text).hostname or ""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None  # a name: checked when it is resolved, at each request
    if literal is not None and not _may_reach(literal):
        raise DomainError(f"{host} is a private or local address: Pathways only harvests directories on the "
                          "public internet", field="base_url")
    return text.rstrip("/")


# Reaching only public addresses ------------------------------------------------------------------------

class AddressRefused(OSError):
    """The name resolves to an address a harvest may not reach."""


def _may_reach(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global or settings.HARVEST_PRIVATE_ADDRESSES


def _connect_checked(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """``socket.create_connection`` to a checked address: every address of the name must be public."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_rest, sockaddr in found:
        checked = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if not _may_reach(checked):
            raise AddressRefused(f"{host} is at {checked}, a private or local address that Pathways does not "
                                 "harvest from")
    family, kind, proto, _name, sockaddr = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
            sock.settimeout(timeout)
        if source_address:
            sock.bind(source_address)
        sock.connect(sockaddr)
    except OSError:
        sock.close()
        raise
    return sock


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


# No proxies from the environment: the addresses reached are the ones checked.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler)


def _get_json(url: str, *, timeout: float):
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with _opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise DomainError(f"{url} answered {error.code} {error.reason}. Nothing was saved.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DomainError(f"Could not reach {url}: {reason}. Nothing was saved.") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise DomainError(f"{url} sent more than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB in one page. Nothing was saved.")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise DomainError(f"{url} did not answer with JSON. Is it an Open Referral UK API? Nothing was saved.") from None


def harvest_documents(*, base_url: str, progress=None, per_page: int = PER_PAGE,
                      timeout: float = TIMEOUT_SECONDS) -> Iterator[dict]:
    """Every service of the API at ``base_url``, fully nested, page by page."""
    page = 1
    while page <= MAX_PAGES:
        url = f"{base_url}/services?" + urllib.parse.urlencode({"page": page, "per_page": per_page, "full": "true"})
        data = _get_json(url, timeout=timeout)
        contents = data.get("contents") if isinstance(data, dict) else None
        if not isinstance(contents, list):
            raise DomainError(f"{url} is not a page of services (it has no 'contents' list). Nothing was saved.")
        if page == 1 and progress is not None and isinstance(data.get("total_items"), int):
            progress.set_total(data["total_items"])
        for item in contents:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and not any(k in item for k in NESTED_KEYS):
                item = _get_json(f"{base_url}/services/{urllib.parse.quote(item['id'], safe='')}", timeout=timeout)
            yield item
        total_pages = data.get("total_pages")
        if not contents or data.get("last_page") is True or (isinstance(total_pages, int) and page >= total_pages):
            return
        page += 1
    raise DomainError(f"{base_url} has more than {MAX_PAGES:,} pages of services. Nothing was saved.")


def oruk_harvest_start(*, base_url: str, by) -> Job:
    """A curator asks for the services of another Open Referral UK API to be imported."""
    if not permissions.can_curate(by):
        raise PermissionDenied
    base_url = base_url_checked(base_url)
    return job_start(
        kind=HARVEST_JOB, title=f"Harvest of {base_url}", by=by, params={"base_url": base_url},
    )


def oruk_harvest(*, base_url: str, by, progress=None) -> ImportResult:
    """Fetch, check and import; a feed with any problem is refused whole, its problems listed."""
    if not permissions.can_curate(by):
        raise PermissionDenied
    base_url = base_url_checked(base_url)
    try:
        return oruk_import(
            documents=harvest_documents(base_url=base_url, progress=progress), by=by, source=base_url,
            progress=progress,
        )
    except FeedRefused as refused:
        lines = [refused.message] + [str(problem) for problem in refused.problems[:PROBLEMS_SHOWN]]
        if refused.count > PROBLEMS_SHOWN:
            lines.append(f"… and {refused.count - PROBLEMS_SHOWN:,} more problems.")
        raise DomainError("\n".join(lines)) from None


def harvests_recent_for_user(*, user, limit: int = 10):
    """The harvests this person started (only they can see their jobs)."""
    return Job.objects.filter(kind=HARVEST_JOB, created_by=user).order_by("-created_at")[:limit]
