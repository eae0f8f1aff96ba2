"""What our records are called in Open Referral UK: identifiers, Pathways' own service features, schedules.

Open Referral UK identifies every record by a UUID. Services, locations, organisations, schedules and
contacts keep theirs in a ``uuid`` column; the records that Pathways folds into its own (an address
inside a location, a language in a list, a service area that is a shared place) get a UUID derived
from their owner's, so an export gives the same ids every time.
"""

import functools
import hashlib
import uuid

from ..models import Attendance, Gender

# Fixed, so that derived ids are the same on every installation.
ORUK_NAMESPACE = uuid.UUID("0d3b7f5e-8a52-4c36-9b8f-5e4d1a6c2b71")
_NAMESPACE_BYTES = ORUK_NAMESPACE.bytes

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org"


def derived_id(owner, kind: str, key="") -> str:
    """The id of a record folded into ``owner`` (a UUID or its text): the text of
    ``uuid.uuid5(ORUK_NAMESPACE, "owner:kind:key")``, made without building a UUID object (an export or
    a re-import makes several for every service)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{owner}:{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


# Pathways' additions to a service that Open Referral UK has no field for (how people are referred,
# where the service works, who leads it) travel as taxonomy terms of one more taxonomy, so they
# survive an export to another Pathways and validate everywhere else.
FEATURE_TAXONOMY = {
    "code": "pathways-service-features",
    "name": "Pathways service features",
    "description": "How people reach a service, where it works and who it is for: Pathways' additions to Open Referral UK.",
}
# code, name, the service field it sets, the value that field takes
FEATURES = [
    ("route-self", "Self-referral", "self_referral", True),
    ("route-agency", "Referral by any agency", "agency_referral", True),
    ("route-statutory-only", "Statutory referral only", "statutory_referral_only", True),
    ("setting-custody", "Works with people in prison", "in_custody", True),
    ("setting-community", "Works with people in the community", "in_community", True),
    ("setting-through-the-gate", "Continues from custody into the community (through the gate)", "through_the_gate", True),
    ("peer-led", "Led or delivered by people with lived experience", "peer_led", True),
    ("gender-women", "For women", "gender", Gender.WOMEN.value),
    ("gender-men", "For men", "gender", Gender.MEN.value),
]
FEATURE_TAXONOMY_ID = str(uuid.uuid5(ORUK_NAMESPACE, f"taxonomy:{FEATURE_TAXONOMY['code']}"))


@functools.lru_cache(maxsize=256)
def feature_term_id(code: str) -> str:
    return str(uuid.uuid5(ORUK_NAMESPACE, f"feature:{code}"))


FEATURE_BY_ID = {feature_term_id(code): (code, name, field, value) for code, name, field, value in FEATURES}
BOOLEAN_FEATURE_FIELDS = [field for _code, _name, field, value in FEATURES if value is True]


def features_of(service) -> list[tuple[str, str]]:
    """(code, name) of each feature the service has."""
    return [(code, name) for code, name, field, value in FEATURES if getattr(service, field) == value]


# Schedules: Open Referral UK has no field for drop-in or appointment, so the schedule's description says.
ATTENDANCE_DESCRIPTIONS = {
    Attendance.OPENING_HOURS.value: "Open",
    Attendance.DROP_IN.value: "Drop-in: no appointment needed",
    Attendance.APPOINTMENT.value: "By appointment",
}


def attendance_from_description(description: str) -> str:
    text = (description or "").lower()
    if "drop-in" in text or "drop in" in text:
        return Attendance.DROP_IN.value
    if "appointment" in text:
        return Attendance.APPOINTMENT.value
    return Attendance.OPENING_HOURS.value


WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
