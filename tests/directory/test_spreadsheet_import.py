"""Committing a spreadsheet import: all or nothing, found again by external id, kept as versions with an
audit entry, and run as a background job when the file is large."""

from datetime import time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.permissions import imports as permissions_imports
from pathways.directory.models import (
    Attendance,
    CheckMethod,
    Contact,
    Funding,
    Location,
    PostcodeArea,
    Publication,
    Schedule,
    Service,
    ServiceSearchDocument,
    ServiceVersion,
)
from pathways.directory.services import spreadsheet
from pathways.directory.services.spreadsheet_files import ImportState, SpreadsheetImport, expired_imports_remove
from pathways.jobs.models import Job, JobStatus
from pathways.organisations.models import Membership, Organisation
from pathways.taxonomy.models import Term

from .spreadsheets import (  # noqa: F401  (fixtures)
    csv_bytes,
    good_row,
    media,
    places,
    prison,
    service_with_external_id,
    upload,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def _setting(media, places, prison):
    PostcodeArea.objects.update_or_create(code="LS1", defaults={"latitude": 53.79, "longitude": -1.54})


def upload_and_check(by, rows, name="services.csv", keys=None, acting_for=None):
    data = xlsx_bytes(rows, keys) if name.endswith(".xlsx") else csv_bytes(rows, keys)
    return spreadsheet.spreadsheet_import_upload(uploaded_file=upload(data, name), by=by, acting_for=acting_for)


def import_rows(by, rows, **kwargs):
    spreadsheet_import = upload_and_check(by, rows, **kwargs)
    assert spreadsheet_import.problems == []
    return spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=by)


def test_given_a_good_file_when_a_curator_imports_it_then_every_column_lands_on_the_service(curator, charity, prison):
    done = import_rows(curator, [good_row()], acting_for=curator.memberships.get().organisation)

    assert done.state == ImportState.COMMITTED
    assert done.outcome["unchanged"] == 0 and done.outcome["updated"] == []
    service = Service.objects.get(external_id="AV-1")
    assert done.outcome["created"] == [{
        "row": 2, "external_id": "AV-1", "name": "Housing advice drop-in",
        "organisation": "Aire Valley Resettlement Trust", "service_id": str(service.uuid),
    }]
    assert service.organisation == charity
    assert (service.url, service.email, service.phone) == (
        "https://www.aire.example.org/housing", "housing@aire.example.org", "0113 496 0000")
    assert (service.in_custody, service.in_community, service.through_the_gate) == (True, True, False)
    assert (service.minimum_age, service.maximum_age, service.gender) == (18, None, "any")
    assert (service.self_referral, service.agency_referral, service.statutory_referral_only) == (True, True, False)
    assert service.languages == ["English", "Polish"]
    assert (service.capacity, service.typical_wait_days, service.is_free) == ("40 people a year", 7, True)
    assert sorted(service.terms.values_list("code", flat=True)) == [
        "category-advice", "category-housing", "group-women", "pathway-accommodation"]
    assert sorted(str(place) for place in service.areas.all()) == ["HMP Leeds", "Leeds"]
    assert service.areas.get(name="Leeds").kind == "local_authority"
    location = service.service_at_locations.get().location
    assert (location.name, location.address_1, location.city, location.postcode) == (
        "Aire Valley hub", "14 Kirkstall Road", "Leeds", "LS1 4RT")
    assert (location.latitude, location.longitude) == (53.79, -1.54)
    assert sorted(str(schedule) for schedule in service.schedules.filter(attendance=Attendance.DROP_IN)) == [
        "Drop-in Monday 10:00–12:00", "Drop-in Thursday 14:00–16:00"]
    assert service.schedules.filter(attendance=Attendance.OPENING_HOURS, opens_at=time(9)).count() == 5
    contact = service.contacts.get()
    assert (contact.name, contact.email, contact.phone) == ("Sam Patel", "sam@aire.example.org", "07700 900123")
    funding = service.funding.get()
    assert (funding.kind, funding.funder, funding.stream) == ("contracted", prison, "Resettlement services")

    # Published, fresh and attributed: imported by the curator, just now.
    assert service.publication == Publication.PUBLISHED and service.first_published_at is not None
    assert (service.last_check_method, service.last_checked_by) == (CheckMethod.IMPORTED, curator)
    assert ServiceSearchDocument.objects.filter(service=service).exists()
    version = service.versions.get()
    assert (version.summary, version.created_by) == ("Imported from services.csv", curator)
    entry = AuditEntry.objects.get(action="created", target_id=str(service.pk))
    assert (entry.actor, entry.owner, entry.reason) == (curator, charity, "Imported from services.csv")

    # The uploaded file is gone; the outcome stays for its page.
    assert not done.file_path.exists()
    assert SpreadsheetImport.load(done.id).state == ImportState.COMMITTED


def test_given_the_same_file_imported_twice_then_nothing_is_duplicated_and_no_version_is_added(curator, charity):
    rows = [good_row(), good_row(external_id="AV-2", name="Second service")]
    import_rows(curator, rows)
    counts = (Service.objects.count(), Location.objects.count(), Schedule.objects.count(), Contact.objects.count(),
              Funding.objects.count(), ServiceVersion.objects.count(), AuditEntry.objects.count())

    again = upload_and_check(curator, rows)
    assert [row["external_id"] for row in again.preview["unchanged"]] == ["AV-1", "AV-2"]
    assert again.preview["new"] == [] and again.preview["updated"] == []
    done = spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=again, by=curator)

    assert done.outcome["unchanged"] == 2
    assert counts == (Service.objects.count(), Location.objects.count(), Schedule.objects.count(),
                      Contact.objects.count(), Funding.objects.count(), ServiceVersion.objects.count(),
                      AuditEntry.objects.count())
    assert Location.objects.count() == 1, "two services at one place share its location"


def test_given_a_changed_row_when_imported_again_then_the_service_is_updated_with_a_version_of_what_changed(
    curator, charity
):
    import_rows(curator, [good_row()], name="first.xlsx")
    changed = good_row(drop_in_times="Tue 10:00-11:00", contact_phone="0113 496 0001", publish="no",
                       categories="Advice")
    preview = upload_and_check(curator, [changed], name="second.csv").preview
    assert preview["updated"][0]["changes"] == [
        ["Categories", "Advice; Housing", "Advice"],
        ["Drop-in times", "Mon 10:00-12:00; Thu 14:00-16:00", "Tue 10:00-11:00"],
        ["Contact phone", "07700 900123", "0113 496 0001"],
        ["Publish", "yes", "no"],
    ]
    done = import_rows(curator, [changed], name="second.csv")

    assert [row["external_id"] for row in done.outcome["updated"]] == ["AV-1"]
    service = Service.objects.get(external_id="AV-1")
    assert service.publication == Publication.WITHDRAWN
    assert not ServiceSearchDocument.objects.filter(service=service).exists()
    assert [str(s) for s in service.schedules.filter(attendance=Attendance.DROP_IN)] == ["Drop-in Tuesday 10:00–11:00"]
    assert service.contacts.get().phone == "0113 496 0001"
    latest = service.versions.first()
    assert (latest.number, latest.summary) == (2, "Imported from second.csv")
    assert "terms" in latest.changes and "publication" in latest.changes
    assert Service.objects.count() == 1 and Location.objects.count() == 1


def test_given_a_file_without_some_columns_then_those_details_are_left_as_they_are(curator, charity):
    import_rows(curator, [good_row()])
    keys = ["external_id", "organisation", "name", "location_name"]
    done = import_rows(curator, [good_row(name="Renamed", location_name="")], keys=keys)

    service = Service.objects.get(external_id="AV-1")
    assert done.outcome["updated"][0]["name"] == "Renamed"
    assert service.name == "Renamed"
    assert service.description == "Advice on finding and keeping a home."
    assert service.contacts.count() == 1 and service.schedules.count() == 7
    # A blank location name in a file with that column: the service is no longer at a location.
    assert service.service_at_locations.count() == 0


def test_given_an_organisation_not_in_pathways_when_a_curator_imports_then_it_is_added_as_a_charity(curator):
    before = Organisation.objects.count()
    rows = [good_row(organisation="Wakefield Women's Centre", external_id="W-1"),
            good_row(organisation="wakefield women's centre", external_id="W-2", location_name="Second place")]
    done = import_rows(curator, rows)

    assert Organisation.objects.count() == before + 1
    added = Organisation.objects.get(name="Wakefield Women's Centre")
    assert added.type.code == "charity"
    assert done.outcome["organisations_added"] == ["Wakefield Women's Centre"]
    assert set(Service.objects.filter(organisation=added).values_list("external_id", flat=True)) == {"W-1", "W-2"}
    assert AuditEntry.objects.filter(action="created", target_id=str(added.pk), actor=curator).exists()


def test_given_a_failure_half_way_through_the_commit_then_nothing_at_all_is_saved(curator, charity, monkeypatch):
    rows = [good_row(), good_row(external_id="AV-2", organisation="New Org"), good_row(external_id="AV-3")]
    spreadsheet_import = upload_and_check(curator, rows)
    counts = (Organisation.objects.count(), AuditEntry.objects.count())
    real = spreadsheet.service_version_record
    calls = []

    def fail_on_the_third_service(**kwargs):
        calls.append(kwargs["service"])
        if len(calls) == 3:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(spreadsheet, "service_version_record", fail_on_the_third_service)
    with pytest.raises(RuntimeError):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)

    assert len(calls) == 3
    assert Service.objects.count() == 0
    assert (Location.objects.count(), Schedule.objects.count(), Contact.objects.count(), Funding.objects.count(),
            ServiceVersion.objects.count(), ServiceSearchDocument.objects.count()) == (0, 0, 0, 0, 0, 0)
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == counts
    # The upload is still there to try again.
    kept = SpreadsheetImport.load(spreadsheet_import.id)
    assert kept.state == ImportState.CHECKED and kept.file_path.exists()
    monkeypatch.setattr(spreadsheet, "service_version_record", real)
    assert spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=kept, by=curator).outcome["created"]


def test_given_a_file_with_problems_then_it_cannot_be_committed(curator, charity):
    spreadsheet_import = upload_and_check(curator, [good_row(), good_row(external_id="AV-2", postcode="LS99 XX")])
    assert [p["text"] for p in spreadsheet_import.problems] == ["Row 3, Postcode: 'LS99 XX' is not a postcode"]
    with pytest.raises(DomainError, match="Nothing can be imported until every problem"):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)
    assert Service.objects.count() == 0


def test_given_records_that_changed_since_the_preview_then_the_commit_finds_the_problem_and_saves_nothing(
    curator, charity, other_charity
):
    spreadsheet_import = upload_and_check(curator, [good_row(), good_row(external_id="AV-2")])
    assert spreadsheet_import.problems == []
    service_with_external_id(other_charity, "AV-2", name="Calder drop-in")

    with pytest.raises(DomainError, match="Nothing was imported: the file now has 1 problem"):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)

    assert not Service.objects.filter(external_id="AV-1").exists()
    kept = SpreadsheetImport.load(spreadsheet_import.id)
    assert [p["text"] for p in kept.problems] == [
        "Row 3, External ID: 'AV-2' is already the ID of “Calder drop-in”, run by Calder Lantern Project, not by "
        "Aire Valley Resettlement Trust"]


def test_given_a_manager_then_they_import_for_their_organisation_and_not_as_anyone_else(manager, charity, curator):
    done = import_rows(manager, [good_row(organisation="")])
    assert Service.objects.get(external_id="AV-1").organisation == charity
    assert done.outcome["created"][0]["organisation"] == charity.name

    spreadsheet_import = upload_and_check(manager, [good_row(name="Again")])
    with pytest.raises(PermissionDenied):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)
    Membership.objects.filter(user=manager).update(ended_at=timezone.now())
    manager = type(manager).objects.get(pk=manager.pk)
    with pytest.raises(PermissionDenied):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=manager)


def test_given_a_worker_then_they_cannot_upload(worker):
    with pytest.raises(PermissionDenied):
        upload_and_check(worker, [good_row()])


def test_an_import_belongs_to_its_uploader_and_expires_after_a_day(curator, manager, charity):
    spreadsheet_import = upload_and_check(manager, [good_row(organisation="")])
    assert permissions_imports.import_get_for_user(user=manager, import_id=spreadsheet_import.id)
    with pytest.raises(Http404):
        permissions_imports.import_get_for_user(user=curator, import_id=spreadsheet_import.id)
    with pytest.raises(Http404):
        permissions_imports.import_get_for_user(user=manager, import_id="not-a-uuid")

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        with pytest.raises(Http404):
            permissions_imports.import_get_for_user(user=manager, import_id=spreadsheet_import.id)
        assert expired_imports_remove() == 1
    assert not spreadsheet_import.file_path.exists() and not spreadsheet_import.record_path.exists()


def test_a_commit_already_running_refuses_a_second_at_the_same_time(curator, charity):
    spreadsheet_import = upload_and_check(curator, [good_row()])
    with spreadsheet_import.lock():
        with pytest.raises(DomainError, match="already being saved"):
            spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)
    spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)
    with pytest.raises(DomainError, match="already been imported"):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)
    assert Service.objects.count() == 1


def test_given_a_large_file_then_it_is_checked_and_imported_by_background_jobs(
    curator, charity, settings, django_capture_on_commit_callbacks
):
    settings.DIRECTORY_IMPORT_BACKGROUND_ROWS = 2
    rows = [good_row(external_id=f"AV-{n}", name=f"Service {n}") for n in range(1, 4)]
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheet_import = upload_and_check(curator, rows)

    check_job = Job.objects.get(kind="directory.import_check")
    assert spreadsheet_import.job_id == str(check_job.pk)
    assert (check_job.status, check_job.done, check_job.total) == (JobStatus.SUCCEEDED, 3, 3)
    assert check_job.result == {
        "download_url": f"/directory/imports/{spreadsheet_import.id}/",
        "download_label": "See what the import would change",
        "summary": "3 new services, 0 updated, 0 unchanged.",
    }
    checked = SpreadsheetImport.load(spreadsheet_import.id)
    assert checked.state == ImportState.CHECKED and len(checked.preview["new"]) == 3

    with django_capture_on_commit_callbacks(execute=True):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=checked, by=curator)
    commit_job = Job.objects.get(kind="directory.import_commit")
    assert commit_job.status == JobStatus.SUCCEEDED, commit_job.error
    assert commit_job.result["summary"] == "3 services added, 0 updated, 0 unchanged."
    assert commit_job.created_by == curator
    assert SpreadsheetImport.load(spreadsheet_import.id).state == ImportState.COMMITTED
    assert Service.objects.count() == 3


def test_given_a_small_file_that_changes_many_services_then_it_is_saved_by_a_background_job(
    curator, charity, settings, django_capture_on_commit_callbacks
):
    settings.DIRECTORY_IMPORT_BACKGROUND_CHANGES = 1
    spreadsheet_import = upload_and_check(curator, [good_row(), good_row(external_id="AV-2")])
    assert spreadsheet_import.job_id is None, "checked in the request"
    with django_capture_on_commit_callbacks(execute=True):
        started = spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)
    assert started.job_id == str(Job.objects.get(kind="directory.import_commit").pk)
    assert SpreadsheetImport.load(spreadsheet_import.id).state == ImportState.COMMITTED
    assert Service.objects.count() == 2


def test_given_a_large_file_whose_commit_finds_new_problems_then_the_job_fails_and_nothing_is_saved(
    curator, charity, other_charity, settings, django_capture_on_commit_callbacks
):
    settings.DIRECTORY_IMPORT_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheet_import = upload_and_check(curator, [good_row(), good_row(external_id="AV-2")])
    service_with_external_id(other_charity, "AV-2", name="Calder drop-in")
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=SpreadsheetImport.load(spreadsheet_import.id),
                                                    by=curator)
    job = Job.objects.get(kind="directory.import_commit")
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Nothing was imported: the file now has 1 problem")
    assert SpreadsheetImport.load(spreadsheet_import.id).state == ImportState.CHECKED
    assert not Service.objects.filter(external_id="AV-1").exists()


def test_terms_of_columns_left_out_stay(curator, charity):
    import_rows(curator, [good_row()])
    import_rows(curator, [good_row(pathways="Health")], keys=["external_id", "organisation", "name", "pathways"])
    codes = set(Service.objects.get().terms.values_list("code", flat=True))
    assert codes == {"pathway-health", "category-advice", "category-housing", "group-women"}
    assert Term.objects.filter(code="pathway-health").exists()


def test_a_lock_left_by_a_commit_that_died_does_not_stop_the_next(curator, charity):
    import os

    spreadsheet_import = upload_and_check(curator, [good_row()])
    spreadsheet_import.lock_path.touch()
    an_hour_and_more_ago = timezone.now().timestamp() - 3700
    os.utime(spreadsheet_import.lock_path, (an_hour_and_more_ago, an_hour_and_more_ago))
    spreadsheet.spreadsheet_import_commit_start(spreadsheet_import=spreadsheet_import, by=curator)
    assert Service.objects.count() == 1 and not spreadsheet_import.lock_path.exists()
