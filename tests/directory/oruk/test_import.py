"""Importing Open Referral UK services: all or nothing, every problem named by record and field,
re-imports update rather than duplicate."""

import json
from datetime import datetime, time
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.models import (
    Attendance,
    CheckMethod,
    Location,
    Publication,
    Schedule,
    Service,
    ServiceSearchDocument,
    ServiceSearchPoint,
    ServiceVersion,
)
from pathways.directory.oruk.importing import FeedRefused, oruk_import
from pathways.directory.oruk.sources import documents_at, json_documents
from pathways.directory.services.records import service_snapshot
from pathways.directory.services.search_index import FACET_COLUMNS, search_documents_refresh_many
from pathways.organisations.models import Organisation

from .feeds import NEW_ORGANISATION_ID, full_service, spoiled, write_json


def run_import(documents, **kwargs):
    return oruk_import(documents=documents, by=None, source="test feed", **kwargs)


def test_given_a_valid_feed_when_imported_then_services_and_their_parts_are_created_and_published(
    places, postcodes
):
    result = run_import([full_service(1), full_service(2)])
    assert (result.created, result.updated, result.unchanged, result.organisations_created) == (2, 0, 0, 1)

    service = Service.objects.get(name="Imported service 1")
    assert str(service.uuid) == full_service(1)["id"]
    assert service.publication == Publication.PUBLISHED
    assert service.last_check_method == CheckMethod.IMPORTED
    assert timezone.localtime(service.last_checked_at).date().isoformat() == "2025-01-15"
    assert service.minimum_age == 18 and service.is_free and service.self_referral
    assert service.languages == ["Polish"]
    assert service.eligibility == "People leaving prison in Leeds."
    assert list(service.terms.values_list("code", flat=True)) == ["pathway-accommodation"]
    assert list(service.areas.all()) == [places["leeds"]]

    organisation = service.organisation
    assert str(organisation.uuid) == NEW_ORGANISATION_ID
    assert organisation.name == "Feed Housing Association" and organisation.type.code == "charity"
    assert organisation.slug == "feed-housing-association"

    location = service.service_at_locations.get().location
    assert location.postcode == "LS1 6AB"
    # No latitude in the feed: the postcode district's centre is used.
    assert (location.latitude, location.longitude) == (53.7965, -1.5478)

    days = sorted(service.schedules.values_list("weekday", "opens_at", "attendance"))
    assert days == [("MO", time(10), Attendance.DROP_IN), ("WE", time(10), Attendance.DROP_IN)]
    assert service.schedules.filter(service_at_location__location=location).count() == 2
    contact = service.contacts.get()
    assert (contact.name, contact.email, contact.phone) == ("Jo Housing", "jo@feed.example.org", "0113 496 0100")

    version = service.versions.get()
    assert version.number == 1 and version.summary == "Imported from an Open Referral UK feed"
    assert ServiceSearchDocument.objects.filter(service=service).exists()
    assert AuditEntry.objects.filter(action="created", changes__has_key="services added").count() == 1


def test_given_a_feed_describing_a_new_organisation_when_imported_then_its_own_trail_says_who_added_it_and_from_where(
    places, postcodes, curator
):
    oruk_import(documents=[full_service(1), full_service(2)], by=curator, source="feed.json")

    organisation = Organisation.objects.get(uuid=NEW_ORGANISATION_ID)
    entries = list(AuditEntry.objects.filter(owner=organisation))
    assert len(entries) == 1  # one organisation, described by both records
    entry = entries[0]
    assert entry.action == "created" and entry.actor == curator and entry.target_id == str(organisation.pk)
    assert entry.changes["name"] == [None, "Feed Housing Association"]
    assert entry.changes["type"] == [None, organisation.type.name]
    assert entry.reason == "Imported from an Open Referral UK feed: feed.json"

    # Imported again, nothing new is added, so nothing more is written to its trail.
    oruk_import(documents=[full_service(1), full_service(2)], by=curator, source="feed.json")
    assert AuditEntry.objects.filter(owner=organisation).count() == 1


def test_given_a_new_service_when_imported_then_its_first_version_is_what_service_snapshot_reads(places, postcodes):
    run_import([full_service(1)])
    service = Service.objects.get()
    snapshot = json.loads(json.dumps(service.versions.get().snapshot))
    assert snapshot == json.loads(json.dumps(service_snapshot(service), default=str))


def search_rows() -> list[tuple]:
    """Every search row and point, compared as sets of words and tokens (their order is not kept)."""
    rows = []
    for document in ServiceSearchDocument.objects.order_by("service_id"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT text_vector::text FROM directory_servicesearchdocument WHERE service_id = %s"
                           if connection.vendor == "postgresql" else
                           "SELECT text FROM directory_servicesearchdocument WHERE service_id = %s", [document.pk])
            text = cursor.fetchone()[0]
        rows.append((
            document.pk, frozenset(text.replace("'", " ").split()), document.name, document.last_checked_at,
            document.has_drop_in, *(frozenset(getattr(document, column).split()) for column in FACET_COLUMNS),
        ))
    points = sorted(ServiceSearchPoint.objects.values_list("service_id", "latitude", "longitude"))
    return [rows, points]


def test_given_new_and_changed_services_when_imported_then_their_search_rows_are_what_a_refresh_writes(
    places, postcodes
):
    run_import([full_service(1), full_service(2)])
    run_import([full_service(1, name="Renamed service"), full_service(3)])
    imported = search_rows()
    assert len(imported[0]) == 3 and imported[1]
    search_documents_refresh_many(service_ids=Service.objects.values_list("pk", flat=True))
    assert search_rows() == imported


def test_given_the_same_feed_twice_when_imported_then_nothing_is_duplicated_or_versioned_again(places, postcodes):
    run_import([full_service(1), full_service(2)])
    again = run_import([full_service(1), full_service(2)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Service.objects.count() == 2 and Organisation.objects.filter(uuid=NEW_ORGANISATION_ID).count() == 1
    assert Location.objects.count() == 2 and Schedule.objects.count() == 4
    assert ServiceVersion.objects.count() == 2


def test_given_a_changed_record_when_reimported_then_it_is_updated_with_a_version_saying_what_changed(
    places, postcodes
):
    run_import([full_service(1)])
    changed = full_service(1, name="Renamed service", schedules=[{
        "id": full_service(1)["schedules"][0]["id"], "byday": "FR", "opens_at": "09:00", "closes_at": "11:00",
        "description": "By appointment",
    }])
    result = run_import([changed])
    assert (result.created, result.updated) == (0, 1)
    service = Service.objects.get()
    assert service.name == "Renamed service"
    assert list(service.schedules.values_list("weekday", "attendance")) == [("FR", Attendance.APPOINTMENT)]
    latest = service.versions.first()
    assert latest.number == 2
    assert latest.changes["name"] == ["Imported service 1", "Renamed service"]
    assert "schedules" in latest.changes


def test_given_only_a_newer_assured_date_when_reimported_then_only_freshness_changes(places, postcodes):
    run_import([full_service(1)])
    result = run_import([full_service(1, assured_date="2025-06-01")])
    assert result.updated == 1
    service = Service.objects.get()
    assert timezone.localtime(service.last_checked_at).date().isoformat() == "2025-06-01"
    assert service.versions.count() == 1


def test_given_an_existing_organisation_when_a_record_names_only_its_id_then_it_is_used(places, postcodes, provider):
    document = full_service(1, organisation_id=str(provider.uuid))
    del document["organization"]
    run_import([document])
    assert Service.objects.get().organisation == provider


def test_given_a_feed_with_problems_when_imported_then_nothing_is_saved_and_each_problem_is_named(
    places, postcodes
):
    good = full_service(1)
    unknown_term = spoiled(full_service(2), ["attributes", 0, "taxonomy_term_id"], "7b0c2b0e-0000-4000-8000-000000000000")
    unknown_term["attributes"][0]["taxonomy_term"] = {"id": "7b0c2b0e-0000-4000-8000-000000000000", "name": "Knitting", "description": ""}
    bad_postcode = spoiled(full_service(3), ["service_at_locations", 0, "location", "addresses", 0, "postal_code"], "NOT A CODE")
    bad_status = spoiled(full_service(4), ["status"], "open")
    organisations = Organisation.objects.count()

    with pytest.raises(FeedRefused) as refused:
        run_import([good, unknown_term, bad_postcode, bad_status])

    assert Service.objects.count() == 0 and Location.objects.count() == 0
    assert Organisation.objects.count() == organisations
    assert not AuditEntry.objects.filter(changes__has_key="services added").exists()
    assert refused.value.count == 3 and refused.value.records == 4
    lines = [str(problem) for problem in refused.value.problems]
    assert lines[0] == (f"Record 2 (id {full_service(2)['id']}, “Imported service 2”): $.attributes[0].taxonomy_term_id: "
                        "'Knitting' is not a taxonomy term Pathways knows (see /taxonomy_terms)")
    assert lines[1].startswith("Record 3 (") and lines[1].endswith(
        "$.service_at_locations[0].location.addresses[0].postal_code: 'NOT A CODE' is not a UK postcode")
    assert lines[2].endswith("$.status: 'open' is not one of 'active', 'inactive', 'defunct', 'temporarily closed'")


@pytest.mark.parametrize("path, value, field, message", [
    (["id"], "42", "$.id", "'42' is not a valid uuid"),
    (["name"], None, "$.name", "is required"),
    (["email"], "not-an-email", "$.email", "is not a valid email"),
    (["url"], "feed.example.org", "$.url", "is not a web address"),
    (["assured_date"], "15/01/2025", "$.assured_date", "is not a date such as 2025-03-31"),
    (["minimum_age"], 12.5, "$.minimum_age", "is not an age in whole years"),
    (["maximum_age"], 10, "$.minimum_age", "must not be more than the maximum age"),
    (["schedules", 0, "byday"], "Mondays", "$.schedules[0].byday", "MONDAYS is not a day"),
    (["schedules", 0, "closes_at"], "09:00", "$.schedules[0].closes_at", "must be later than opens_at"),
    (["schedules", 0, "opens_at"], "ten", "$.schedules[0].opens_at", "'ten' is not a time"),
    (["schedules", 0, "freq"], "MONTHLY", "$.schedules[0].freq", "weekly times only"),
    (["service_areas", 0, "name"], "Atlantis", "$.service_areas[0].name", "'Atlantis' is not an area"),
    (["service_at_locations", 0, "location", "latitude"], 123.0, "$.service_at_locations[0].location.latitude", "from -90 to 90"),
    (["name"], "x" * 201, "$.name", "the most Pathways keeps is 200"),
])
def test_given_one_wrong_field_when_imported_then_the_problem_names_record_field_and_reason(
    places, postcodes, path, value, field, message
):
    document = spoiled(full_service(1), path, remove=True) if value is None else spoiled(full_service(1), path, value)
    with pytest.raises(FeedRefused) as refused:
        run_import([document])
    problem = refused.value.problems[0]
    assert (problem.index, problem.path) == (1, field)
    assert message in problem.message
    assert Service.objects.count() == 0


def test_given_the_same_id_twice_when_imported_then_the_feed_is_refused(places, postcodes):
    with pytest.raises(FeedRefused) as refused:
        run_import([full_service(1), full_service(1, name="Again")])
    assert [(p.index, p.path, p.message) for p in refused.value.problems] == [(2, "$.id", "appears more than once in this feed")]


def test_given_an_unknown_organisation_without_its_details_when_imported_then_refused(places, postcodes):
    document = full_service(1)
    del document["organization"]
    with pytest.raises(FeedRefused) as refused:
        run_import([document])
    assert refused.value.problems[0].path == "$.organization_id"
    assert "not an organisation Pathways knows" in refused.value.problems[0].message


def test_given_a_person_who_is_not_a_curator_when_importing_then_refused(places, worker):
    with pytest.raises(PermissionDenied):
        oruk_import(documents=[full_service(1)], by=worker, source="test")


def test_given_a_curator_when_importing_then_the_records_say_who_imported_them(places, postcodes, curator):
    oruk_import(documents=[full_service(1)], by=curator, source="test", publish=False)
    service = Service.objects.get()
    assert service.last_checked_by == curator and service.publication == Publication.DRAFT
    assert service.versions.get().created_by == curator


# Files and the command ----------------------------------------------------------------------------

def test_given_a_page_object_or_a_single_service_when_read_then_its_services_are_streamed(tmp_path, places):
    page = write_json(tmp_path / "page.json", {"total_items": 2, "contents": [full_service(1), full_service(2)]})
    single = write_json(tmp_path / "one.json", full_service(3))
    assert [d["name"] for d in json_documents(page)] == ["Imported service 1", "Imported service 2"]
    assert [d["name"] for d in json_documents(single)] == ["Imported service 3"]


def test_given_broken_json_when_imported_then_a_clear_error_and_nothing_saved(tmp_path, places, postcodes):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps([full_service(1)])[:-40], encoding="utf-8")
    with pytest.raises(DomainError, match="broken.json is not valid JSON after record 0"):
        with documents_at(path) as documents:
            run_import(documents)
    assert Service.objects.count() == 0


def test_given_the_command_and_a_valid_file_when_run_then_it_imports_and_says_so(tmp_path, places, postcodes):
    path = write_json(tmp_path / "feed.json", [full_service(1), full_service(2)])
    out = StringIO()
    call_command("import_oruk", path, stdout=out)
    assert "2 services read: 2 added, 0 changed, 0 unchanged; 1 organisations added." in out.getvalue()
    assert Service.objects.count() == 2


def test_given_the_command_and_a_bad_record_when_run_then_it_fails_listing_every_problem(tmp_path, places, postcodes):
    path = write_json(tmp_path / "feed.json", [
        full_service(1), spoiled(full_service(2), ["email"], "nope"), spoiled(full_service(3), ["status"], "open"),
    ])
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems in 3 records. Nothing was saved."):
        call_command("import_oruk", path, stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Record 2 (id ") and "$.email: 'nope' is not a valid email" in lines[0]
    assert lines[1].startswith("Record 3 (id ") and "$.status" in lines[1]
    assert Service.objects.count() == 0


def test_given_the_command_when_run_as_a_process_then_a_refused_feed_exits_non_zero(tmp_path, places):
    import os
    import subprocess
    import sys

    path = write_json(tmp_path / "feed.json", [spoiled(full_service(1), ["status"], "open")])
    # A throwaway SQLite database: the process cannot see this test's transaction.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "-m", "pathways.cli", "migrate", "-v0"], env=env, check=True)
    completed = subprocess.run([sys.executable, "-m", "pathways.cli", "import_oruk", path], env=env,
                               capture_output=True, text=True)
    assert completed.returncode != 0
    assert "$.status" in completed.stderr and "Nothing was saved" in completed.stderr


def test_given_a_stale_feed_date_when_imported_then_freshness_follows_the_feed(places, postcodes):
    run_import([full_service(1, assured_date="2020-02-02")])
    service = Service.objects.get()
    assert service.last_checked_at == timezone.make_aware(datetime(2020, 2, 2))
    assert service.is_stale


def test_given_a_large_feed_reimported_then_the_comparison_costs_the_same_queries_whatever_its_size(
    places, postcodes, django_assert_max_num_queries
):
    small = [full_service(n) for n in range(1, 4)]
    large = [full_service(n) for n in range(1, 31)]
    run_import(small)
    with django_assert_max_num_queries(30) as few:
        run_import(small)
    run_import(large)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = run_import(large)
    assert result.unchanged == 30


def test_given_checking_alongside_writing_when_a_late_record_is_wrong_then_what_was_written_is_undone(
    places, postcodes, monkeypatch
):
    monkeypatch.setattr("pathways.directory.oruk.importing.BATCH", 2)
    feed = [full_service(n) for n in range(1, 6)]
    feed[3] = spoiled(feed[3], ["status"], "open")
    with pytest.raises(FeedRefused) as refused:
        run_import(feed, parallel=True)
    assert [(p.index, p.path) for p in refused.value.problems] == [(4, "$.status")]
    assert Service.objects.count() == 0 and Location.objects.count() == 0 and ServiceVersion.objects.count() == 0


def test_given_checking_alongside_writing_when_the_feed_is_good_then_the_same_as_checking_first(
    places, postcodes, monkeypatch
):
    monkeypatch.setattr("pathways.directory.oruk.importing.BATCH", 2)
    result = run_import([full_service(n) for n in range(1, 6)], parallel=True)
    assert (result.records, result.created) == (5, 5)
    assert ServiceVersion.objects.count() == 5 and ServiceSearchDocument.objects.count() == 5
    again = run_import([full_service(n) for n in range(1, 6)], parallel=True)
    assert again.unchanged == 5


def test_given_checking_alongside_writing_when_the_file_breaks_then_nothing_is_saved(tmp_path, places, postcodes):
    path = tmp_path / "broken.json"
    text = json.dumps([full_service(n) for n in range(1, 4)])
    path.write_text(text[: len(text) - 100], encoding="utf-8")
    with pytest.raises(DomainError, match="is not valid JSON after record 2"):
        with documents_at(path) as documents:
            run_import(documents, parallel=True)
    assert Service.objects.count() == 0


def test_given_an_organisation_described_earlier_in_the_feed_when_a_later_record_names_only_its_id_then_it_is_used(
    places, postcodes
):
    second = full_service(2)
    del second["organization"]
    run_import([full_service(1), second])
    assert Service.objects.filter(organisation__uuid=NEW_ORGANISATION_ID).count() == 2
