"""Where a postcode or postcode district is: the centre of the area, for distance search."""

import re

from ..models import PostcodeArea

DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")


def postcode_compact(code: str) -> str:
    """Upper case without spaces, as postcodes are stored: " ls6 1an " -> "LS61AN"."""
    return re.sub(r"\s+", "", code or "").upper()


def postcode_display(code: str) -> str:
    """A postcode as people write it ("LS6 1AN"), or a district as it is ("LS6")."""
    compact = postcode_compact(code)
    match = FULL_POSTCODE.match(compact)
    return f"{match[1]} {match[2]}" if match else compact


def postcode_is_valid(code: str) -> bool:
    """Shaped like a full postcode or a postcode district (whether or not Pathways knows where it is)."""
    compact = postcode_compact(code)
    return bool(FULL_POSTCODE.match(compact) or DISTRICT.match(compact))


def postcode_locate(*, code: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a full postcode ("LS6 1AN", any case or spacing) or a district ("LS6").

    A full postcode that is not loaded falls back to its district; anything else is None.
    """
    compact = postcode_compact(code)
    full = FULL_POSTCODE.match(compact)
    if full:
        candidates = [compact, full[1]]
    elif DISTRICT.match(compact):
        candidates = [compact]
    else:
        return None
    found = dict(
        (area.code, (area.latitude, area.longitude)) for area in PostcodeArea.objects.filter(code__in=candidates)
    )
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    return None
