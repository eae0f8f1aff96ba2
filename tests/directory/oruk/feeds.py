"""Open Referral UK documents for import tests, valid unless a test spoils them."""

import copy
import json
import uuid

from pathways.directory.oruk.mapping import feature_term_id
from pathways.taxonomy.models import Term

NEW_ORGANISATION_ID = "5b1f3f8e-6a0c-4c1e-9d7e-2f1a3b4c5d6e"


def term_attribute(service_id: str, code: str) -> dict:
    term = Term.objects.select_related("vocabulary").get(code=code)
    return {
        "id": str(uuid.uuid5(uuid.UUID(service_id), code)),
        "link_id": service_id,
        "link_type": "service",
        "taxonomy_term_id": str(term.uuid),
        "taxonomy_term": {"id": str(term.uuid), "name": term.name, "description": "", "term": code},
    }


def feature_attribute(service_id: str, code: str) -> dict:
    return {
        "id": str(uuid.uuid5(uuid.UUID(service_id), code)),
        "link_id": service_id,
        "taxonomy_term_id": feature_term_id(code),
        "taxonomy_term": {"id": feature_term_id(code), "name": code, "description": ""},
    }


def full_service(n: int = 1, *, organisation_id: str = NEW_ORGANISATION_ID, **overrides) -> dict:
    """A full service in a fixed shape; ids are derived from ``n`` so the same n gives the same record."""
    sid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"service-{n}"))
    loc = str(uuid.uuid5(uuid.NAMESPACE_URL, f"location-{n}"))
    sal = str(uuid.uuid5(uuid.NAMESPACE_URL, f"sal-{n}"))
    document = {
        "id": sid,
        "organization_id": organisation_id,
        "name": f"Imported service {n}",
        "description": "Advice on housing for people leaving prison.",
        "url": "https://feed.example.org/services/1",
        "email": "help@feed.example.org",
        "status": "active",
        "minimum_age": 18,
        "assured_date": "2025-01-15",
        "last_modified": "2025-01-15T10:00:00Z",
        "eligibility_description": "People leaving prison in Leeds.",
        "organization": {
            "id": organisation_id,
            "name": "Feed Housing Association",
            "description": "Housing support.",
            "website": "https://feed.example.org",
        },
        "service_at_locations": [{
            "id": sal,
            "service_id": sid,
            "location_id": loc,
            "location": {
                "id": loc,
                "location_type": "physical",
                "name": f"Feed Centre {n}",
                "addresses": [{
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"address-{n}")),
                    "address_1": "2 Albion Street",
                    "city": "Leeds",
                    "state_province": "West Yorkshire",
                    "postal_code": "ls1 6ab",
                    "country": "GB",
                    "address_type": "physical",
                }],
            },
        }],
        "schedules": [{
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"schedule-{n}")),
            "service_id": sid,
            "service_at_location_id": sal,
            "freq": "WEEKLY",
            "byday": "MO,WE",
            "opens_at": "10:00",
            "closes_at": "12:30",
            "description": "Drop-in",
        }],
        "service_areas": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"area-{n}")), "service_id": sid, "name": "Leeds"}],
        "languages": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"language-{n}")), "service_id": sid, "name": "Polish"}],
        "cost_options": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"cost-{n}")), "option": "Free", "amount": 0}],
        "contacts": [{
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"contact-{n}")),
            "service_id": sid,
            "name": "Jo Housing",
            "email": "jo@feed.example.org",
            "phones": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"phone-{n}")), "number": "0113 496 0100"}],
        }],
        "attributes": [term_attribute(sid, "pathway-accommodation"), feature_attribute(sid, "route-self")],
    }
    document.update(overrides)
    return document


def spoiled(document: dict, path: list, value=None, *, remove: bool = False) -> dict:
    """A copy of ``document`` with the value at ``path`` replaced (or removed)."""
    result = copy.deepcopy(document)
    target = result
    for key in path[:-1]:
        target = target[key]
    if remove:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return result


def write_json(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)
