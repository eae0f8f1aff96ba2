"""Our records in Open Referral UK 3.0's shapes: a full service, the one-to-one service of a list, a
service at a location, taxonomies and their terms.

Every function reads only what ``selectors`` prefetched, so a page of services costs a fixed number of
queries. Optional fields without a value are left out (the schemas type them, so ``null`` would fail).
Funding and statutory relationships are Pathways' own and are not part of Open Referral UK.
"""

from datetime import datetime, time, timezone as dt_timezone

from django.utils import timezone

from ..models import LocationType, Service
from .mapping import (
    ATTENDANCE_DESCRIPTIONS,
    FEATURE_TAXONOMY,
    FEATURE_TAXONOMY_ID,
    FEATURES,
    HSDS_VERSION,
    PROFILE_URL,
    derived_id,
    feature_term_id,
    features_of,
)

COUNTRY = "GB"


def _clean(data: dict) -> dict:
    """Leave out optional fields that have no value."""
    return {key: value for key, value in data.items() if value not in (None, "")}


def _datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt_timezone.utc).isoformat().replace("+00:00", "Z")


def _time(value: time) -> str:
    return value.strftime("%H:%M")


# Taxonomies --------------------------------------------------------------------------------------

def taxonomy_term(term) -> dict:
    return _clean({
        "id": str(term.uuid),
        "name": term.name,
        "description": term.description or "",
        "parent_id": str(term.parent.uuid) if term.parent_id else None,
        "taxonomy": term.vocabulary.name,
        "taxonomy_id": str(term.vocabulary.uuid),
        "term": term.code,
    }) | {"description": term.description or ""}


def feature_term(code: str, name: str) -> dict:
    return {
        "id": feature_term_id(code),
        "name": name,
        "description": "",
        "taxonomy": FEATURE_TAXONOMY["name"],
        "taxonomy_id": FEATURE_TAXONOMY_ID,
        "term": code,
    }


def taxonomy(vocabulary, terms=None) -> dict:
    data = {"id": str(vocabulary.uuid), "name": vocabulary.name, "description": vocabulary.description or ""}
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(term) for term in terms]
    return data


def feature_taxonomy(with_terms: bool = False) -> dict:
    data = {"id": FEATURE_TAXONOMY_ID, "name": FEATURE_TAXONOMY["name"], "description": FEATURE_TAXONOMY["description"]}
    if with_terms:
        data["taxonomy_terms"] = [feature_term(code, name) for code, name, _field, _value in FEATURES]
    return data


def _attribute(service_id: str, key: str, term_data: dict) -> dict:
    return {
        "id": derived_id(service_id, "attribute", key),
        "link_id": service_id,
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": term_data["id"],
        "taxonomy_term": term_data,
    }


# Organisations -----------------------------------------------------------------------------------

def organization(organisation) -> dict:
    return _clean({
        "id": str(organisation.uuid),
        "name": organisation.name,
        "email": organisation.email,
        "website": organisation.website,
    }) | {"description": organisation.description or ""}


# Services ----------------------------------------------------------------------------------------

def service_summary(service: Service) -> dict:
    """The one-to-one fields of a service, with its organisation (``service_list.json``)."""
    service_id = str(service.uuid)
    return _clean({
        "id": service_id,
        "organization_id": str(service.organisation.uuid),
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees": service.fees if not service.is_free else "",
        "fees_description": service.fees if not service.is_free else "",
        "accreditations": service.accreditations,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility_description": service.eligibility,
        "application_process": service.referral_details,
        "wait_time": f"{service.typical_wait_days} days" if service.typical_wait_days is not None else None,
        "assured_date": timezone.localdate(service.last_checked_at).isoformat() if service.last_checked_at else None,
        "alert": service.alert,
        "last_modified": _datetime(service.updated_at),
        "organization": organization(service.organisation),
    })


def _address(location) -> list[dict]:
    if not (location.address_1 or location.postcode):
        return []
    location_id = str(location.uuid)
    return [_clean({
        "id": derived_id(location_id, "address"),
        "location_id": location_id,
        "address_2": location.address_2,
        "region": location.region,
        "address_type": "physical" if location.location_type == LocationType.PHYSICAL else "postal",
    }) | {
        "address_1": location.address_1,
        "city": location.city,
        "state_province": location.region,
        "postal_code": location.postcode,
        "country": COUNTRY,
    }]


def location(location_) -> dict:
    location_id = str(location_.uuid)
    data = _clean({
        "id": location_id,
        "location_type": location_.location_type,
        "name": location_.name,
        "description": location_.description,
        "latitude": location_.latitude,
        "longitude": location_.longitude,
        "external_identifier": (location_.prison.code or location_.prison.name) if location_.prison_id else None,
        "external_identifier_type": "prison" if location_.prison_id else None,
    })
    data["addresses"] = _address(location_)
    data["accessibility"] = (
        [{"id": derived_id(location_id, "accessibility"), "location_id": location_id,
          "description": location_.accessibility}]
        if location_.accessibility else []
    )
    return data


def _service_at_location(sal, service_id: str) -> dict:
    return {
        "id": str(sal.uuid),
        "service_id": service_id,
        "location_id": str(sal.location.uuid),
        "location": location(sal.location),
    }


def _schedule(schedule, service_id: str, sal_ids: dict) -> dict:
    return _clean({
        "id": str(schedule.uuid),
        "service_id": service_id,
        "service_at_location_id": sal_ids.get(schedule.service_at_location_id),
        "freq": "WEEKLY",
        "byday": schedule.weekday,
        "opens_at": _time(schedule.opens_at),
        "closes_at": _time(schedule.closes_at),
        "valid_from": schedule.valid_from.isoformat() if schedule.valid_from else None,
        "valid_to": schedule.valid_to.isoformat() if schedule.valid_to else None,
        "description": ATTENDANCE_DESCRIPTIONS[schedule.attendance],
        "attending_type": "in person",
        "notes": schedule.notes,
    })


def _contact(contact, service_id: str) -> dict:
    contact_id = str(contact.uuid)
    data = _clean({
        "id": contact_id,
        "service_id": service_id,
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
    })
    data["phones"] = (
        [{"id": derived_id(contact_id, "phone"), "contact_id": contact_id, "number": contact.phone}]
        if contact.phone else []
    )
    return data


def _service_area(place, service_id: str) -> dict:
    return _clean({
        "id": derived_id(service_id, "area", f"{place.kind}:{place.name}"),
        "service_id": service_id,
        "name": place.name,
        "service_area": place.get_kind_display(),
        "extent": place.code,
        "extent_type": "code" if place.code else None,
    })


def _cost_options(service: Service, service_id: str) -> list[dict]:
    option = {"id": derived_id(service_id, "cost"), "service_id": service_id}
    if service.is_free:
        return [option | {"option": "Free", "amount": 0}]
    return [_clean(option | {"option": "Charge", "amount_description": service.fees})]


def service_full(service: Service) -> dict:
    """A fully nested service (``compiled/service.json``)."""
    service_id = str(service.uuid)
    data = service_summary(service)
    sals = list(service.service_at_locations.all())
    sal_ids = {sal.pk: str(sal.uuid) for sal in sals}
    data["phones"] = (
        [{"id": derived_id(service_id, "phone"), "service_id": service_id, "number": service.phone}]
        if service.phone else []
    )
    data["schedules"] = [_schedule(schedule, service_id, sal_ids) for schedule in service.schedules.all()]
    data["service_areas"] = [_service_area(place, service_id) for place in service.areas.all()]
    data["service_at_locations"] = [_service_at_location(sal, service_id) for sal in sals]
    data["languages"] = [
        {"id": derived_id(service_id, "language", name.strip().lower()), "service_id": service_id, "name": name}
        for name in service.languages or [] if name and name.strip()
    ]
    data["funding"] = []
    data["cost_options"] = _cost_options(service, service_id)
    data["contacts"] = [_contact(contact, service_id) for contact in service.contacts.all()]
    data["attributes"] = [
        _attribute(service_id, f"term:{term.code}", taxonomy_term(term)) for term in service.terms.all()
    ] + [
        _attribute(service_id, f"feature:{code}", feature_term(code, name)) for code, name in features_of(service)
    ]
    return data


def service_at_location_summary(sal) -> dict:
    """A service at a location with the location's and the service's one-to-one fields."""
    loc = location(sal.location)
    return {
        "id": str(sal.uuid),
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
        "location": {key: value for key, value in loc.items() if key not in ("addresses", "accessibility")},
        "service": service_summary(sal.service),
    }


def service_at_location_full(sal) -> dict:
    """A fully nested service at a location.

    openapi.json gives ``compiled/service.json`` as this response's schema, which looks like a slip for
    ``service_at_location.json``; the response has the shape of the latter and also the name and status
    the former requires, so it validates against both.
    """
    return {
        "id": str(sal.uuid),
        "name": f"{sal.service.name} at {sal.location.name}",
        "status": sal.service.status,
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
        "location": location(sal.location),
        "service": service_full(sal.service),
    }


def api_info(*, openapi_url: str) -> dict:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": openapi_url}

