"""Validating Open Referral UK documents against the profile's schemas, offline.

The schemas in ``schemas/`` are loaded into a ``referencing`` registry under the addresses that
``openapi.json`` uses, so nothing is fetched. ``jsonschema`` is the authority; because it checks about
a thousand full services a second, an import first asks ``fast_validator`` (the same rules compiled to
plain Python for the small part of JSON Schema these files use) and only asks ``jsonschema`` for the
messages when a record fails. The tests check that the two agree.
"""

import copy
import json
import re
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
# Where openapi.json points, and the local copy that answers for it.
LOCAL_FILES = {
    REMOTE + "compiled/service.json": "compiled/service.json",
    REMOTE + "compiled/service_list.json": "compiled/service_list.json",
    REMOTE + "compiled/service_at_location.json": "compiled/service_at_location.json",
    REMOTE + "compiled/service_at_location_list.json": "compiled/service_at_location_list.json",
    REMOTE + "compiled/service_package.json": "compiled/service_package.json",
    REMOTE + "taxonomy.json": "derived_taxonomy.json",
    REMOTE + "taxonomy_term.json": "derived_taxonomy_term.json",
}
SCHEMA_NAMES = {
    "service": REMOTE + "compiled/service.json",
    "service_list": REMOTE + "compiled/service_list.json",
    "service_at_location": REMOTE + "compiled/service_at_location.json",
    "service_at_location_list": REMOTE + "compiled/service_at_location_list.json",
    "service_package": REMOTE + "compiled/service_package.json",
    "taxonomy": REMOTE + "taxonomy.json",
    "taxonomy_term": REMOTE + "taxonomy_term.json",
}


@dataclass(frozen=True)
class SchemaProblem:
    path: str  # a JSON path such as $.service_at_locations[0].location.id
    message: str


@cache
def _load(relative: str) -> dict:
    return json.loads((SCHEMA_DIR / relative).read_text(encoding="utf-8"))


def schema(name: str) -> dict:
    """A compiled schema by its short name: service, service_list, service_at_location, taxonomy..."""
    return _load(LOCAL_FILES[SCHEMA_NAMES[name]])


def openapi() -> dict:
    return _load("openapi.json")


@cache
def registry() -> Registry:
    resources = [
        (address, Resource.from_contents(_load(relative), default_specification=DRAFT202012))
        for address, relative in LOCAL_FILES.items()
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": SCHEMA_NAMES[name]}, registry=registry(), format_checker=FormatChecker())


def _inline_local_refs(node, document):
    """Replace ``#/components/...`` references with what they point at, leaving the schemas' own."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target = document
            for part in ref[2:].split("/"):
                target = target[part]
            return _inline_local_refs(copy.deepcopy(target), document)
        return {key: _inline_local_refs(value, document) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_local_refs(item, document) for item in node]
    return node


@cache
def operation_validator(path: str) -> Draft202012Validator:
    """The validator for the 200 response of GET ``path`` as openapi.json defines it ('/services/{id}')."""
    document = openapi()
    response = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return Draft202012Validator(
        _inline_local_refs(response, document), registry=registry(), format_checker=FormatChecker()
    )


def json_path(parts) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def problems(validator_: Draft202012Validator, instance) -> list[SchemaProblem]:
    """Every way ``instance`` breaks the schema, deepest first, each at its JSON path."""
    found = []
    for error in validator_.iter_errors(instance):
        # Report the most specific cause of an error about a combination of schemas.
        leaves = list(_leaf_errors(error))
        for leaf in leaves:
            parts = list(leaf.absolute_path)
            if leaf.validator == "required" and (missing := _missing_property(leaf)):
                parts.append(missing)
                found.append(SchemaProblem(json_path(parts), "is required"))
            else:
                found.append(SchemaProblem(json_path(parts), _plain(leaf)))
    return sorted(set(found), key=lambda problem: problem.path)


def _leaf_errors(error):
    if not error.context:
        yield error
        return
    for child in error.context:
        yield from _leaf_errors(child)


def _missing_property(error) -> str | None:
    instance = error.instance if isinstance(error.instance, dict) else {}
    return next((name for name in error.validator_value if name not in instance), None)


def _plain(error) -> str:
    if error.validator == "format":
        return f"{error.instance!r} is not a valid {error.validator_value}"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(repr(v) for v in error.validator_value)}"
    if error.validator == "type":
        return f"should be {'an' if str(error.validator_value)[0] in 'aeiou' else 'a'} {error.validator_value}, not {type(error.instance).__name__}"
    return error.message


# A fast validator for the keywords the compiled schemas use: type, properties, required, items,
# enum, format (uuid and email are the formats jsonschema checks without extra packages).

class UnsupportedSchema(Exception):
    pass


_ANNOTATIONS = {
    "name", "title", "description", "constraints", "example", "core", "path", "datapackage_metadata",
    "datapackage_type", "tabular_required", "definitions", "$schema", "$id", "$comment",
}


_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def _is_uuid(value) -> bool:
    """jsonschema's check (uuid.UUID parses it and the hyphens are where they belong), canonical form first."""
    if _CANONICAL_UUID.match(value):
        return True
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return all(value[position] == "-" for position in (8, 13, 18, 23))


_TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_FORMATS = {"uuid": _is_uuid, "email": lambda v: "@" in v}


def _compile(node: dict, root: dict):
    """A function value -> bool for the schema ``node``."""
    if "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise UnsupportedSchema(ref)
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        return _compile(target, root)
    unknown = set(node) - _ANNOTATIONS - {"type", "properties", "required", "items", "enum", "format"}
    if unknown:
        raise UnsupportedSchema(", ".join(sorted(unknown)))
    checks = []
    kind = node.get("type")
    if kind is not None:
        type_check = _TYPES[kind]
        checks.append(type_check)
    format_check = _FORMATS.get(node.get("format"))
    if format_check is not None:
        checks.append(lambda v, f=format_check: not isinstance(v, str) or f(v))
    if "enum" in node:
        allowed = node["enum"]
        checks.append(lambda v: v in allowed)
    required = tuple(node.get("required", ()))
    properties = [(key, _compile(sub, root)) for key, sub in node.get("properties", {}).items()]
    if required or properties:
        def check_object(value):
            if not isinstance(value, dict):
                return True
            for key in required:
                if key not in value:
                    return False
            for key, check in properties:
                if key in value and not check(value[key]):
                    return False
            return True
        checks.append(check_object)
    if "items" in node:
        item_check = _compile(node["items"], root)
        def check_items(value):
            if isinstance(value, list):
                for item in value:
                    if not item_check(item):
                        return False
            return True
        checks.append(check_items)
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def check_all(value):
        for check in checks:
            if not check(value):
                return False
        return True
    return check_all


@cache
def fast_validator(name: str):
    """``is_valid(instance) -> bool`` for a compiled schema, agreeing with ``validator(name)``."""
    document = schema(name)
    return _compile(document, document)
