"""Links that leave Pathways (in emails and open data) must be whole addresses: SITE_URL and the path."""

from django.conf import settings
from django.urls import reverse


def site_url(path: str) -> str:
    """The whole address of a path on this site, such as ``https://pathways.example.org/directory/``."""
    return settings.SITE_URL.rstrip("/") + path


def site_url_for(name: str, *args) -> str:
    """The whole address of a named page, such as ``site_url_for("commissioning:opportunity", uuid)``."""
    return site_url(reverse(name, args=args))
