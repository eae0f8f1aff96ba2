"""Importing Open Referral UK services: all or nothing, in two passes, in memory that does not grow.

1. Check: every document is read in turn (streamed, never the whole feed at once), checked against the
   profile's schema and our rules, and the plain record it gives is spooled to a temporary file. Every
   problem is reported as it is found (record, field, message).
2. Write: only if no record has a problem. The spooled records are written in batches inside one
   transaction: services, locations and organisations are found again by their ids (a service by its
   uuid or external id), so importing the same feed twice changes nothing the second time; a record
   whose content has not changed is left alone. Each created or changed service gets a version and is
   marked as imported; the import as a whole gets one audit entry.

A command can ask for both at once (``parallel``): a second process checks while this one writes what
has been checked, inside the same transaction, which is rolled back if any record has a problem.

Rows are written with ``rows.Table`` (plain multi-row inserts) rather than ``bulk_create``, and new
organisations are written here directly (not through organisations.services.organisation_create, one
at a time): both for speed. New organisations take the slug pattern of organisations.services and are
counted in the import's audit entry.
"""

import json
import logging
import marshal
import multiprocessing
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, audit_record_many, changes_between
from pathways.core.errors import DomainError
from pathways.organisations.models import Organisation, OrganisationType, Place
from pathways.organisations.services import RESERVED_SLUGS, organisation_snapshot

from .. import permissions
from ..models import (
    Attendance,
    CheckMethod,
    Contact,
    Location,
    PostcodeArea,
    Publication,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceVersion,
)
from ..services import search_index
from ..services.records import (
    SERVICE_FIELDS,
    contact_description,
    location_description,
    schedule_description,
    service_snapshot,
)
from . import serialise
from .mapping import ORUK_NAMESPACE
from .parse import Problem, Reference, ServiceReader, as_datetime, record_content, record_of_document
from .rows import RawJSON, Table, bare
from .stored import StoredServices

logger = logging.getLogger(__name__)

# Services checked, sent and written together: memory grows with this, never with the feed (about
# 150 MB at 2,500; at 1,000 the fixed cost of each batch's queries made 100,000 services 10% slower).
BATCH = 2500
# The organisation type given to an organisation that a feed brings in and Pathways did not know.
NEW_ORGANISATION_TYPE = "charity"
# How many problems a refusal keeps to show (all of them are counted, and reported as they are found).
PROBLEMS_KEPT = 1000
LOCATION_FIELDS = [
    "location_type", "name", "description", "address_1", "address_2", "city", "region", "postcode",
    "latitude", "longitude", "prison_id", "accessibility",
]
UPDATED_SERVICE_FIELDS = [
    *[name for name in SERVICE_FIELDS if name != "capacity"],
    "organisation", "last_checked_at", "last_checked_by", "last_check_method", "updated_at",
]


class FeedRefused(DomainError):
    """The feed had problems; nothing was saved."""

    def __init__(self, *, problems: list[Problem], count: int, records: int):
        self.problems = problems
        self.count = count
        self.records = records
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"The feed was not imported: {count:,} {noun} in {records:,} "
            f"{'record' if records == 1 else 'records'}. Nothing was saved."
        )


@dataclass
class ImportResult:
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    locations_created: int = 0

    @property
    def summary(self) -> str:
        return (
            f"{self.records:,} services read: {self.created:,} added, {self.updated:,} changed, "
            f"{self.unchanged:,} unchanged; {self.organisations_created:,} organisations added."
        )


class _Problems:
    def __init__(self, on_problem: Callable[[Problem], None] | None):
        self.on_problem = on_problem
        self.kept: list[Problem] = []
        self.count = 0

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.kept) < PROBLEMS_KEPT:
            self.kept.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)


def oruk_import(
    *,
    documents: Iterable,
    by,
    source: str,
    publish: bool = True,
    progress=None,
    on_problem: Callable[[Problem], None] | None = None,
    parallel: bool = False,
) -> ImportResult:
    """Import full services from ``documents`` (any iterable, read once) or refuse the whole feed.

    ``by`` None is Pathways itself (a command); a person must be a curator. Raises FeedRefused (a
    DomainError) with the problems if any record is wrong; nothing is saved then.

    ``parallel`` (for a command, which runs alone in its process) checks the feed in a second process
    while this one writes what has been checked, inside the one transaction: the same all or nothing,
    in less time on a machine with two cores. Elsewhere the feed is checked in full first, then written.
    """
    if by is not None and not permissions.can_curate(by):
        raise PermissionDenied
    problems = _Problems(on_problem)
    checker = _Checker(Reference(), publication=Publication.PUBLISHED if publish else Publication.DRAFT,
                       search_rows=search_index.SearchRows())
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        return _import_while_checking(
            documents, checker=checker, by=by, source=source, publish=publish, progress=progress, problems=problems
        )
    with tempfile.TemporaryFile(prefix="oruk-import-") as spool:
        records = 0
        for batch, found, records in checker.batches(documents):
            for problem in found:
                problems.add(problem)
            _check_organisations_exist(batch, problems)
            if not problems.count:
                for record in batch:
                    blob = marshal.dumps(record)
                    spool.write(len(blob).to_bytes(4, "little"))
                    spool.write(blob)
            if progress is not None:
                progress.advance(records, f"Checked {records:,} services")
        if problems.count:
            raise FeedRefused(problems=problems.kept, count=problems.count, records=records)
        if progress is not None:
            progress.set_total(records)
            progress.advance(0, f"Checked {records:,} services: no problems. Saving.")
        spool.seek(0)
        with transaction.atomic():
            writer = _Writer(by=by, publish=publish, reference=checker.reference, source=source,
                             search_rows=checker.search_rows)
            done = 0
            for batch in _batches(_unspool(spool, records)):
                writer.write_batch(batch)
                done += len(batch)
                if progress is not None:
                    progress.advance(done, f"Saved {done:,} services")
            return _finish(writer.result, records=records, by=by, source=source)


def _finish(result: "ImportResult", *, records: int, by, source: str) -> "ImportResult":
    result.records = records
    audit_record(
        actor=by,
        action=AuditAction.CREATED if result.created else AuditAction.CHANGED,
        changes={
            "import": [None, f"Open Referral UK feed: {source}"[:300]],
            "services added": [None, result.created],
            "services changed": [None, result.updated],
            "services unchanged": [None, result.unchanged],
            "organisations added": [None, result.organisations_created],
        },
    )
    return result


# Checking ---------------------------------------------------------------------------------------------

class _Checker:
    """Reads documents into records, a batch at a time, with the first version each would have as a new
    service and the words of its search row (worked out here, where it can run alongside the writing),
    and notes which records name an organisation only by an id that the feed has not described before."""

    def __init__(self, reference: Reference, *, publication: str, search_rows: search_index.SearchRows):
        self.reference = reference
        self.publication = publication
        self.search_rows = search_rows
        self.described: set[str] = set()
        self.descriptions: dict[tuple, str] = {}
        self.defaults = {name: Service._meta.get_field(name).get_default() for name in SERVICE_FIELDS}

    def batches(self, documents: Iterable):
        """(records, problems, how many documents so far) for each BATCH documents."""
        reader = ServiceReader(self.reference)
        batch: list[dict] = []
        found: list[Problem] = []
        count = 0
        for count, document in enumerate(documents, start=1):
            record, problems = reader.read(document, count)
            found += problems
            if record is not None and not found:
                organisation = record["organisation"]
                if "name" in organisation:
                    self.described.add(organisation["id"])
                elif organisation["id"] not in self.described:
                    record["check_organisation"] = [count, str(document.get("name", ""))[:80]]
                record["version"] = self._first_version(record)
                record["words"] = self.search_rows.words_beside_organisation(
                    record["fields"], record["terms"], record["areas"],
                    [(*(sal["location"][name] for name in ("name", "address_1", "city", "postcode")), None, None)
                     for sal in record["sals"]],
                )
                batch.append(record)
            if count % BATCH == 0:
                yield batch, found, count
                batch, found = [], []
        yield batch, found, count

    def _first_version(self, record: dict) -> list[str]:
        """(snapshot, changes) as JSON: what service_snapshot reads for the service just created."""
        ref = self.reference
        data = {name: record["fields"].get(name, default) for name, default in self.defaults.items()}
        data["publication"] = self.publication
        data["terms"] = sorted(ref.term_codes[pk] for pk in record["terms"])
        data["areas"] = sorted(ref.places[pk].name for pk in record["areas"])
        locations = {}
        for sal in record["sals"]:
            values = sal["location"]
            related = {"prison": ref.places[values["prison_id"]]} if values["prison_id"] else None
            locations[sal["id"]] = bare(Location, {name: values[name] for name in LOCATION_FIELDS}, related)
        data["locations"] = sorted(location_description(location) for location in locations.values())
        data["schedules"] = sorted(self._schedule_text(schedule, locations.get(schedule["sal"]))
                                   for schedule in record["schedules"])
        data["contacts"] = sorted(
            contact_description(bare(Contact, {key: contact[key] for key in ("name", "title", "email", "phone")}))
            for contact in record["contacts"]
        )
        data["funding"] = []
        data["statutory_relationships"] = []
        # changes_between({}, snapshot), without comparing with nothing key by key.
        changes = {key: [None, data[key]] for key in sorted(data) if data[key] is not None}
        return [json.dumps(data), json.dumps(changes)]

    def _schedule_text(self, schedule: dict, location) -> str:
        """records.schedule_description, remembered: many services keep the same hours, and the text asks
        Django for two choice labels. It reads these fields and nothing else."""
        key = (schedule["attendance"], schedule["weekday"], schedule["opens_at"], schedule["closes_at"],
               schedule["valid_from"], schedule["valid_to"], schedule["notes"],
               location.name if location is not None else None)
        text = self.descriptions.get(key)
        if text is None:
            values = {
                "attendance": schedule["attendance"], "weekday": schedule["weekday"],
                "opens_at": time.fromisoformat(schedule["opens_at"]), "closes_at": time.fromisoformat(schedule["closes_at"]),
                "valid_from": schedule["valid_from"] and date.fromisoformat(schedule["valid_from"]),
                "valid_to": schedule["valid_to"] and date.fromisoformat(schedule["valid_to"]),
                "notes": schedule["notes"], "service_at_location_id": 1 if location is not None else None,
            }
            related = None
            if location is not None:
                related = {"service_at_location": bare(ServiceAtLocation, {}, {"location": location})}
            if len(self.descriptions) > 50_000:
                self.descriptions.clear()
            text = self.descriptions[key] = schedule_description(bare(Schedule, values, related))
        return text


def _check_organisations_exist(batch: list[dict], problems: "_Problems") -> None:
    """Records that name an organisation only by id: it must be one Pathways has, or described earlier."""
    pending = [record for record in batch if "check_organisation" in record]
    if not pending:
        return
    known = {
        str(value) for value in
        Organisation.objects.filter(uuid__in={record["organisation"]["id"] for record in pending})
        .values_list("uuid", flat=True)
    }
    for record in pending:
        if record["organisation"]["id"] not in known:
            index, name = record["check_organisation"]
            problems.add(Problem(
                index, record["id"], name, "$.organization_id",
                "is not an organisation Pathways knows, and the feed does not describe it before this record "
                "(give 'organization')",
            ))


# Checking in a second process while this one writes -------------------------------------------------

def _check_in_child(documents, checker: _Checker, sender) -> None:
    """Runs in the checking process: sends each checked batch, then the end (or what went wrong)."""
    try:
        try:
            for batch, found, count in checker.batches(documents):
                sender.send(("batch", batch, found, count))
            sender.send(("end", None, None, None))
        except DomainError as error:
            sender.send(("error", error.message, None, None))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the writer stopped (and says why); nothing more to tell it
        except Exception:  # noqa: BLE001 (reported to the writer, which fails the import)
            logger.exception("Checking an Open Referral UK feed failed")
            sender.send(("error", "The feed could not be read. Nothing was saved.", None, None))
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        sender.close()


def _import_while_checking(documents, *, checker, by, source, publish, progress, problems) -> "ImportResult":
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_check_in_child, args=(documents, checker, sender), daemon=True)
    child.start()
    sender.close()
    records = 0
    try:
        with transaction.atomic():
            writer = _Writer(by=by, publish=publish, reference=checker.reference, source=source,
                             search_rows=checker.search_rows)
            while True:
                try:
                    kind, batch, found, count = receiver.recv()
                except EOFError:
                    raise DomainError("Checking the feed stopped unexpectedly. Nothing was saved.") from None
                if kind == "error":
                    raise DomainError(batch)
                if kind == "end":
                    break
                records = count
                for problem in found:
                    problems.add(problem)
                _check_organisations_exist(batch, problems)
                if not problems.count:
                    writer.write_batch(batch)
                if progress is not None:
                    progress.advance(count, f"Checked {count:,} services" + (
                        f", saved {writer.done:,} (all undone if any has a problem)" if not problems.count else ""
                    ))
            if problems.count:
                raise FeedRefused(problems=problems.kept, count=problems.count, records=records)
            return _finish(writer.result, records=records, by=by, source=source)
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()


def _unspool(spool, count: int):
    for _ in range(count):
        size = int.from_bytes(spool.read(4), "little")
        yield marshal.loads(spool.read(size))


# Pass 2: write ------------------------------------------------------------------------------------

def _batches(records, size: int = BATCH):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _derived_uuid(service_id: str, kind: str, key: str) -> str:
    return str(uuid.uuid5(ORUK_NAMESPACE, f"{service_id}:{kind}:{key}"))


class _Writer:
    def __init__(self, *, by, publish: bool, reference: Reference, source: str, search_rows: search_index.SearchRows):
        self.by = by
        self.source = f"Imported from an Open Referral UK feed: {source}"
        self.actor = by if getattr(by, "is_authenticated", False) else None
        self.publish = publish
        self.now = timezone.now()
        self.reference = reference
        self.done = 0
        self.organisation_type = (
            OrganisationType.objects.filter(code=NEW_ORGANISATION_TYPE).first()
            or OrganisationType.objects.filter(is_voluntary_sector=True, retired_at__isnull=True).first()
        )
        self.prisons: dict[int, Place] = {}
        self.stored = StoredServices()
        self.result = ImportResult()
        self.search_rows = search_rows
        self.tables = {model: Table(model) for model in (
            Service, Location, ServiceAtLocation, Schedule, Contact, ServiceVersion,
            Service.terms.through, Service.areas.through,
        )}

    # One batch ---------------------------------------------------------------------------------

    def write_batch(self, batch: list[dict]) -> None:
        self.done += len(batch)
        self._fill_positions(batch)
        existing = self._existing_services(batch)
        new, changed, freshened = [], [], []
        for record in batch:
            service = existing.get(record["id"])
            if service is None:
                new.append(record)
                continue
            stored = record_of_document(serialise.service_full(service), self.reference)
            if record_content(stored) != record_content(record):
                changed.append((record, service))
            elif record["assured"] and record["assured"] != stored["assured"]:
                freshened.append((record, service))
            else:
                self.result.unchanged += 1
        if not (new or changed or freshened):
            return
        organisations = self._organisations([*new, *(record for record, _service in changed)])
        locations = self._locations([*new, *(record for record, _service in changed)], organisations)
        before = {service.pk: service_snapshot(service) for _record, service in changed}

        created = self._create_services(new, organisations)
        self._update_services(changed, organisations)
        for record, service in freshened:
            self._mark_checked(service, record)
        if freshened:
            Service.objects.bulk_update(
                [service for _record, service in freshened],
                ["last_checked_at", "last_checked_by", "last_check_method", "updated_at"],
            )
        rewritten = [*created, *changed]
        self._replace_parts(rewritten, locations, changed_ids=[service.pk for _record, service in changed])
        self._versions(created, changed, before)
        self._refresh_search(rewritten, organisations, locations, changed_ids=[s.pk for _r, s in changed])
        if freshened:
            search_index.search_documents_refresh_many(
                service_ids=[service.pk for _record, service in freshened], rows=self.search_rows
            )
        self.result.created += len(created)
        self.result.updated += len(changed) + len(freshened)

    def _fill_positions(self, batch: list[dict]) -> None:
        """Give a location without a latitude and longitude its postcode's (or district's) centre."""
        wanted = {}
        for record in batch:
            for sal in record["sals"]:
                location = sal["location"]
                if location["latitude"] is None and location["postcode"]:
                    compact = location["postcode"].replace(" ", "")
                    wanted.setdefault(compact, compact[:-3])
        if not wanted:
            return
        found = {
            area.code: (area.latitude, area.longitude)
            for area in PostcodeArea.objects.filter(code__in={*wanted, *wanted.values()})
        }
        for record in batch:
            for sal in record["sals"]:
                location = sal["location"]
                if location["latitude"] is None and location["postcode"]:
                    compact = location["postcode"].replace(" ", "")
                    position = found.get(compact) or found.get(compact[:-3])
                    if position:
                        location["latitude"], location["longitude"] = position

    def _existing_services(self, batch: list[dict]) -> dict[str, Service]:
        """The stored services the batch names (by uuid or external id), asked first by two cheap queries."""
        ids = [record["id"] for record in batch]
        table = self.tables[Service]
        pks = {*table.pks_by_uuid(ids).values(),
               *table.pks_by("external_id", ids).values()}
        return self.stored.load(pks) if pks else {}

    def _organisations(self, records: list[dict]) -> dict[str, Organisation]:
        wanted: dict[str, dict] = {}
        for record in records:
            organisation = record["organisation"]
            if "name" in organisation or organisation["id"] not in wanted:
                wanted[organisation["id"]] = organisation
        found = {str(org.uuid): org for org in Organisation.objects.filter(uuid__in=wanted)}
        missing = [data for key, data in wanted.items() if key not in found]
        if missing:
            slugs = self._slugs([data["name"] for data in missing])
            created = Organisation.objects.bulk_create([
                Organisation(
                    uuid=data["id"], name=data["name"], slug=slug, type=self.organisation_type,
                    description=data.get("description", ""), email=data.get("email", ""),
                    website=data.get("website", ""),
                )
                for data, slug in zip(missing, slugs, strict=True)
            ])
            # bulk_create on some databases does not return primary keys; read them back.
            added = list(Organisation.objects.filter(uuid__in=[data["id"] for data in missing]).select_related("type"))
            for organisation in added:
                found[str(organisation.uuid)] = organisation
            # Each new organisation's own trail says where it came from, as if it had been added by hand.
            audit_record_many(
                actor=self.by, action=AuditAction.CREATED, source=self.source,
                entries=[(organisation, organisation, changes_between({}, organisation_snapshot(organisation, areas=[])))
                         for organisation in added],
            )
            self.result.organisations_created += len(created)
        return found

    def _slugs(self, names: list[str]) -> list[str]:
        """Unique slugs for new organisations, in the pattern organisations.services uses."""
        bases = [slugify(name)[:180] or "organisation" for name in names]
        query = Q()
        for base in set(bases):
            query |= Q(slug=base) | Q(slug__startswith=f"{base}-")
        taken = set(Organisation.objects.filter(query).values_list("slug", flat=True)) | set(RESERVED_SLUGS)
        slugs = []
        for base in bases:
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            slugs.append(slug)
        return slugs

    def _locations(self, records: list[dict], organisations: dict[str, Organisation]) -> dict[str, Location]:
        """Each record's locations, found by id (and updated if the feed describes them differently) or added."""
        wanted: dict[str, tuple[dict, Organisation]] = {}
        for record in records:
            for sal in record["sals"]:
                wanted[sal["location"]["id"]] = (sal["location"], organisations[record["organisation"]["id"]])
        # Which are stored is asked first, by one cheap query: in a first import, none are.
        stored = self.tables[Location].pks_by_uuid(list(wanted))
        found = {str(location.uuid): location for location in
                 Location.objects.filter(pk__in=stored.values()).select_related("prison")} if stored else {}
        changed = []
        for key, location in found.items():
            data, _organisation = wanted[key]
            if any(getattr(location, name) != data[name] for name in LOCATION_FIELDS):
                for name in LOCATION_FIELDS:
                    setattr(location, name, data[name])
                changed.append(location)
        if changed:
            Location.objects.bulk_update(changed, LOCATION_FIELDS)
            self._prisons_cached(changed)
        rows = [
            self.tables[Location].complete({
                "uuid": key, "organisation_id": organisation.pk,
                **{name: data[name] for name in LOCATION_FIELDS},
            })
            for key, (data, organisation) in wanted.items() if key not in found
        ]
        if rows:
            self.tables[Location].insert_keyed(rows)
            prisons = self._prisons_for({row["prison_id"] for row in rows if row["prison_id"]})
            for row in rows:
                related = {"prison": prisons[row["prison_id"]]} if row["prison_id"] else None
                found[row["uuid"]] = bare(Location, row, related)
            self.result.locations_created += len(rows)
        return found

    def _prisons_for(self, ids: set[int]) -> dict[int, Place]:
        missing = ids - set(self.prisons)
        if missing:
            self.prisons.update({place.pk: place for place in Place.objects.filter(pk__in=missing)})
        return self.prisons

    def _prisons_cached(self, locations) -> None:
        prisons = self._prisons_for({location.prison_id for location in locations if location.prison_id})
        for location in locations:
            if location.prison_id:
                location.prison = prisons[location.prison_id]

    def _checked(self, record: dict) -> dict:
        """Freshness of an imported record: checked when the feed says it was (or now), by import."""
        assured = record["assured"]
        return {
            "last_checked_at": timezone.make_aware(as_datetime(assured)) if assured else self.now,
            "last_checked_by_id": self.actor.pk if self.actor else None,
            "last_check_method": CheckMethod.IMPORTED.value,
            "updated_at": self.now,
        }

    def _mark_checked(self, service: Service, record: dict) -> None:
        for name, value in self._checked(record).items():
            setattr(service, name, value)

    def _create_services(self, records: list[dict], organisations) -> list[tuple[dict, Service]]:
        if not records:
            return []
        table = self.tables[Service]
        rows = []
        for record in records:
            rows.append(table.complete({
                "uuid": record["id"],
                "organisation_id": organisations[record["organisation"]["id"]].pk,
                "publication": Publication.PUBLISHED.value if self.publish else Publication.DRAFT.value,
                "first_published_at": self.now if self.publish else None,
                "created_at": self.now,
                **record["fields"],
                **self._checked(record),
            }))
        table.insert_keyed(rows)
        return list(zip(records, [bare(Service, row) for row in rows], strict=True))

    def _update_services(self, changed: list[tuple[dict, Service]], organisations) -> None:
        for record, service in changed:
            for name, value in record["fields"].items():
                setattr(service, name, value)
            service.organisation = organisations[record["organisation"]["id"]]
            self._mark_checked(service, record)
        if changed:
            Service.objects.bulk_update([service for _record, service in changed], UPDATED_SERVICE_FIELDS)

    def _replace_parts(self, rewritten, locations, *, changed_ids: list[int]) -> None:
        """Put back each rewritten service's places, times, contacts, terms and areas as the feed has them."""
        if changed_ids:
            Schedule.objects.filter(service_id__in=changed_ids).delete()
            Contact.objects.filter(service_id__in=changed_ids).delete()
            ServiceAtLocation.objects.filter(service_id__in=changed_ids).delete()
            Service.terms.through.objects.filter(service_id__in=changed_ids).delete()
            Service.areas.through.objects.filter(service_id__in=changed_ids).delete()

        sal_rows, sal_keys = [], []
        for record, service in rewritten:
            for sal in record["sals"]:
                sal_rows.append({"uuid": sal["id"], "service_id": service.pk,
                                 "location_id": locations[sal["location"]["id"]].pk})
                sal_keys.append((record["id"], sal["id"]))
        self._unique_uuids(ServiceAtLocation, sal_rows, sal_keys, "service_at_location")
        self.tables[ServiceAtLocation].insert_keyed(sal_rows)
        sal_by_key = dict(zip(sal_keys, sal_rows, strict=True))

        schedule_rows, schedule_keys, contact_rows, contact_keys = [], [], [], []
        for record, service in rewritten:
            for schedule in record["schedules"]:
                sal = sal_by_key.get((record["id"], schedule["sal"])) if schedule["sal"] else None
                schedule_rows.append({
                    "uuid": schedule["id"], "service_id": service.pk, "service_at_location_id": sal["id"] if sal else None,
                    "attendance": schedule["attendance"], "weekday": schedule["weekday"],
                    "opens_at": time.fromisoformat(schedule["opens_at"]),
                    "closes_at": time.fromisoformat(schedule["closes_at"]),
                    "valid_from": schedule["valid_from"] and as_datetime(schedule["valid_from"]).date(),
                    "valid_to": schedule["valid_to"] and as_datetime(schedule["valid_to"]).date(),
                    "notes": schedule["notes"],
                })
                schedule_keys.append((record["id"], f"{schedule['id']}:{schedule['weekday']}"))
            for contact in record["contacts"]:
                contact_rows.append({"uuid": contact["id"], "service_id": service.pk, "name": contact["name"],
                                     "title": contact["title"], "email": contact["email"], "phone": contact["phone"]})
                contact_keys.append((record["id"], contact["id"]))
        self._unique_uuids(Schedule, schedule_rows, schedule_keys, "schedule")
        self._unique_uuids(Contact, contact_rows, contact_keys, "contact")
        self.tables[Schedule].insert(schedule_rows)
        self.tables[Contact].insert(contact_rows)
        self.tables[Service.terms.through].insert([
            {"service_id": service.pk, "term_id": term_id} for record, service in rewritten for term_id in record["terms"]
        ])
        self.tables[Service.areas.through].insert([
            {"service_id": service.pk, "place_id": place_id} for record, service in rewritten for place_id in record["areas"]
        ])

    def _unique_uuids(self, model, rows, keys, kind: str) -> None:
        """Keep the feed's ids where they are free; where another service's part (or another part of the
        same feed) has one, derive a new one from the service and the part. The uuids are canonical text."""
        taken = self.tables[model].pks_by_uuid([row["uuid"] for row in rows])
        seen: set[str] = set()
        for row, (service_id, key) in zip(rows, keys, strict=True):
            if row["uuid"] in taken or row["uuid"] in seen:
                row["uuid"] = _derived_uuid(service_id, kind, key)
            seen.add(row["uuid"])

    def _versions(self, created, changed, before) -> None:
        rows = []
        summary = "Imported from an Open Referral UK feed"
        actor_id = self.actor.pk if self.actor else None
        for record, service in created:
            snapshot, changes = record["version"]
            rows.append({"service_id": service.pk, "number": 1, "created_at": self.now, "created_by_id": actor_id,
                         "summary": summary, "snapshot": RawJSON(snapshot), "changes": RawJSON(changes)})
        if changed:
            numbers = dict(
                ServiceVersion.objects.filter(service_id__in=[service.pk for _r, service in changed])
                .values("service_id").annotate(n=Max("number")).values_list("service_id", "n")
            )
            for _record, service in changed:
                after = service_snapshot(service)
                changes = changes_between(before[service.pk], after)
                if changes:
                    rows.append({"service_id": service.pk, "number": numbers.get(service.pk, 0) + 1,
                                 "created_at": self.now, "created_by_id": actor_id, "summary": summary,
                                 "snapshot": after, "changes": changes})
        self.tables[ServiceVersion].insert(rows)

    def _refresh_search(self, rewritten, organisations, locations, *, changed_ids: list[int]) -> None:
        """Write the search rows of the services written from the feed, from what is in hand (reading
        them back would cost a quarter of the import)."""
        sources = [
            search_index.search_source(
                service, organisation_name=organisations[record["organisation"]["id"]].name,
                term_ids=record["terms"], area_ids=record["areas"],
                locations=[locations[sal["location"]["id"]] for sal in record["sals"]],
                has_drop_in=any(schedule["attendance"] == Attendance.DROP_IN for schedule in record["schedules"]),
                words=record["words"],
            )
            for record, service in rewritten if service.publication == Publication.PUBLISHED
        ]
        self.search_rows.write(sources, replacing=changed_ids)
