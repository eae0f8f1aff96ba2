"""Open Contracting Data Standard 1.1 for the bidders portal: every published opportunity as releases (one
per stage), release packages and compiled records, validated offline against the schemas in ``schemas/``.

Only what is public is ever published: no drafts, no unpublished opportunities, no bid content (the
sealed bids are never read here), tenderers and their number only once an award is confirmed, and of the
evaluation only what the award letters make public (the winner and the value awarded).
"""

from .packages import record_package, release_package, release_package_stream, releases_for
from .releases import ocid_for, opportunity_for_ocid

__all__ = [
    "ocid_for", "opportunity_for_ocid", "record_package", "release_package", "release_package_stream",
    "releases_for",
]
