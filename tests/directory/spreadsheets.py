"""Spreadsheets for the import tests: rows by column key, written as CSV or XLSX."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.directory.services.spreadsheet_columns import COLUMN_BY_KEY, COLUMNS

HEADINGS = [column.label for column in COLUMNS]


def good_row(**values) -> dict:
    """A row that imports cleanly for the Aire Valley charity; ``values`` (by column key) override it."""
    row = {
        "external_id": "AV-1",
        "organisation": "Aire Valley Resettlement Trust",
        "name": "Housing advice drop-in",
        "description": "Advice on finding and keeping a home.",
        "url": "www.aire.example.org/housing",
        "email": "housing@aire.example.org",
        "phone": "0113 496 0000",
        "pathways": "Accommodation",
        "categories": "Advice; category-housing",
        "client_groups": "Women",
        "areas": "Leeds (Local authority); HMP Leeds",
        "in_custody": "yes",
        "in_community": "yes",
        "through_the_gate": "no",
        "eligibility": "Anyone leaving prison to live in Leeds.",
        "minimum_age": "18",
        "maximum_age": "",
        "gender": "anyone",
        "self_referral": "yes",
        "agency_referral": "yes",
        "statutory_referral_only": "no",
        "referral_details": "Drop in or call.",
        "is_free": "yes",
        "fees": "",
        "languages": "English; Polish",
        "peer_led": "no",
        "capacity": "40 people a year",
        "typical_wait_days": "7",
        "location_name": "Aire Valley hub",
        "address": "14 Kirkstall Road",
        "town": "Leeds",
        "postcode": "ls1 4rt",
        "drop_in_times": "Mon 10:00-12:00; Thu 14:00-16:00",
        "opening_times": "Mon-Fri 09:00-17:00",
        "contact_name": "Sam Patel",
        "contact_email": "sam@aire.example.org",
        "contact_phone": "07700 900123",
        "funding_kind": "contracted",
        "funder": "HMP Leeds",
        "funding_stream": "Resettlement services",
        "publish": "yes",
    }
    row.update(values)
    return row


def table(rows, keys=None) -> list[list[str]]:
    keys = keys or [column.key for column in COLUMNS]
    return [[COLUMN_BY_KEY[key].label for key in keys]] + [[row.get(key, "") for key in keys] for row in rows]


def csv_bytes(rows, keys=None, encoding="utf-8-sig", delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(table(rows, keys))
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, keys=None, sheet_title="Services") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for line in table(rows, keys):
        sheet.append([_typed(cell) for cell in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed(cell: str):
    """Numbers as numbers, as a person typing into Excel would get them."""
    return int(cell) if cell.isdigit() else (cell or None)


def upload(data: bytes, name: str = "services.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# Fixtures, imported by the test modules that use them --------------------------------------------------

import pytest  # noqa: E402

from pathways.organisations.models import PlaceKind  # noqa: E402
from tests.factories import OrganisationFactory, PlaceFactory, org_type  # noqa: E402


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def places(db):
    """Leeds is both a local authority and a probation delivery unit, as in the region."""
    return {
        "leeds": PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Leeds", code="E08000035"),
        "leeds_pdu": PlaceFactory(kind=PlaceKind.DELIVERY_UNIT, name="Leeds"),
        "bradford": PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Bradford"),
        "hmp_leeds": PlaceFactory(kind=PlaceKind.PRISON, name="HMP Leeds", code="LEI"),
    }


@pytest.fixture
def prison(db):
    """HMP Leeds the organisation, so a row naming it as funder links to it."""
    return OrganisationFactory(name="HMP Leeds", slug="hmp-leeds", type=org_type("prison"))


def service_with_external_id(organisation, external_id: str, **fields):
    """A service made through the services layer, then given the id a spreadsheet or feed knows it by."""
    from tests.factories import directory_service

    service = directory_service(organisation, **fields)
    type(service).objects.filter(pk=service.pk).update(external_id=external_id)
    service.refresh_from_db()
    return service
