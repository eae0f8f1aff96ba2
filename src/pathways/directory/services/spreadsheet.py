"""Importing services from a spreadsheet: upload, check and preview, then commit all or nothing.

1. ``spreadsheet_import_upload`` keeps the file (see spreadsheet_files) and checks every row, or starts a
   background job to check it when it has more than ``background_rows()`` rows.
2. The preview lists what would be added and changed, by column, and every problem by row and column.
3. ``spreadsheet_import_commit_start`` imports it, in the request or as a job for a large file (or one that
   adds or changes more than ``background_changes()`` services). The rows
   are checked again inside one transaction and saved only if every row is good: a failure anywhere
   leaves nothing behind. Services are found again by their external id, so importing the same file
   twice changes nothing the second time.

Each added or changed service gets a version "Imported from <file name>" and an audit entry, and its
freshness says it was imported, by whom and when.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError
from pathways.jobs.services import job_start
from pathways.organisations.models import Organisation
from pathways.organisations.services import organisation_create

from ..permissions import imports as import_permissions
from ..models import (
    Attendance,
    CheckMethod,
    Contact,
    Funding,
    Location,
    LocationType,
    Publication,
    Schedule,
    Service,
    ServiceAtLocation,
)
from ..selectors import imports as selectors
from . import search_index
from .records import service_snapshot, service_version_record
from .spreadsheet_check import SERVICE_FIELD_KEYS, CheckResult, RowChecker, RowPlan, rows_check
from .spreadsheet_columns import CONTACT_KEYS, FUNDING_KEYS, LOCATION_KEYS, VOCABULARY_COLUMNS
from .spreadsheet_files import (
    IMPORT_MAX_BYTES,
    IMPORT_MAX_ROWS,
    ImportState,
    SpreadsheetImport,
    expired_imports_remove,
    imports_dir,
    open_table,
    sniff_extension,
    table_row_count,
)

CHECK_JOB = "directory.import_check"
COMMIT_JOB = "directory.import_commit"
# Files with more rows than this are checked and imported by a background job; so are files that would
# add or change more services than IMPORT_BACKGROUND_CHANGES, since saving takes longer than checking.
IMPORT_BACKGROUND_ROWS = 500
IMPORT_BACKGROUND_CHANGES = 100


def background_rows() -> int:
    return getattr(settings, "DIRECTORY_IMPORT_BACKGROUND_ROWS", IMPORT_BACKGROUND_ROWS)


def background_changes() -> int:
    return getattr(settings, "DIRECTORY_IMPORT_BACKGROUND_CHANGES", IMPORT_BACKGROUND_CHANGES)


def _commit_in_background(spreadsheet_import: SpreadsheetImport) -> bool:
    preview = spreadsheet_import.preview or {}
    changes = len(preview.get("new", [])) + len(preview.get("updated", []))
    return spreadsheet_import.rows > background_rows() or changes > background_changes()


def _authorise(spreadsheet_import: SpreadsheetImport, by) -> None:
    if not import_permissions.can_import(by) or spreadsheet_import.user_id != by.pk:
        raise PermissionDenied


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def preview_summary(preview: dict) -> str:
    """'3 new services, 2 updated, 1 unchanged' – and the problems, if there are any."""
    text = (f"{_plural(len(preview['new']), 'new service')}, {len(preview['updated']):,} updated, "
            f"{len(preview['unchanged']):,} unchanged")
    if preview["problems"]:
        text += f"; {_plural(len(preview['problems']), 'problem')} to correct before importing"
    return text + "."


def outcome_summary(outcome: dict) -> str:
    return (f"{_plural(len(outcome['created']), 'service')} added, {len(outcome['updated']):,} updated, "
            f"{outcome['unchanged']:,} unchanged.")


# Upload and check ------------------------------------------------------------------------------------

def spreadsheet_import_upload(*, uploaded_file, by, acting_for=None,
                              replaces: SpreadsheetImport | None = None) -> SpreadsheetImport:
    """Keep the uploaded file and check it (now, or in a background job for a large file).

    Raises DomainError (on the ``file`` field) for a file that cannot be read at all; problems with rows
    are not errors here but the content of the preview. ``replaces`` is an earlier upload of the same
    person that this one corrects: it is removed.
    """
    if not import_permissions.can_import(by):
        raise PermissionDenied
    if replaces is not None:
        _authorise(replaces, by)
    expired_imports_remove()
    if uploaded_file.size > IMPORT_MAX_BYTES:
        raise DomainError(f"The file must be smaller than {IMPORT_MAX_BYTES // (1024 * 1024)} MB. Split it into "
                          "smaller files.", field="file")
    if not uploaded_file.size:
        raise DomainError("The file is empty.", field="file")
    name = (uploaded_file.name or "spreadsheet").replace("/", "_").replace("\\", "_")[-200:]
    folder = imports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    spreadsheet_import = SpreadsheetImport.new(
        user_id=by.pk, file_name=name, extension="upload", size=uploaded_file.size,
        acting_for_id=acting_for.pk if acting_for is not None else None,
    )
    received = spreadsheet_import.file_path
    try:
        with received.open("wb") as file:
            for chunk in uploaded_file.chunks():
                file.write(chunk)
        spreadsheet_import.extension = sniff_extension(received, name)
        received.replace(spreadsheet_import.file_path)
        rows = table_row_count(spreadsheet_import.file_path, spreadsheet_import.extension)
        if rows == 0:
            raise DomainError("The file has no services in it: add one row for each service below the headings.",
                              field="file")
        if rows > IMPORT_MAX_ROWS:
            raise DomainError(f"The file has more than {IMPORT_MAX_ROWS:,} rows. Split it into smaller files.",
                              field="file")
    except BaseException:
        received.unlink(missing_ok=True)
        spreadsheet_import.remove_file()
        raise
    spreadsheet_import.rows = rows
    if replaces is not None and replaces.state in (ImportState.CHECKED, ImportState.COMMITTED):
        replaces.remove()
    if rows > background_rows():
        spreadsheet_import.state = ImportState.CHECKING
        # The job is queued when this block commits, after the record knows its job.
        with transaction.atomic():
            job = job_start(
                kind=CHECK_JOB, title=f"Checking {name}", by=by, organisation=acting_for,
                params={"import_id": spreadsheet_import.id},
            )
            spreadsheet_import.job_id = str(job.pk)
            spreadsheet_import.save()
        return SpreadsheetImport.load(spreadsheet_import.id) or spreadsheet_import
    return spreadsheet_import_check(spreadsheet_import=spreadsheet_import, by=by)


def _check(spreadsheet_import: SpreadsheetImport, *, by, progress=None, on_chunk=None) -> CheckResult:
    if not spreadsheet_import.file_path.exists():
        raise DomainError("The uploaded file is no longer kept. Upload it again.")
    with open_table(spreadsheet_import.file_path, spreadsheet_import.extension) as table:
        return rows_check(table, by=by, progress=progress, total=spreadsheet_import.rows, on_chunk=on_chunk)


def spreadsheet_import_check(*, spreadsheet_import: SpreadsheetImport, by, progress=None) -> SpreadsheetImport:
    """Check every row and keep the preview. Nothing in the knowledge base changes."""
    _authorise(spreadsheet_import, by)
    result = _check(spreadsheet_import, by=by, progress=progress)
    spreadsheet_import.preview = result.preview()
    spreadsheet_import.state = ImportState.CHECKED
    spreadsheet_import.save()
    return spreadsheet_import


def spreadsheet_import_discard(*, spreadsheet_import: SpreadsheetImport, by) -> None:
    _authorise(spreadsheet_import, by)
    if spreadsheet_import.state in (ImportState.CHECKING, ImportState.COMMITTING):
        raise DomainError("The file is being worked on. Wait until it has finished.")
    spreadsheet_import.remove()


# Commit ----------------------------------------------------------------------------------------------

class _RowsHaveProblems(Exception):
    def __init__(self, result: CheckResult):
        self.result = result


def spreadsheet_import_commit_start(*, spreadsheet_import: SpreadsheetImport, by) -> SpreadsheetImport:
    """Import the services: now for a small file, or in a background job for a large one."""
    _authorise(spreadsheet_import, by)
    _commit_allowed(spreadsheet_import)
    if _commit_in_background(spreadsheet_import):
        spreadsheet_import.state = ImportState.COMMITTING
        with transaction.atomic():
            job = job_start(
                kind=COMMIT_JOB, title=f"Importing {spreadsheet_import.file_name}", by=by,
                organisation=_acting_for(spreadsheet_import), params={"import_id": spreadsheet_import.id},
            )
            spreadsheet_import.job_id = str(job.pk)
            spreadsheet_import.save()
        return SpreadsheetImport.load(spreadsheet_import.id) or spreadsheet_import
    return spreadsheet_import_commit(spreadsheet_import=spreadsheet_import, by=by)


def _commit_allowed(spreadsheet_import: SpreadsheetImport) -> None:
    if spreadsheet_import.state == ImportState.COMMITTED:
        raise DomainError("This file has already been imported.")
    if spreadsheet_import.state == ImportState.CHECKING:
        raise DomainError("The file is still being checked. Wait until the check has finished.")
    if spreadsheet_import.state == ImportState.COMMITTING:
        raise DomainError("This file is already being imported. Wait until it has finished.")
    if spreadsheet_import.problems:
        raise DomainError("Nothing can be imported until every problem in the file is corrected. "
                          "Correct the file and upload it again.")


def _acting_for(spreadsheet_import: SpreadsheetImport) -> Organisation | None:
    if spreadsheet_import.acting_for_id is None:
        return None
    return Organisation.objects.filter(pk=spreadsheet_import.acting_for_id).first()


def spreadsheet_import_commit(*, spreadsheet_import: SpreadsheetImport, by, progress=None) -> SpreadsheetImport:
    """Check every row again and, only if all are good, save them all in one transaction."""
    _authorise(spreadsheet_import, by)
    with spreadsheet_import.lock():
        # Read the record again now that no one else can be committing it.
        spreadsheet_import = SpreadsheetImport.load(spreadsheet_import.id) or spreadsheet_import
        if spreadsheet_import.state != ImportState.COMMITTING:
            _commit_allowed(spreadsheet_import)
        try:
            outcome = _commit(spreadsheet_import, by=by, progress=progress)
        except BaseException:
            # The preview stays, so the person can see it and try again.
            if spreadsheet_import.state == ImportState.COMMITTING:
                spreadsheet_import.state = ImportState.CHECKED
                spreadsheet_import.save()
            raise
        spreadsheet_import.outcome = outcome
        spreadsheet_import.state = ImportState.COMMITTED
        spreadsheet_import.save()
        spreadsheet_import.remove_file()
    return spreadsheet_import


def _commit(spreadsheet_import: SpreadsheetImport, *, by, progress) -> dict:
    if progress is not None:
        # A background import checks first, showing its progress: the transaction would hide it.
        result = _check(spreadsheet_import, by=by, progress=progress)
        if result.problems:
            _keep_problems(spreadsheet_import, result)
        progress.say("Saving the services")
    importer = _Importer(spreadsheet_import=spreadsheet_import, by=by)
    try:
        with transaction.atomic():
            result = _check(spreadsheet_import, by=by, on_chunk=importer.apply_chunk)
            if result.problems:
                raise _RowsHaveProblems(result)
            importer.finish()
    except _RowsHaveProblems as failure:
        _keep_problems(spreadsheet_import, failure.result)
    return importer.outcome(unchanged=len(result.unchanged))


def _keep_problems(spreadsheet_import: SpreadsheetImport, result: CheckResult):
    spreadsheet_import.preview = result.preview()
    spreadsheet_import.state = ImportState.CHECKED
    spreadsheet_import.save()
    raise DomainError(
        f"Nothing was imported: the file now has {_plural(len(result.problems), 'problem')}, because records "
        "in Pathways changed since it was checked. Open the import again to see them."
    )


class _Importer:
    """Applies the plans of good rows, inside the commit's transaction."""

    def __init__(self, *, spreadsheet_import: SpreadsheetImport, by):
        self.by = by
        self.acting_for = _acting_for(spreadsheet_import)
        self.summary = f"Imported from {spreadsheet_import.file_name}"[:300]
        self.organisations: dict[str, Organisation] = {}
        self.locations: dict[tuple, Location] = {}
        self.positions: dict[str, tuple[float, float] | None] = {}
        self.refresh: set[int] = set()
        self.created: list[dict] = []
        self.updated: list[dict] = []
        self.organisations_added: list[str] = []
        self.now = timezone.now()

    def apply_chunk(self, plans: list[RowPlan], checker: RowChecker) -> None:
        if checker.problems:
            # A problem anywhere: nothing more is saved, and the transaction is rolled back once the
            # check has found every problem.
            return
        for plan in plans:
            if plan.status != "unchanged":
                self._apply(plan)

    def finish(self) -> None:
        _search_refresh(self.refresh)

    def outcome(self, *, unchanged: int) -> dict:
        return {
            "committed_at": timezone.now().isoformat(),
            "created": self.created,
            "updated": self.updated,
            "unchanged": unchanged,
            "organisations_added": self.organisations_added,
        }

    # One row ---------------------------------------------------------------------------------------

    def _organisation(self, plan: RowPlan) -> Organisation:
        if plan.organisation is not None:
            return plan.organisation
        key = " ".join(plan.organisation_name.split()).lower()
        if key not in self.organisations:
            self.organisations[key] = organisation_create(
                by=self.by, acting_for=self.acting_for, name=plan.organisation_name,
                type=selectors.new_organisation_type(),
            )
            self.organisations_added.append(plan.organisation_name)
        return self.organisations[key]

    def _apply(self, plan: RowPlan) -> None:
        organisation = self._organisation(plan)
        if not import_permissions.can_import_for(self.by, organisation):
            raise PermissionDenied
        service = plan.service
        is_new = service is None
        if is_new:
            service = Service(organisation=organisation, external_id=plan.external_id)
            before = None
            changed = set(plan.present)
        else:
            before = service_snapshot(service)
            changed = plan.changed
        for key in SERVICE_FIELD_KEYS:
            if key in changed and key in plan.fields:
                setattr(service, key, plan.fields[key])
        if plan.publish is True and service.publication != Publication.PUBLISHED:
            service.publication = Publication.PUBLISHED
            service.first_published_at = service.first_published_at or self.now
        elif plan.publish is False and service.publication == Publication.PUBLISHED:
            service.publication = Publication.WITHDRAWN
        service.last_checked_at = self.now
        service.last_checked_by = self.by if getattr(self.by, "is_authenticated", False) else None
        service.last_check_method = CheckMethod.IMPORTED
        _valid(service, plan.row, exclude=["organisation", "terms", "areas", "last_checked_by"])
        service.save()

        # A new service has nothing to replace, so it takes the fewest writes.
        if is_new:
            terms = [term for terms in plan.terms.values() for term in terms]
            if terms:
                service.terms.add(*terms)
            if plan.places:
                service.areas.add(*plan.places)
        else:
            if changed & set(VOCABULARY_COLUMNS):
                replaced = {VOCABULARY_COLUMNS[key] for key in plan.terms}
                kept = [term for term in service.terms.all() if term.vocabulary.code not in replaced]
                service.terms.set(kept + [term for terms in plan.terms.values() for term in terms])
            if plan.places is not None and "areas" in changed:
                service.areas.set(plan.places)
        if changed & set(LOCATION_KEYS):
            self._location(service, organisation, plan, is_new=is_new)
        schedules = []
        for key, times, attendance in (("drop_in_times", plan.drop_ins, Attendance.DROP_IN),
                                       ("opening_times", plan.openings, Attendance.OPENING_HOURS)):
            if times is not None and key in changed:
                if not is_new:
                    Schedule.objects.filter(service=service, attendance=attendance).delete()
                schedules += [
                    Schedule(service=service, attendance=attendance, weekday=day, opens_at=opens, closes_at=closes)
                    for day, opens, closes in times
                ]
        if schedules:
            Schedule.objects.bulk_create(schedules)
        if changed & set(CONTACT_KEYS):
            if not is_new:
                Contact.objects.filter(service=service).delete()
            if plan.contact:
                contact = Contact(service=service, **plan.contact)
                _valid(contact, plan.row, exclude=["service"])
                contact.save()
        if changed & set(FUNDING_KEYS):
            if not is_new:
                Funding.objects.filter(service=service).delete()
            if plan.funding:
                funding = Funding(service=service, **plan.funding)
                _valid(funding, plan.row, exclude=["service", "funder"])
                funding.save()

        version = service_version_record(service=service, by=self.by, summary=self.summary, before=before)
        audit_record(
            actor=self.by, action=AuditAction.CREATED if is_new else AuditAction.CHANGED, target=service,
            acting_for=self.acting_for, owner=organisation,
            changes=version.changes if version is not None else {
                label: [old, new] for label, old, new in plan.changes
            },
            reason=self.summary,
        )
        self.refresh.add(service.pk)
        entry = {"row": plan.row, "external_id": plan.external_id, "name": service.name,
                 "organisation": organisation.name, "service_id": str(service.uuid)}
        (self.created if is_new else self.updated).append(entry)

    def _location(self, service: Service, organisation: Organisation, plan: RowPlan, *, is_new: bool) -> None:
        links = ServiceAtLocation.objects.filter(service=service)
        if plan.location is None:
            if not is_new:
                _keep_times_of(links)
                links.delete()
            return
        spec = plan.location
        key = (organisation.pk, spec["name"].lower(), spec["postcode"])
        location = self.locations.get(key) or plan.location_match
        if location is None:
            location = Location(
                organisation=organisation, location_type=LocationType.PHYSICAL, name=spec["name"],
                address_1=spec["address"], city=spec["town"], postcode=spec["postcode"],
            )
            if spec["postcode"] not in self.positions:
                self.positions[spec["postcode"]] = selectors.postcode_position(spec["postcode"])
            if self.positions[spec["postcode"]] is not None:
                location.latitude, location.longitude = self.positions[spec["postcode"]]
            _valid(location, plan.row, exclude=["organisation", "prison"])
            location.save()
        elif (location.address_1, location.city) != (spec["address"], spec["town"]):
            location.address_1, location.city = spec["address"], spec["town"]
            _valid(location, plan.row, exclude=["organisation", "prison"])
            location.save(update_fields=["address_1", "city"])
            # Every service at the place shows the new address in search.
            self.refresh.update(selectors.services_at_locations([location.pk]))
        self.locations[key] = location
        if is_new:
            ServiceAtLocation.objects.create(service=service, location=location)
            return
        others = links.exclude(location=location)
        _keep_times_of(others)
        others.delete()
        ServiceAtLocation.objects.get_or_create(service=service, location=location)


def _keep_times_of(links) -> None:
    """Times kept for a location the service leaves stay with the service."""
    Schedule.objects.filter(service_at_location__in=links).update(service_at_location=None)


def _valid(record, row: int, exclude=()) -> None:
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise DomainError(f"Row {row}: {' '.join(error.messages)} Nothing was imported.") from None


def _search_refresh(service_ids) -> None:
    """What search reads, for every service the import touched."""
    ids = sorted(service_ids)
    refresh_many = getattr(search_index, "search_documents_refresh_many", None)
    if refresh_many is not None:
        refresh_many(service_ids=ids)
        return
    for start in range(0, len(ids), 500):
        for service in Service.objects.filter(pk__in=ids[start:start + 500]).select_related("organisation"):
            search_index.search_document_refresh(service=service)


def import_url(spreadsheet_import: SpreadsheetImport) -> str:
    return reverse("directory:import", kwargs={"import_id": spreadsheet_import.id})
