"""Checking the rows of an uploaded spreadsheet: every problem found, named by row and column, and for
each good row a plan of what importing it would do (add a service, change some of its details, or
nothing).

Rows are checked in chunks, so a large file never holds all its services in memory at once. The same
checks run for the preview and again, inside the commit's transaction, before anything is saved.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from pathways.organisations.models import Organisation, Place

from ..permissions import imports as import_permissions
from ..models import Attendance, Gender, Location, Publication, Service
from ..selectors import imports as selectors
from .spreadsheet_columns import (
    CONTACT_KEYS,
    FUNDING_KEYS,
    LOCATION_KEYS,
    VOCABULARY_COLUMNS,
    CellError,
    funding_kind_word,
    label_of,
    quoted,
    read_email,
    read_funding_kind,
    read_gender,
    read_list,
    read_phone,
    read_postcode,
    read_text,
    read_times,
    read_url,
    read_whole_number,
    read_yes_no,
    times_text,
)
from .spreadsheet_files import Table

CHUNK_ROWS = 250

# Text columns of the service, with their longest length.
TEXT_FIELDS = {
    "name": 200, "description": None, "eligibility": None, "referral_details": None, "fees": None, "capacity": 200,
}
FLAG_FIELDS = [
    "in_custody", "in_community", "through_the_gate", "self_referral", "agency_referral",
    "statutory_referral_only", "peer_led", "is_free",
]
NUMBER_FIELDS = {"minimum_age": (0, 120), "maximum_age": (0, 120), "typical_wait_days": (0, 365)}
SERVICE_FIELD_KEYS = [
    "name", "description", "url", "email", "phone", "minimum_age", "maximum_age", "gender",
    "in_custody", "in_community", "through_the_gate", "eligibility", "self_referral", "agency_referral",
    "statutory_referral_only", "referral_details", "is_free", "fees", "languages", "capacity",
    "typical_wait_days", "peer_led",
]
TERM_NOUNS = {"pathways": "a pathway", "categories": "a category", "client_groups": "a client group"}
GENDER_LABELS = dict(Gender.choices)


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    @property
    def text(self) -> str:
        where = ", ".join(part for part in (f"Row {self.row}" if self.row else "", self.column or "") if part)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "text": self.text}


@dataclass
class RowPlan:
    """What importing one good row would do."""

    row: int
    external_id: str
    organisation: Organisation | None  # None: the organisation is added by the import
    organisation_name: str
    service: Service | None  # None: a new service
    fields: dict = field(default_factory=dict)  # column key -> value, for the service's own fields
    terms: dict = field(default_factory=dict)  # taxonomy column -> [Term]
    places: list[Place] | None = None
    location: dict | None = None  # name, address, town, postcode; None for no location
    location_match: Location | None = None
    drop_ins: list | None = None
    openings: list | None = None
    contact: dict | None = None
    funding: dict | None = None
    publish: bool | None = None
    present: set = field(default_factory=set)  # the column keys the file has
    changes: list = field(default_factory=list)  # [(column label, before, after)]
    changed: set = field(default_factory=set)  # the column keys that differ

    @property
    def is_new(self) -> bool:
        return self.service is None

    @property
    def status(self) -> str:
        if self.is_new:
            return "new"
        return "updated" if self.changed else "unchanged"

    def summary(self) -> dict:
        data = {
            "row": self.row, "external_id": self.external_id, "name": self.fields.get("name") or (
                self.service.name if self.service else ""),
            "organisation": self.organisation.name if self.organisation else self.organisation_name,
        }
        if self.service is not None:
            data["service_id"] = str(self.service.uuid)
        if self.changes:
            data["changes"] = [list(change) for change in self.changes]
        return data


@dataclass
class CheckResult:
    rows: int = 0
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    organisations_to_add: list[str] = field(default_factory=list)

    def add(self, plans: Iterable[RowPlan]) -> None:
        for plan in plans:
            getattr(self, plan.status).append(plan.summary())

    def preview(self) -> dict:
        return {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [problem.as_dict() for problem in self.problems],
            "notices": self.notices,
            "organisations_to_add": self.organisations_to_add,
        }


def _joined(values) -> str:
    values = list(values)
    return "; ".join(values) if any(values) else ""


def _plain(text) -> str:
    return str(text or "").replace("\r\n", "\n").strip()


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


class RowChecker:
    """Checks rows for one person's import, remembering across chunks what earlier rows used."""

    def __init__(self, *, by, columns: Iterable[str]):
        self.by = by
        self.columns = set(columns)
        self.curator = import_permissions.can_import_for_any_organisation(by)
        self.may_add_organisations = import_permissions.can_add_organisations_by_import(by)
        self.managed = [] if self.curator else import_permissions.organisations_managed_by(by)
        self.terms = selectors.terms_by_column()
        places = selectors.places_for_import()
        self.shared_place_names = selectors.place_names_shared(places)
        self.places_by_name: dict[str, list[Place]] = {}
        self.places_by_code: dict[str, list[Place]] = {}
        for place in places:
            self.places_by_name.setdefault(place.name.lower(), []).append(place)
            if place.code:
                self.places_by_code.setdefault(place.code.lower(), []).append(place)
        self.new_organisation_type = selectors.new_organisation_type()
        self.problems: list[Problem] = []
        self.organisations: dict[str, list[Organisation]] = {}
        self.organisations_to_add: dict[str, str] = {}
        self.locations: dict[int, list[Location]] = {}
        self.external_ids: dict[str, int] = {}
        # (organisation, location name, postcode) -> (row, address, town): one place, one address.
        self.location_rows: dict[tuple, tuple[int, str, str]] = {}

    # Problems about the file as a whole ------------------------------------------------------------

    def heading_problems(self) -> list[Problem]:
        problems = []
        for key in ("external_id", "name"):
            if key not in self.columns:
                problems.append(Problem(1, label_of(key), _missing_column(key)))
        if "organisation" not in self.columns and (self.curator or len(self.managed) != 1):
            problems.append(Problem(1, label_of("organisation"), _missing_column("organisation")))
        self.problems += problems
        return problems

    # Rows ----------------------------------------------------------------------------------------

    def check(self, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
        """Check a chunk of rows; problems are added to ``self.problems``; returns the good rows' plans."""
        ids = {values.get("external_id", "").strip() for _, values in rows} - {""}
        services = selectors.services_by_external_id(ids)
        names = {_name_key(values.get(key, "")) for _, values in rows for key in ("organisation", "funder")}
        unknown = {name for name in names if name and name not in self.organisations}
        if unknown:
            found = selectors.organisations_by_name(unknown)
            for name in unknown:
                self.organisations[name] = found.get(name, [])
        plans = []
        for number, values in rows:
            plan = self._row(number, values, services)
            if plan is not None:
                plans.append(plan)
        return plans

    def _row(self, number: int, values: dict[str, str], services: dict[str, Service]) -> RowPlan | None:
        problems_before = len(self.problems)

        def problem(key: str, message: str) -> None:
            self.problems.append(Problem(number, label_of(key), message))

        def read(key: str, reader: Callable, *args, **kwargs):
            try:
                return reader(values.get(key, ""), *args, **kwargs)
            except CellError as error:
                problem(key, error.message)
                return None

        external_id = read("external_id", read_text, max_length=200)
        if "external_id" in values and not values["external_id"].strip():
            problem("external_id", "enter the service's own reference, like AVRT-001, so that importing the "
                                   "file again updates it")
        elif external_id:
            first = self.external_ids.setdefault(external_id, number)
            if first != number:
                problem("external_id", f"{quoted(external_id)} is also on row {first}. Each service needs its own ID")
        service = services.get(external_id) if external_id else None
        organisation, organisation_name = self._organisation(number, values, problem)
        if service is not None and organisation_name:
            self._same_organisation(service, organisation, organisation_name, external_id, problem)

        plan = RowPlan(
            row=number, external_id=external_id or "", organisation=organisation,
            organisation_name=organisation_name, service=service, present=set(values),
        )
        self._service_fields(plan, values, problem, read)
        self._taxonomy(plan, values, problem)
        self._location(plan, values, problem, read)
        if "drop_in_times" in values:
            plan.drop_ins = read("drop_in_times", read_times) or []
        if "opening_times" in values:
            plan.openings = read("opening_times", read_times) or []
        self._contact(plan, values, read)
        self._funding(plan, values, problem, read)
        if "publish" in values:
            plan.publish = read("publish", read_yes_no)
        if len(self.problems) > problems_before:
            return None
        if plan.organisation is None and _name_key(organisation_name) not in self.organisations_to_add:
            self.organisations_to_add[_name_key(organisation_name)] = organisation_name
        if service is not None:
            self._compare(plan)
        return plan

    def _organisation(self, number, values, problem) -> tuple[Organisation | None, str]:
        """The organisation a row names, or the manager's own; (None, name) if the import adds it."""
        name = " ".join(values.get("organisation", "").split())
        managed_names = " or ".join(organisation.name for organisation in self.managed)
        if not name:
            if not self.curator and len(self.managed) == 1:
                return self.managed[0], self.managed[0].name
            if self.curator:
                problem("organisation", "enter the name of the organisation that runs the service")
            else:
                problem("organisation", f"enter which of your organisations runs the service: {managed_names}")
            return None, ""
        if len(name) > 200:
            problem("organisation", f"{len(name):,} characters is too long: the most is 200")
            return None, ""
        found = self.organisations.get(_name_key(name), [])
        if not self.curator:
            mine = [organisation for organisation in found if organisation in self.managed]
            if len(mine) == 1:
                return mine[0], mine[0].name
            problem(
                "organisation",
                f"{quoted(name)} is not your organisation. You can import services only for {managed_names}",
            )
            return None, ""
        if len(found) > 1:
            problem("organisation", f"{quoted(name)} is the name of {len(found)} organisations in Pathways. "
                                    "Give them different names before importing")
            return None, ""
        if found:
            return found[0], found[0].name
        if not self.may_add_organisations or self.new_organisation_type is None:
            problem("organisation", f"{quoted(name)} is not an organisation in Pathways. Add it first")
            return None, ""
        return None, name

    def _same_organisation(self, service, organisation, organisation_name, external_id, problem) -> None:
        if organisation is not None and service.organisation_id == organisation.pk:
            return
        if import_permissions.can_import_for(self.by, service.organisation):
            problem("external_id", f"{quoted(external_id)} is already the ID of “{service.name}”, run by "
                                   f"{service.organisation.name}, not by {organisation_name}")
        else:
            problem("external_id", f"{quoted(external_id)} is already used by another organisation's service. "
                                   "Choose a different ID")

    def _service_fields(self, plan: RowPlan, values, problem, read) -> None:
        fields = plan.fields
        for key, max_length in TEXT_FIELDS.items():
            if key in values:
                fields[key] = read(key, read_text, max_length=max_length) or ""
        if "name" in values and not values["name"].strip():
            problem("name", "enter the name of the service")
        for key, reader in (("url", read_url), ("email", read_email), ("phone", read_phone)):
            if key in values:
                fields[key] = read(key, reader) or ""
        for key in FLAG_FIELDS:
            if key in values:
                value = read(key, read_yes_no)
                fields[key] = (key == "is_free") if value is None else value
        for key, (lowest, highest) in NUMBER_FIELDS.items():
            if key in values:
                fields[key] = read(key, read_whole_number, lowest=lowest, highest=highest)
        if "gender" in values:
            fields["gender"] = read("gender", read_gender) or Gender.ANY.value
        if "languages" in values:
            languages = read_list(values["languages"])
            too_long = [language for language in languages if len(language) > 60]
            if too_long:
                problem("languages", f"{quoted(too_long[0])} is not a language name")
            fields["languages"] = languages

        def effective(key):
            if key in fields:
                return fields[key]
            return getattr(plan.service, key) if plan.service is not None else None

        lowest, highest = effective("minimum_age"), effective("maximum_age")
        if lowest is not None and highest is not None and lowest > highest:
            problem("maximum_age", f"{highest} is less than the minimum age ({lowest})")
        if effective("statutory_referral_only") and (effective("self_referral") or effective("agency_referral")):
            problem("statutory_referral_only",
                    "cannot be yes when Self-referral or Agency referral is yes: choose which is true")

    def _taxonomy(self, plan: RowPlan, values, problem) -> None:
        for key in VOCABULARY_COLUMNS:
            if key not in values:
                continue
            terms = []
            for item in read_list(values[key]):
                term = self.terms[key].get(item.lower())
                if term is None:
                    problem(key, f"{quoted(item)} is not {TERM_NOUNS[key]}. Use a name or code from the Lists sheet")
                elif term not in terms:
                    terms.append(term)
            plan.terms[key] = terms
        if "areas" in values:
            places = []
            for item in read_list(values["areas"]):
                place = self._place(item, lambda message: problem("areas", message))
                if place is not None and place not in places:
                    places.append(place)
            plan.places = places

    def _place(self, item: str, problem) -> Place | None:
        match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", item)
        if match:
            kind = match[2].strip().lower()
            named = [place for place in self.places_by_name.get(match[1].strip().lower(), [])
                     if place.get_kind_display().lower() == kind]
            if len(named) == 1:
                return named[0]
        found = self.places_by_name.get(item.lower()) or self.places_by_code.get(item.lower()) or []
        if len(found) == 1:
            return found[0]
        if not found:
            problem(f"{quoted(item)} is not a place on the Lists sheet")
        else:
            options = " or ".join(f"'{self.place_label(place)}'" for place in found)
            problem(f"{quoted(item)} is the name of more than one place: write {options}")
        return None

    def place_label(self, place: Place) -> str:
        return selectors.place_label(place, self.shared_place_names)

    def _location(self, plan: RowPlan, values, problem, read) -> None:
        if not any(key in values for key in LOCATION_KEYS):
            return
        plan.location = None
        name = read("location_name", read_text, max_length=200) or ""
        address = read("address", read_text, max_length=200) or ""
        town = read("town", read_text, max_length=100) or ""
        postcode = read("postcode", read_postcode) or ""
        if not name:
            if address or town or postcode:
                problem("location_name", "enter a name for the location, like “Leeds drop-in centre”, since its "
                                         "address or postcode is given")
            return
        plan.location = {"name": name, "address": address, "town": town, "postcode": postcode}
        organisation = plan.organisation
        organisation_key = organisation.pk if organisation is not None else _name_key(plan.organisation_name)
        key = (organisation_key, name.lower(), postcode)
        first = self.location_rows.setdefault(key, (plan.row, address, town))
        if first[1:] != (address, town):
            problem("address", f"row {first[0]} gives a different address for {name}"
                               f"{' (' + postcode + ')' if postcode else ''}. Give the same address on both rows")
        if organisation is not None:
            if organisation.pk not in self.locations:
                self.locations.update({organisation.pk: []})
                for location in selectors.locations_of([organisation.pk]):
                    self.locations[organisation.pk].append(location)
            plan.location_match = next(
                (location for location in self.locations[organisation.pk]
                 if location.name.strip().lower() == name.lower() and _postcode_key(location.postcode) == postcode),
                None,
            )

    def _contact(self, plan: RowPlan, values, read) -> None:
        if not any(key in values for key in CONTACT_KEYS):
            return
        contact = {
            "name": read("contact_name", read_text, max_length=200) or "",
            "email": read("contact_email", read_email) or "",
            "phone": read("contact_phone", read_phone) or "",
        }
        plan.contact = contact if any(contact.values()) else None

    def _funding(self, plan: RowPlan, values, problem, read) -> None:
        if not any(key in values for key in FUNDING_KEYS):
            return
        kind = read("funding_kind", read_funding_kind)
        funder = read("funder", read_text, max_length=200) or ""
        stream = read("funding_stream", read_text, max_length=200) or ""
        if kind is None and (funder or stream) and not values.get("funding_kind", "").strip():
            problem("funding_kind", "choose how the service is funded, since a funder or stream is given: "
                                    "contracted, pooled, other or no direct cost")
        if kind is None:
            plan.funding = None
            return
        funders = self.organisations.get(_name_key(funder), []) if funder else []
        plan.funding = {
            "kind": kind, "funder": funders[0] if len(funders) == 1 else None,
            "funder_name": "" if len(funders) == 1 else funder, "stream": stream,
        }

    # What would change -----------------------------------------------------------------------------

    def _compare(self, plan: RowPlan) -> None:
        before = self.current_view(plan.service)
        after = self.planned_view(plan, before)
        for key, value in after.items():
            if before.get(key, "") != value:
                plan.changed.add(key)
                plan.changes.append((label_of(key), before.get(key, ""), value))

    def current_view(self, service: Service) -> dict[str, str]:
        """Each column as the service has it now, in the words the preview shows."""
        view = {}
        for key in SERVICE_FIELD_KEYS:
            view[key] = self._field_text(key, getattr(service, key))
        terms = list(service.terms.all())
        for key, vocabulary in VOCABULARY_COLUMNS.items():
            view[key] = "; ".join(sorted(term.name for term in terms if term.vocabulary.code == vocabulary))
        view["areas"] = "; ".join(sorted(self.place_label(place) for place in service.areas.all()))
        locations = sorted((link.location for link in service.service_at_locations.all()), key=lambda loc: loc.name)
        view["location_name"] = _joined(location.name for location in locations)
        view["address"] = _joined(location.address_1 for location in locations)
        view["town"] = _joined(location.city for location in locations)
        view["postcode"] = _joined(_postcode_key(location.postcode) for location in locations)
        schedules = list(service.schedules.all())
        for key, attendance in (("drop_in_times", Attendance.DROP_IN), ("opening_times", Attendance.OPENING_HOURS)):
            view[key] = times_text(
                {(s.weekday, s.opens_at, s.closes_at) for s in schedules if s.attendance == attendance}
            )
        contacts = list(service.contacts.all())
        view["contact_name"] = _joined(contact.name for contact in contacts)
        view["contact_email"] = _joined(contact.email for contact in contacts)
        view["contact_phone"] = _joined(contact.phone for contact in contacts)
        funding = list(service.funding.all())
        view["funding_kind"] = _joined(funding_kind_word(item.kind) for item in funding)
        view["funder"] = _joined(item.funder.name if item.funder_id else item.funder_name for item in funding)
        view["funding_stream"] = _joined(item.stream for item in funding)
        view["publish"] = _yes_no(service.publication == Publication.PUBLISHED)
        return view

    def planned_view(self, plan: RowPlan, current: dict[str, str]) -> dict[str, str]:
        """The columns the file has, as they would be after the import."""
        view = {}
        for key, value in plan.fields.items():
            view[key] = self._field_text(key, value)
        for key, terms in plan.terms.items():
            view[key] = "; ".join(sorted(term.name for term in terms))
        if plan.places is not None:
            view["areas"] = "; ".join(sorted(self.place_label(place) for place in plan.places))
        if any(key in plan.present for key in LOCATION_KEYS):
            location = plan.location or {}
            view["location_name"] = location.get("name", "")
            view["address"] = location.get("address", "")
            view["town"] = location.get("town", "")
            view["postcode"] = location.get("postcode", "")
        if plan.drop_ins is not None:
            view["drop_in_times"] = times_text(plan.drop_ins)
        if plan.openings is not None:
            view["opening_times"] = times_text(plan.openings)
        if any(key in plan.present for key in CONTACT_KEYS):
            contact = plan.contact or {}
            view.update(contact_name=contact.get("name", ""), contact_email=contact.get("email", ""),
                        contact_phone=contact.get("phone", ""))
        if any(key in plan.present for key in FUNDING_KEYS):
            funding = plan.funding or {}
            funder = funding.get("funder")
            view.update(
                funding_kind=funding_kind_word(funding["kind"]) if funding else "",
                funder=funder.name if funder is not None else funding.get("funder_name", ""),
                funding_stream=funding.get("stream", ""),
            )
        if plan.publish is not None:
            view["publish"] = _yes_no(plan.publish)
        return view

    @staticmethod
    def _field_text(key: str, value) -> str:
        if key in FLAG_FIELDS:
            return _yes_no(value)
        if key == "gender":
            return str(GENDER_LABELS.get(value, value))
        if key == "languages":
            return "; ".join(value or [])
        if value is None:
            return ""
        return _plain(value)


def _name_key(name: str) -> str:
    """How names of organisations are matched: case and spacing do not matter."""
    return " ".join(name.split()).lower()


def _missing_column(key: str) -> str:
    return (f"the file has no “{label_of(key)}” column. The first row must hold the template's column "
            "headings")


def _postcode_key(postcode: str) -> str:
    """A stored postcode as the import writes it ('LS1 4AP'), whatever its spacing."""
    compact = "".join((postcode or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def rows_check(table: Table, *, by, progress=None, total: int | None = None,
               on_chunk: Callable[[list[RowPlan], RowChecker], None] | None = None) -> CheckResult:
    """Check every row of ``table``. ``on_chunk`` gets each chunk's plans (the commit applies them)."""
    checker = RowChecker(by=by, columns=table.columns)
    result = CheckResult(notices=list(table.notices))
    checker.problems += [Problem(1, heading, message) for heading, message in table.problems]
    if checker.heading_problems():
        result.problems = checker.problems
        return result
    if progress is not None and total is not None:
        progress.set_total(total)
    for chunk in _chunks(table.rows, CHUNK_ROWS):
        plans = checker.check(chunk)
        result.rows += len(chunk)
        result.add(plans)
        if on_chunk is not None:
            on_chunk(plans, checker)
        if progress is not None:
            progress.advance(result.rows, f"Checked {result.rows:,} of {total or result.rows:,} rows")
    result.problems = checker.problems
    result.organisations_to_add = sorted(checker.organisations_to_add.values(), key=str.lower)
    return result
