"""The schemas travel with Pathways and validate offline; the fast check agrees with jsonschema."""

import copy
import json

import pytest

from pathways.directory.oruk import validation

from .feeds import full_service


def test_the_schemas_and_their_origin_are_copied_into_the_project():
    folder = validation.SCHEMA_DIR
    assert (folder / "SOURCE").read_text().startswith("ecdfabf78944d480d7f580d08b702b08cbec4b09")
    assert "CC BY-SA 4.0" in (folder / "README.md").read_text()
    for relative in validation.LOCAL_FILES.values():
        assert json.loads((folder / relative).read_text())


def test_references_resolve_without_the_network(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("validation tried to reach the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    page = {"total_items": 0, "total_pages": 0, "page_number": 1, "size": 0, "first_page": True,
            "last_page": True, "empty": True, "contents": []}
    assert validation.operation_validator("/services").is_valid(page)
    assert not validation.operation_validator("/services").is_valid(page | {"contents": [{"id": "x"}]})


def _mutations(document):
    """Documents each wrong in one way, and some right in unusual ways."""
    yield document, True
    for key in list(document):
        changed = copy.deepcopy(document)
        del changed[key]
        yield changed, key not in ("id", "name", "status")
    for key, value in [("id", "nope"), ("status", "closed"), ("minimum_age", "18"), ("email", "x"),
                       ("minimum_age", True), ("schedules", {}), ("name", 5), ("organization", [])]:
        yield document | {key: value}, False
    location = copy.deepcopy(document)
    del location["service_at_locations"][0]["location"]["addresses"][0]["city"]
    yield location, False
    uuid_forms = copy.deepcopy(document)
    uuid_forms["schedules"][0]["id"] = uuid_forms["schedules"][0]["id"].upper()
    yield uuid_forms, True
    braces = copy.deepcopy(document)
    braces["schedules"][0]["id"] = "{" + braces["schedules"][0]["id"] + "}"
    yield braces, False
    extra = copy.deepcopy(document) | {"x_pathways": {"anything": 1}}
    yield extra, True


@pytest.mark.django_db
def test_the_fast_check_agrees_with_jsonschema():
    fast = validation.fast_validator("service")
    slow = validation.validator("service")
    for document, expected in _mutations(full_service(1)):
        assert slow.is_valid(document) is expected, document
        assert fast(document) is expected, document
