"""Validation against the copied OCDS 1.1 schemas, offline: every ``$ref`` resolves to a local file."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).parent / "schemas"
FILES = ["release-schema.json", "release-package-schema.json", "record-schema.json",
         "record-package-schema.json", "versioned-release-validation-schema.json"]


@cache
def _schemas() -> dict[str, dict]:
    return {name: json.loads((SCHEMAS / name).read_text(encoding="utf-8")) for name in FILES}


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in _schemas().values()
    )


@cache
def _validator(name: str) -> Draft4Validator:
    return Draft4Validator(_schemas()[name], registry=_registry(), format_checker=FormatChecker())


def errors(document: dict, *, schema: str) -> list[str]:
    """What is wrong with ``document`` against ``schema`` (a file name such as "release-package-schema.json")."""
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(_validator(schema).iter_errors(document), key=lambda error: list(error.absolute_path))
    ]


def release_package_errors(package: dict) -> list[str]:
    return errors(package, schema="release-package-schema.json")


def record_package_errors(package: dict) -> list[str]:
    return errors(package, schema="record-package-schema.json")


def release_errors(release: dict) -> list[str]:
    return errors(release, schema="release-schema.json")
