"""Reading an incoming Open Referral UK service: the profile's schema first, then Pathways' own rules.

``ServiceReader.read(document, index)`` gives a plain record (only text, numbers, lists and dicts, so it
can be spooled to disk between the checking and the writing pass) and the problems found, each naming
the record, the field (as a JSON path) and what is wrong with it.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.dateparse import parse_datetime

from pathways.organisations.models import Place, PlaceKind
from pathways.taxonomy.models import Term

from ..models import Gender, LocationType, ServiceStatus
from .mapping import BOOLEAN_FEATURE_FIELDS, FEATURE_BY_ID, WEEKDAY_CODES, attendance_from_description
from .validation import fast_validator, problems as schema_problems, validator

# Lengths of our columns (directory.models).
MAX = {
    "name": 200, "url": 200, "email": 254, "phone": 30, "alert": 300, "capacity": 200, "location_name": 200,
    "address": 200, "city": 100, "region": 100, "notes": 300, "contact": 200, "organisation": 200,
    "language": 100, "website": 200,
}
POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
MAX_AGE = 150

_url = URLValidator()
_email = EmailValidator()
# Plain addresses that Django's validators certainly accept, so most values skip the slower full check.
_LABELS = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
_PLAIN_URL = re.compile(rf"https?://{_LABELS}(?:/[a-z0-9._~%/+-]*)?\Z", re.IGNORECASE)
_PLAIN_EMAIL = re.compile(rf"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@{_LABELS}\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    index: int  # the record's position in the feed, from 1
    record_id: str
    record_name: str
    path: str
    message: str

    def __str__(self) -> str:
        who = f"Record {self.index}"
        details = ", ".join(part for part in (f"id {self.record_id}" if self.record_id else "",
                                               f"“{self.record_name}”" if self.record_name else "") if part)
        return f"{who}{f' ({details})' if details else ''}: {self.path}: {self.message}"


def postcode_normalised(text: str) -> str | None:
    """'ls11aa' -> 'LS1 1AA'; None if it is not the shape of a UK postcode."""
    compact = "".join((text or "").split()).upper()
    if not POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def _date(value) -> str | None:
    """An ISO date (or the date of a date-time), as text; None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    return moment.date().isoformat() if moment else None


def _time(value) -> str | None:
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value.strip())
    if not match:
        return None
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return time(hours, minutes, seconds).isoformat()


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def _uid(value: str) -> str:
    """A UUID in its canonical text (lower case, hyphenated); the schema check has made sure it is one."""
    if _CANONICAL.match(value):
        return value
    return str(uuid.UUID(value))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _wait_days(text: str) -> int | None:
    """'14 days', '2 weeks', 'about 3 months' -> days; None if the text gives no number."""
    match = re.search(r"(\d+)\s*(day|week|month)?", text or "", re.IGNORECASE)
    if not match:
        return None
    days = int(match[1]) * {"week": 7, "month": 30}.get((match[2] or "day").lower(), 1)
    return days if days <= 32767 else None


class Reference:
    """What an import checks records against: our taxonomy terms and places, read once."""

    def __init__(self):
        self.terms_by_id: dict[str, int] = {}
        self.terms_by_code: dict[str, int] = {}
        self.term_codes: dict[int, str] = {}
        for term in Term.objects.only("pk", "code"):
            self.terms_by_id[str(term.uuid)] = term.pk
            self.terms_by_code[term.code] = term.pk
            self.term_codes[term.pk] = term.code
        self.places: dict[int, Place] = {}
        self.places_by_code: dict[str, list[int]] = {}
        self.places_by_name: dict[str, list[tuple[int, str]]] = {}
        self.prisons: dict[str, int] = {}
        kind_labels = dict(PlaceKind.choices)
        for place in Place.objects.only("pk", "kind", "name", "code"):
            self.places[place.pk] = place
            if place.code:
                self.places_by_code.setdefault(place.code.upper(), []).append(place.pk)
            self.places_by_name.setdefault(place.name.strip().lower(), []).append(
                (place.pk, kind_labels.get(place.kind, place.kind).lower())
            )
            if place.kind == PlaceKind.PRISON:
                self.prisons[place.name.strip().lower()] = place.pk
                if place.code:
                    self.prisons[place.code.strip().lower()] = place.pk


class ServiceReader:
    """Checks one full service at a time; remembers the ids it has seen, to refuse a repeated one."""

    def __init__(self, reference: Reference | None = None):
        self.reference = reference or Reference()
        self.seen_ids: set[int] = set()
        self._fast = fast_validator("service")
        self._validator = validator("service")

    def read(self, document, index: int) -> tuple[dict | None, list[Problem]]:
        record_id = document.get("id", "") if isinstance(document, dict) else ""
        record_name = document.get("name", "") if isinstance(document, dict) else ""
        record_id = record_id if isinstance(record_id, str) else ""
        record_name = record_name[:80] if isinstance(record_name, str) else ""
        found: list[Problem] = []

        def problem(path: str, message: str):
            found.append(Problem(index, record_id, record_name, path, message))

        if not isinstance(document, dict):
            problem("$", "should be an object (a full service)")
            return None, found
        if not self._fast(document):
            for schema_problem in schema_problems(self._validator, document):
                problem(schema_problem.path, schema_problem.message)
            if found:
                return None, found
        record = _Reading(document, self.reference, problem).record()
        key = int(_uid(document["id"]).replace("-", ""), 16)
        if key in self.seen_ids:
            problem("$.id", "appears more than once in this feed")
        self.seen_ids.add(key)
        return (record if not found else None), found


class _Reading:
    """One record's trip from Open Referral UK to our fields."""

    def __init__(self, doc: dict, reference: Reference, problem):
        self.doc = doc
        self.ref = reference
        self.problem = problem

    # Small checks, each reporting at the path it is given --------------------------------------

    def length(self, value: str, limit: int, path: str) -> str:
        if len(value) > limit:
            self.problem(path, f"is {len(value)} characters long; the most Pathways keeps is {limit}")
        return value

    def url(self, value, path: str) -> str:
        text = self.length(_text(value), MAX["url"], path)
        if text and not _PLAIN_URL.match(text):
            try:
                _url(text)
            except ValidationError:
                self.problem(path, f"{text!r} is not a web address (it should start with https:// or http://)")
        return text

    def email(self, value, path: str) -> str:
        text = _text(value)
        if text and not _PLAIN_EMAIL.match(text):
            try:
                _email(text)
            except ValidationError:
                self.problem(path, f"{text!r} is not an email address")
        return text.lower()

    def age(self, value, path: str) -> int | None:
        if value is None:
            return None
        if value != int(value) or not 0 <= value <= MAX_AGE:
            self.problem(path, f"{value!r} is not an age in whole years from 0 to {MAX_AGE}")
            return None
        return int(value)

    def date(self, value, path: str) -> str | None:
        if value in (None, ""):
            return None
        checked = _date(value)
        if checked is None:
            self.problem(path, f"{value!r} is not a date such as 2025-03-31")
        return checked

    # The record -----------------------------------------------------------------------------------

    def record(self) -> dict:
        doc = self.doc
        service_id = _uid(doc["id"])
        fields = {
            "name": self.length(_text(doc["name"]), MAX["name"], "$.name"),
            "description": _text(doc.get("description")),
            "url": self.url(doc.get("url"), "$.url"),
            "email": self.email(doc.get("email"), "$.email"),
            "status": ServiceStatus(doc["status"]).value,
            "accreditations": _text(doc.get("accreditations")),
            "alert": self.length(_text(doc.get("alert")), MAX["alert"], "$.alert"),
            "eligibility": _text(doc.get("eligibility_description")),
            "referral_details": _text(doc.get("application_process")),
            "typical_wait_days": _wait_days(_text(doc.get("wait_time"))),
            "minimum_age": self.age(doc.get("minimum_age"), "$.minimum_age"),
            "maximum_age": self.age(doc.get("maximum_age"), "$.maximum_age"),
        }
        if not fields["name"]:
            self.problem("$.name", "must not be blank")
        if (fields["minimum_age"] is not None and fields["maximum_age"] is not None
                and fields["minimum_age"] > fields["maximum_age"]):
            self.problem("$.minimum_age", "must not be more than the maximum age")
        fields.update(self.costs())
        fields["phone"] = self.phone(doc.get("phones"), "$.phones")
        fields["languages"] = self.languages()
        terms, features = self.attributes()
        fields.update({field: False for field in BOOLEAN_FEATURE_FIELDS})
        fields["gender"] = Gender.ANY.value
        fields.update(features)
        if doc.get("assurer_email") not in (None, ""):
            self.email(doc.get("assurer_email"), "$.assurer_email")
        last_modified = doc.get("last_modified")
        if last_modified not in (None, "") and parse_datetime(str(last_modified)) is None:
            self.problem("$.last_modified", f"{last_modified!r} is not a date and time such as 2025-03-31T09:00:00Z")
        sals = self.service_at_locations(service_id)
        return {
            "id": service_id,
            "fields": fields,
            "assured": self.date(doc.get("assured_date"), "$.assured_date"),
            "organisation": self.organisation(),
            "terms": sorted(set(terms)),
            "areas": self.areas(),
            "sals": sals,
            "schedules": self.schedules(sals),
            "contacts": self.contacts(),
        }

    def costs(self) -> dict:
        doc = self.doc
        fees = _text(doc.get("fees")) or _text(doc.get("fees_description"))
        options = doc.get("cost_options") or []
        charged = []
        for position, option in enumerate(options):
            amount = option.get("amount")
            if amount is not None and amount < 0:
                self.problem(f"$.cost_options[{position}].amount", "must not be less than 0")
            words = " ".join(_text(option.get(key)) for key in ("option", "amount_description")).lower()
            free = amount == 0 or (amount is None and "free" in words and "charge" not in words)
            if not free:
                charged.append(option)
        if options:
            is_free = not charged
        else:
            is_free = not fees or fees.lower().startswith("free")
        if not is_free and not fees:
            # Say what the charges are, if the options say more than that there is one.
            fees = "; ".join(
                " ".join(filter(None, (
                    _text(option.get("option")),
                    f"£{option['amount']:g}" if option.get("amount") is not None else "",
                    _text(option.get("amount_description")),
                )))
                for option in charged if option.get("amount") is not None or _text(option.get("amount_description"))
            )
        return {"is_free": is_free, "fees": "" if is_free else fees}

    def phone(self, phones, path: str) -> str:
        for position, phone in enumerate(phones or []):
            number = _text(phone.get("number")) if isinstance(phone, dict) else ""
            if number:
                return self.length(number, MAX["phone"], f"{path}[{position}].number")
        return ""

    def languages(self) -> list[str]:
        names: list[str] = []
        for position, language in enumerate(self.doc.get("languages") or []):
            name = _text(language.get("name")) or _text(language.get("code"))
            if not name:
                self.problem(f"$.languages[{position}]", "gives neither a name nor a code")
                continue
            self.length(name, MAX["language"], f"$.languages[{position}].name")
            if name.lower() not in (known.lower() for known in names):
                names.append(name)
        return names

    def attributes(self) -> tuple[list[int], dict]:
        terms: list[int] = []
        features: dict = {}
        for position, attribute in enumerate(self.doc.get("attributes") or []):
            term = attribute.get("taxonomy_term") or {}
            term_id = attribute.get("taxonomy_term_id") or term.get("id")
            path = f"$.attributes[{position}].taxonomy_term_id"
            if not term_id:
                self.problem(path, "is missing: each attribute must name a taxonomy term")
                continue
            term_id = _uid(term_id)
            if term_id in FEATURE_BY_ID:
                _code, _name, field, value = FEATURE_BY_ID[term_id]
                features[field] = value
            elif term_id in self.ref.terms_by_id:
                terms.append(self.ref.terms_by_id[term_id])
            elif isinstance(term.get("term"), str) and term["term"] in self.ref.terms_by_code:
                terms.append(self.ref.terms_by_code[term["term"]])
            else:
                label = term.get("name") or term.get("term") or term_id
                self.problem(path, f"{label!r} is not a taxonomy term Pathways knows (see /taxonomy_terms)")
        return terms, features

    def organisation(self) -> dict:
        doc = self.doc
        organisation = doc.get("organization") or {}
        organisation_id = doc.get("organization_id") or organisation.get("id")
        if not organisation_id:
            self.problem("$.organization_id", "is missing: a service must belong to an organisation")
            return {}
        organisation_id = _uid(organisation_id)
        if organisation and _uid(organisation["id"]) != organisation_id:
            self.problem("$.organization.id", "is not the same as organization_id")
        if not organisation:
            return {"id": organisation_id}
        name = self.length(_text(organisation.get("name")), MAX["organisation"], "$.organization.name")
        if not name:
            self.problem("$.organization.name", "must not be blank")
        return {
            "id": organisation_id,
            "name": name,
            "description": _text(organisation.get("description")),
            "email": self.email(organisation.get("email"), "$.organization.email"),
            "website": self.url(organisation.get("website"), "$.organization.website"),
        }

    def areas(self) -> list[int]:
        chosen: set[int] = set()
        for position, area in enumerate(self.doc.get("service_areas") or []):
            path = f"$.service_areas[{position}]"
            code = _text(area.get("extent")).upper() if _text(area.get("extent_type")).lower() == "code" else ""
            if code and len(self.ref.places_by_code.get(code, [])) == 1:
                chosen.add(self.ref.places_by_code[code][0])
                continue
            name = _text(area.get("name")) or _text(area.get("service_area"))
            matches = self.ref.places_by_name.get(name.lower(), [])
            if len(matches) > 1:
                kind = _text(area.get("service_area")).lower()
                matches = [match for match in matches if match[1] == kind] or matches
            if len(matches) == 1:
                chosen.add(matches[0][0])
            elif not matches:
                self.problem(f"{path}.name", f"{name!r} is not an area or prison Pathways knows")
            else:
                self.problem(f"{path}.service_area",
                             f"{name!r} is the name of more than one kind of area: say which in service_area")
        return sorted(chosen)

    def service_at_locations(self, service_id: str) -> list[dict]:
        sals = []
        seen_locations: set[str] = set()
        for position, sal in enumerate(self.doc.get("service_at_locations") or []):
            path = f"$.service_at_locations[{position}]"
            location = sal.get("location")
            if not location:
                self.problem(f"{path}.location", "is missing: Pathways needs the location itself, not only its id")
                continue
            location_id = _uid(location["id"])
            if sal.get("location_id") and _uid(sal["location_id"]) != location_id:
                self.problem(f"{path}.location_id", "is not the same as location.id")
            if location_id in seen_locations:
                self.problem(f"{path}.location.id", "is given twice for this service")
            seen_locations.add(location_id)
            sals.append({"id": _uid(sal["id"]), "location": self.location(location, f"{path}.location")})
        return sals

    def location(self, location: dict, path: str) -> dict:
        addresses = location.get("addresses") or []
        address = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else {})
        address_path = f"{path}.addresses[{addresses.index(address)}]" if address else f"{path}.addresses"
        postcode = ""
        if address:
            given = _text(address.get("postal_code"))
            if given:
                postcode = postcode_normalised(given) or ""
                if not postcode:
                    self.problem(f"{address_path}.postal_code", f"{given!r} is not a UK postcode")
        latitude, longitude = location.get("latitude"), location.get("longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            self.problem(f"{path}.latitude", "must be from -90 to 90")
        if longitude is not None and not -180 <= longitude <= 180:
            self.problem(f"{path}.longitude", "must be from -180 to 180")
        if (latitude is None) != (longitude is None):
            self.problem(f"{path}.latitude", "give both latitude and longitude, or neither")
        name = _text(location.get("name")) or _text(address.get("address_1")) or postcode or "Location"
        prison_id = None
        if _text(location.get("external_identifier_type")).lower() == "prison":
            key = _text(location.get("external_identifier")).lower()
            prison_id = self.ref.prisons.get(key)
            if prison_id is None:
                self.problem(f"{path}.external_identifier", f"{key!r} is not a prison Pathways knows")
        accessibility = "\n".join(
            text for item in location.get("accessibility") or []
            for text in [" ".join(filter(None, (_text(item.get("description")), _text(item.get("details")))))] if text
        )
        return {
            "id": _uid(location["id"]),
            "location_type": LocationType(location["location_type"]).value,
            "name": self.length(name, MAX["location_name"], f"{path}.name"),
            "description": _text(location.get("description")),
            "address_1": self.length(_text(address.get("address_1")), MAX["address"], f"{address_path}.address_1"),
            "address_2": self.length(_text(address.get("address_2")), MAX["address"], f"{address_path}.address_2"),
            "city": self.length(_text(address.get("city")), MAX["city"], f"{address_path}.city"),
            "region": self.length(
                _text(address.get("region")) or _text(address.get("state_province")), MAX["region"],
                f"{address_path}.region",
            ),
            "postcode": postcode,
            "latitude": latitude,
            "longitude": longitude,
            "prison_id": prison_id,
            "accessibility": accessibility,
        }

    def schedules(self, sals: list[dict]) -> list[dict]:
        sal_ids = {sal["id"] for sal in sals}
        given = [(f"$.schedules[{n}]", schedule, None) for n, schedule in enumerate(self.doc.get("schedules") or [])]
        # HSDS also lets a service at a location carry its own schedules.
        for n, sal in enumerate(self.doc.get("service_at_locations") or []):
            for m, schedule in enumerate(sal.get("schedules") or [] if isinstance(sal.get("schedules"), list) else []):
                given.append((f"$.service_at_locations[{n}].schedules[{m}]", schedule, sal.get("id")))
        result = []
        for path, schedule, owner in given:
            if not isinstance(schedule, dict) or not schedule.get("id"):
                self.problem(path, "should be a schedule with an id")
                continue
            freq = schedule.get("freq")
            if freq not in (None, "", "WEEKLY"):
                self.problem(f"{path}.freq", f"Pathways keeps weekly times only; {freq!r} is not WEEKLY")
            days = [day.strip().upper() for day in _text(schedule.get("byday")).split(",") if day.strip()]
            if not days:
                self.problem(f"{path}.byday", "is missing: give the days, such as MO,WE")
            bad_days = [day for day in days if day not in WEEKDAY_CODES]
            if bad_days:
                self.problem(f"{path}.byday", f"{', '.join(bad_days)} is not a day (MO, TU, WE, TH, FR, SA or SU)")
            opens, closes = _time(schedule.get("opens_at")), _time(schedule.get("closes_at"))
            for key, value in (("opens_at", opens), ("closes_at", closes)):
                if value is None:
                    given_value = schedule.get(key)
                    self.problem(f"{path}.{key}", "is missing" if given_value in (None, "")
                                 else f"{given_value!r} is not a time such as 09:30")
            if opens and closes and opens >= closes:
                self.problem(f"{path}.closes_at", "must be later than opens_at")
            valid_from = self.date(schedule.get("valid_from"), f"{path}.valid_from")
            valid_to = self.date(schedule.get("valid_to"), f"{path}.valid_to")
            if valid_from and valid_to and valid_from > valid_to:
                self.problem(f"{path}.valid_to", "must not be before valid_from")
            sal_id = schedule.get("service_at_location_id") or owner
            if sal_id:
                try:
                    sal_id = _uid(sal_id)
                except (ValueError, TypeError, AttributeError):
                    self.problem(f"{path}.service_at_location_id", "is not a UUID")
                    sal_id = None
                if sal_id and sal_id not in sal_ids:
                    self.problem(f"{path}.service_at_location_id", "is not one of this service's service_at_locations")
            notes = self.length(_text(schedule.get("notes")), MAX["notes"], f"{path}.notes")
            attendance = attendance_from_description(
                " ".join((_text(schedule.get("description")), _text(schedule.get("attending_type"))))
            )
            for day in dict.fromkeys(days):
                if day in WEEKDAY_CODES and opens and closes:
                    result.append({
                        "id": _uid(schedule["id"]), "sal": sal_id, "attendance": attendance, "weekday": day,
                        "opens_at": opens, "closes_at": closes, "valid_from": valid_from, "valid_to": valid_to,
                        "notes": notes,
                    })
        return result

    def contacts(self) -> list[dict]:
        result = []
        for position, contact in enumerate(self.doc.get("contacts") or []):
            path = f"$.contacts[{position}]"
            row = {
                "id": _uid(contact["id"]),
                "name": self.length(_text(contact.get("name")), MAX["contact"], f"{path}.name"),
                "title": self.length(_text(contact.get("title")), MAX["contact"], f"{path}.title"),
                "email": self.email(contact.get("email"), f"{path}.email"),
                "phone": self.phone(contact.get("phones"), f"{path}.phones"),
            }
            if any(row[key] for key in ("name", "title", "email", "phone")):
                result.append(row)
        return result


def record_of_document(document: dict, reference: Reference) -> dict:
    """The record a document of ours reads as (for comparing what is stored with what arrives)."""
    return _Reading(document, reference, lambda path, message: None).record()


def record_content(record: dict) -> dict:
    """What a record says, without the ids of its parts and its freshness: equal content, no change."""
    return {
        "fields": record["fields"],
        "organisation": record["organisation"]["id"],
        "terms": record["terms"],
        "areas": record["areas"],
        "locations": sorted((sal["location"] for sal in record["sals"]), key=lambda location: location["id"]),
        "schedules": sorted(
            (schedule["weekday"], schedule["opens_at"], schedule["closes_at"], schedule["attendance"],
             schedule["valid_from"] or "", schedule["valid_to"] or "", schedule["notes"],
             _sal_location(record, schedule["sal"]))
            for schedule in record["schedules"]
        ),
        "contacts": sorted((c["name"], c["title"], c["email"], c["phone"]) for c in record["contacts"]),
    }


def _sal_location(record: dict, sal_id: str | None) -> str:
    return next((sal["location"]["id"] for sal in record["sals"] if sal["id"] == sal_id), "")


def as_datetime(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time())

