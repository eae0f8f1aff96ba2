"""Exporting as Open Referral UK: published services only, valid against the schema, and read back
by import_oruk as the same records (JSON and CSV tables)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from pathways.audit.models import AuditEntry
from pathways.directory.models import Location, Service, ServiceVersion
from pathways.directory.oruk import serialise, validation
from pathways.directory.oruk.exporting import oruk_export
from pathways.directory.oruk.importing import FeedRefused, oruk_import
from pathways.directory.oruk.selectors import published_services, with_everything
from pathways.directory.oruk.sources import documents_at
from pathways.directory.oruk.tables import TABLES

from .conftest import assert_valid


def api_view_of_everything() -> list[dict]:
    """Every published service as the API shows it, without the time it was last changed."""
    documents = [serialise.service_full(s) for s in with_everything(published_services()).order_by("uuid")]
    for document in documents:
        document.pop("last_modified")
    return documents


def remove_all_services():
    ServiceVersion.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()


def test_given_published_and_draft_services_when_exported_then_a_valid_list_of_published_ones(
    tmp_path, housing, employment, draft
):
    path = tmp_path / "directory.json"
    out = StringIO()
    call_command("export_oruk", str(path), stdout=out)
    assert "Wrote 2 published services" in out.getvalue()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(item["name"] for item in data) == ["Employment skills", "Housing advice drop-in"]
    assert not validation.problems(validation.validator("service_package"), data)
    for item in data:
        assert_valid("service", item)
    assert AuditEntry.objects.filter(action="exported", changes__has_key="services").exists()


def test_given_an_export_when_imported_into_the_same_directory_then_nothing_changes(tmp_path, housing, employment):
    path = tmp_path / "directory.json"
    oruk_export(path=path)
    before = api_view_of_everything()
    with documents_at(path) as documents:
        result = oruk_import(documents=documents, by=None, source=str(path))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert api_view_of_everything() == before


@pytest.mark.parametrize("as_tables", [False, True], ids=["json", "csv"])
def test_given_an_export_when_imported_into_an_empty_directory_then_the_same_services_come_back(
    tmp_path, housing, employment, as_tables
):
    path = tmp_path / ("tables" if as_tables else "directory.json")
    oruk_export(path=path, as_tables=as_tables)
    before = api_view_of_everything()
    remove_all_services()

    with documents_at(path) as documents:
        result = oruk_import(documents=documents, by=None, source=str(path))

    assert result.created == 2
    after = api_view_of_everything()
    for document in before + after:
        document.pop("assured_date")  # an imported record is checked on the date, not at the minute
    assert after == before


def test_given_a_csv_export_then_every_profile_table_is_there_with_its_header(tmp_path, housing):
    folder = tmp_path / "tables"
    call_command("export_oruk", str(folder), "--csv", stdout=StringIO())
    for main, _others, columns in TABLES.values():
        header = (folder / main).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == columns
    services = (folder / "services.csv").read_text(encoding="utf-8").splitlines()
    assert len(services) == 2 and "Housing advice drop-in" in services[1]


def test_given_a_csv_folder_with_a_bad_cell_when_imported_then_the_problem_names_record_and_field(
    tmp_path, housing
):
    folder = tmp_path / "tables"
    oruk_export(path=folder, as_tables=True)
    schedules = folder / "schedule.csv"
    schedules.write_text(schedules.read_text(encoding="utf-8").replace("TU", "XX"), encoding="utf-8")
    remove_all_services()
    with pytest.raises(FeedRefused) as refused:
        with documents_at(folder) as documents:
            oruk_import(documents=documents, by=None, source=str(folder))
    problem = refused.value.problems[0]
    assert problem.index == 1 and problem.record_name == "Housing advice drop-in"
    assert problem.path.startswith("$.schedules[") and problem.path.endswith("].byday")
    assert Service.objects.count() == 0


def test_given_singular_table_names_when_imported_then_they_are_read_too(tmp_path, housing):
    folder = tmp_path / "tables"
    oruk_export(path=folder, as_tables=True)
    (folder / "services.csv").rename(folder / "service.csv")
    (folder / "schedule.csv").rename(folder / "schedules.csv")
    remove_all_services()
    with documents_at(folder) as documents:
        result = oruk_import(documents=documents, by=None, source=str(folder))
    assert result.created == 1
    assert Service.objects.get().schedules.count() == 2
