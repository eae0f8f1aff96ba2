"""Open Referral UK as a folder of CSV tables, one per record type, named as the profile's schemas name
them (``services.csv``, ``organizations.csv``, ``service_at_location.csv``, ``schedule.csv``...).

Reading joins the tables back into full services one service at a time, through a temporary SQLite
file on disk with an index on each link column, so memory stays flat however large the tables are.
Writing flattens full services into the same tables.
"""

import csv
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pathways.core.errors import DomainError

# table -> (the file the profile names, other names we accept, columns). Columns are the profile's, plus
# the HSDS 3.0 fields Pathways also uses (address_2, eligibility_description...).
TABLES = {
    "service": ("services.csv", ["service.csv"], [
        "id", "organization_id", "name", "description", "url", "email", "status", "fees", "fees_description",
        "accreditations", "minimum_age", "maximum_age", "eligibility_description", "application_process",
        "wait_time", "assured_date", "assurer_email", "alert", "last_modified",
    ]),
    "organization": ("organizations.csv", ["organization.csv"], [
        "id", "name", "description", "email", "website", "logo", "uri", "parent_organization_id",
    ]),
    "service_at_location": ("service_at_location.csv", ["service_at_locations.csv"], [
        "id", "service_id", "location_id",
    ]),
    "location": ("locations.csv", ["location.csv"], [
        "id", "location_type", "name", "description", "latitude", "longitude", "external_identifier",
        "external_identifier_type",
    ]),
    "address": ("address.csv", ["addresses.csv"], [
        "id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
        "postal_code", "country", "address_type",
    ]),
    "accessibility": ("accessibility.csv", ["accessibilities.csv"], [
        "id", "location_id", "description", "details", "url", "accessibility",
    ]),
    "schedule": ("schedule.csv", ["schedules.csv"], [
        "id", "service_id", "service_at_location_id", "valid_from", "valid_to", "dtstart", "freq", "interval",
        "byday", "bymonthday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes",
    ]),
    "contact": ("contacts.csv", ["contact.csv"], ["id", "service_id", "name", "title", "email"]),
    "phone": ("phones.csv", ["phone.csv"], ["id", "service_id", "contact_id", "number", "description"]),
    "language": ("languages.csv", ["language.csv"], ["id", "service_id", "phone_id", "name", "code"]),
    "service_area": ("service_areas.csv", ["service_area.csv"], [
        "id", "service_id", "name", "extent", "extent_type", "uri", "service_area",
    ]),
    "cost_option": ("cost_options.csv", ["cost_option.csv"], [
        "id", "service_id", "valid_from", "valid_to", "option", "amount", "amount_description",
    ]),
    "funding": ("funding.csv", ["fundings.csv"], ["id", "service_id", "source"]),
    "attribute": ("attribute.csv", ["attributes.csv"], ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity"]),
    "taxonomy_term": ("taxonomy_terms.csv", ["taxonomy_term.csv"], [
        "id", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri", "term",
    ]),
    "taxonomy": ("taxonomies.csv", ["taxonomy.csv"], ["id", "name", "description", "uri", "version"]),
}
NUMBER_COLUMNS = {"minimum_age", "maximum_age", "latitude", "longitude", "amount", "interval"}
# Blank cells in these columns mean "no value" (a blank would not be a number, id, address, date or
# one of a list of values); in the others a blank is an empty text.
OMIT_WHEN_BLANK = NUMBER_COLUMNS | {
    "email", "assurer_email", "status", "location_type", "address_type", "freq", "url", "website",
    "schedule_link", "uri", "term_uri", "last_modified", "assured_date", "valid_from", "valid_to", "dtstart",
}
# The columns each table is looked up by.
LINKS = {
    "service_at_location": ["service_id"],
    "address": ["location_id"],
    "accessibility": ["location_id"],
    "schedule": ["service_id", "service_at_location_id"],
    "contact": ["service_id"],
    "phone": ["service_id", "contact_id"],
    "language": ["service_id"],
    "service_area": ["service_id"],
    "cost_option": ["service_id"],
    "funding": ["service_id"],
    "attribute": ["link_id"],
}


def table_file(folder: Path, table: str) -> Path | None:
    main, others, _columns = TABLES[table]
    for name in [main, *others]:
        if (folder / name).is_file():
            return folder / name
    return None


def _typed(row: dict) -> dict:
    """A CSV row as JSON: blank cells left out, numbers as numbers (text that is not one stays text,
    for the schema check to report)."""
    result = {}
    for key, value in row.items():
        if key is None or value is None:
            continue
        if value == "" and (key in OMIT_WHEN_BLANK or key == "id" or key.endswith("_id")):
            continue
        if key in NUMBER_COLUMNS:
            try:
                number = float(value)
                value = int(number) if number.is_integer() and "." not in value else number
            except ValueError:
                pass
        result[key] = value
    return result


class TableReader:
    """Full services from a folder of tables. Use as a context manager; iterate ``documents()``."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        if table_file(self.folder, "service") is None:
            raise DomainError(f"{self.folder} has no services.csv: it is not a folder of Open Referral UK tables.")
        self._file = tempfile.NamedTemporaryFile(prefix="oruk-tables-", suffix=".sqlite3")
        self.db = sqlite3.connect(self._file.name)
        self.columns: dict[str, list[str]] = {}

    def __enter__(self):
        for table in TABLES:
            if table != "service":
                self._load(table)
        return self

    def __exit__(self, *exc):
        self.db.close()
        self._file.close()

    def _load(self, table: str) -> None:
        path = table_file(self.folder, table)
        if path is None:
            self.columns[table] = []
            return
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            header = [name.strip() for name in next(reader, [])]
            self.columns[table] = header
            if not header:
                return
            quoted = ", ".join(f'"{name}"' for name in header)
            self.db.execute(f'CREATE TABLE "{table}" (row_number INTEGER, {quoted})')
            marks = ", ".join("?" for _ in range(len(header) + 1))
            batch = []
            for number, row in enumerate(reader, start=2):
                row = (row + [""] * len(header))[:len(header)]
                batch.append([number, *row])
                if len(batch) >= 5000:
                    self.db.executemany(f'INSERT INTO "{table}" VALUES ({marks})', batch)
                    batch = []
            self.db.executemany(f'INSERT INTO "{table}" VALUES ({marks})', batch)
        for column in LINKS.get(table, []) + ["id"]:
            if column in header:
                self.db.execute(f'CREATE INDEX "{table}_{column}" ON "{table}" ("{column}")')
        self.db.commit()

    def _rows(self, table: str, column: str, value) -> list[dict]:
        if column not in self.columns.get(table, []) or value in (None, ""):
            return []
        cursor = self.db.execute(f'SELECT * FROM "{table}" WHERE "{column}" = ? ORDER BY row_number', (value,))
        names = [description[0] for description in cursor.description]
        return [_typed(dict(zip(names[1:], row[1:], strict=True))) for row in cursor.fetchall()]

    def _one(self, table: str, value) -> dict | None:
        rows = self._rows(table, "id", value)
        return rows[0] if rows else None

    def documents(self) -> Iterator[dict]:
        path = table_file(self.folder, "service")
        with path.open(newline="", encoding="utf-8-sig") as file:
            for row in csv.DictReader(file):
                yield self._service(_typed({(key or "").strip(): value for key, value in row.items()}))

    def _location(self, location_id) -> dict | None:
        location = self._one("location", location_id)
        if location is None:
            return None
        location["addresses"] = self._rows("address", "location_id", location_id)
        location["accessibility"] = self._rows("accessibility", "location_id", location_id)
        return location

    def _service(self, service: dict) -> dict:
        service_id = service.get("id")
        if organisation := self._one("organization", service.get("organization_id")):
            service["organization"] = organisation
        sals = []
        for sal in self._rows("service_at_location", "service_id", service_id):
            if (location := self._location(sal.get("location_id"))) is not None:
                sal["location"] = location
            sals.append(sal)
        service["service_at_locations"] = sals
        schedules = self._rows("schedule", "service_id", service_id)
        known = {schedule.get("id") for schedule in schedules}
        for sal in sals:
            schedules += [s for s in self._rows("schedule", "service_at_location_id", sal.get("id")) if s.get("id") not in known]
        service["schedules"] = schedules
        for key, table in (("service_areas", "service_area"), ("languages", "language"),
                           ("cost_options", "cost_option"), ("funding", "funding")):
            service[key] = self._rows(table, "service_id", service_id)
        service["phones"] = [phone for phone in self._rows("phone", "service_id", service_id) if not phone.get("contact_id")]
        contacts = self._rows("contact", "service_id", service_id)
        for contact in contacts:
            contact["phones"] = self._rows("phone", "contact_id", contact.get("id"))
        service["contacts"] = contacts
        attributes = []
        for attribute in self._rows("attribute", "link_id", service_id):
            if attribute.get("link_type", "service") in ("service", "") or attribute.get("link_entity") == "service":
                if term := self._one("taxonomy_term", attribute.get("taxonomy_term_id")):
                    term.setdefault("description", "")
                    attribute["taxonomy_term"] = term
                attributes.append(attribute)
        service["attributes"] = attributes
        return service


class TableWriter:
    """Writes full services (and then organisations, locations and taxonomies) as a folder of tables."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._files = {}
        self._writers = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for file in self._files.values():
            file.close()

    def row(self, table: str, data: dict) -> None:
        writer = self._writers.get(table)
        if writer is None:
            main, _others, columns = TABLES[table]
            file = (self.folder / main).open("w", newline="", encoding="utf-8")
            writer = csv.DictWriter(file, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            self._files[table], self._writers[table] = file, writer
        writer.writerow({key: value for key, value in data.items() if not isinstance(value, (list, dict))})

    def ensure_all(self) -> None:
        """Every table exists, with its header, even when empty."""
        for table in TABLES:
            if table not in self._writers:
                main, _others, columns = TABLES[table]
                with (self.folder / main).open("w", newline="", encoding="utf-8") as file:
                    csv.DictWriter(file, fieldnames=columns).writeheader()
                self._writers[table] = None

    def service(self, document: dict) -> None:
        """The service's own rows and those of its parts; organisations and locations are written once each
        by ``organisation`` and ``location``."""
        self.row("service", document)
        for sal in document.get("service_at_locations", []):
            self.row("service_at_location", sal)
        for key, table in (("schedules", "schedule"), ("service_areas", "service_area"), ("languages", "language"),
                           ("cost_options", "cost_option"), ("funding", "funding"), ("phones", "phone")):
            for item in document.get(key, []):
                self.row(table, item)
        for contact in document.get("contacts", []):
            self.row("contact", contact)
            for phone in contact.get("phones", []):
                self.row("phone", phone)
        for attribute in document.get("attributes", []):
            self.row("attribute", attribute)

    def organisation(self, document: dict) -> None:
        self.row("organization", document)

    def location(self, document: dict) -> None:
        self.row("location", document)
        for address in document.get("addresses", []):
            self.row("address", address)
        for item in document.get("accessibility", []):
            self.row("accessibility", item)

    def taxonomy(self, document: dict) -> None:
        self.row("taxonomy", document)

    def taxonomy_term(self, document: dict) -> None:
        self.row("taxonomy_term", document)
