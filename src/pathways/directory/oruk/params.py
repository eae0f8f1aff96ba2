"""The query parameters of the Open Referral UK API, checked and turned into ``ServiceFilters``.

A parameter that cannot be read is refused with a message naming it (a 400), never silently ignored.
"""

import re
import uuid
from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from pathways.taxonomy.models import Term

from .mapping import FEATURE_BY_ID, FEATURE_TAXONOMY_ID, WEEKDAY_CODES
from .selectors import ServiceFilters, vocabulary_by_uuid

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
DAY_NAMES = {name: code for code, name in zip(
    WEEKDAY_CODES, ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), strict=True
)}
TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no", ""}


class BadParameters(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def _integer(value: str, name: str, errors: dict, *, minimum: int, maximum: int | None = None) -> int | None:
    try:
        number = int(value)
    except ValueError:
        errors[name] = "must be a whole number"
        return None
    if number < minimum or (maximum is not None and number > maximum):
        errors[name] = f"must be from {minimum}" + (f" to {maximum}" if maximum is not None else " upwards")
        return None
    return number


def _number(value: str, name: str, errors: dict) -> float | None:
    try:
        number = float(value)
    except ValueError:
        errors[name] = "must be a number"
        return None
    if number != number or number < 0:  # NaN, or negative
        errors[name] = "must be a number of zero or more"
        return None
    return number


def _time(value: str, name: str, errors: dict) -> time | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", value.strip())
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    errors[name] = "must be a time such as 09:30"
    return None


def _uuid(value: str, name: str, errors: dict) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        errors[name] = "must be a UUID"
        return None


def boolean(query, name: str, errors: dict) -> bool:
    value = query.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value not in FALSE:
        errors[name] = "must be true or false"
    return False


def paging(query) -> tuple[int, int]:
    errors: dict[str, str] = {}
    page = _integer(query.get("page") or "1", "page", errors, minimum=1)
    per_page = _integer(query.get("per_page") or str(DEFAULT_PER_PAGE), "per_page", errors, minimum=1, maximum=MAX_PER_PAGE)
    if errors:
        raise BadParameters(errors)
    return page, per_page


def service_filters(query, *, locate_postcode) -> ServiceFilters:
    """``locate_postcode(code) -> (lat, lon) | None`` finds a postcode's centre."""
    errors: dict[str, str] = {}
    filters = ServiceFilters(text=query.get("search", "").strip()[:200])

    if term_id := query.get("taxonomy_term_id", "").strip():
        if (checked := _uuid(term_id, "taxonomy_term_id", errors)) is not None:
            if checked in FEATURE_BY_ID:
                _code, _name, field_name, value = FEATURE_BY_ID[checked]
                filters.feature_fields.append((field_name, value))
            else:
                term = next((t for t in Term.objects.only("pk", "code") if str(t.uuid) == checked), None)
                if term is None:
                    errors["taxonomy_term_id"] = "is not the id of a taxonomy term here (see /taxonomy_terms)"
                else:
                    filters.term_ids.append(term.pk)
    if taxonomy_id := query.get("taxonomy_id", "").strip():
        if (checked := _uuid(taxonomy_id, "taxonomy_id", errors)) is not None:
            if checked == FEATURE_TAXONOMY_ID:
                filters.feature_taxonomy = True
            elif (vocabulary := vocabulary_by_uuid(checked)) is None:
                errors["taxonomy_id"] = "is not the id of a taxonomy here (see /taxonomies)"
            else:
                filters.vocabulary_id = vocabulary.pk
    if organisation_id := query.get("organization_id", "").strip():
        filters.organisation_uuid = _uuid(organisation_id, "organization_id", errors)
    if value := query.get("minimum_age", "").strip():
        filters.minimum_age = _number(value, "minimum_age", errors)
    if value := query.get("maximum_age", "").strip():
        filters.maximum_age = _number(value, "maximum_age", errors)
    if value := query.get("start_time", "").strip():
        filters.start_time = _time(value, "start_time", errors)
    if value := query.get("end_time", "").strip():
        filters.end_time = _time(value, "end_time", errors)
    if value := query.get("day", "").strip():
        day = value.upper() if value.upper() in WEEKDAY_CODES else DAY_NAMES.get(value.lower())
        if day is None:
            errors["day"] = "must be a day such as MO or Monday"
        filters.day = day
    if value := query.get("modified_after", "").strip():
        moment = parse_datetime(value)
        if moment is None and (day_ := parse_date(value)) is not None:
            moment = datetime(day_.year, day_.month, day_.day)
        if moment is None:
            errors["modified_after"] = "must be a date and time such as 2025-01-31T09:00:00Z"
        elif timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        filters.modified_after = moment
    postcode = query.get("postcode", "").strip()
    proximity = query.get("proximity", "").strip()
    if proximity and not postcode:
        errors["proximity"] = "needs a postcode to measure from"
    elif proximity:
        filters.proximity_m = _number(proximity, "proximity", errors)
    if postcode:
        filters.near = locate_postcode(postcode)
        if filters.near is None:
            errors["postcode"] = f"{postcode!r} is not a postcode or postcode district we know"
    if errors:
        raise BadParameters(errors)
    return filters
