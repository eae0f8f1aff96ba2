"""A spreadsheet import in a real browser: a file with errors shows every problem by row and column; the
corrected file is uploaded, previewed, imported, and its services are in the directory. Upload and
preview work without JavaScript too."""

import pytest
from playwright.sync_api import expect

from pathways.directory.models import Service
from tests.directory.spreadsheets import csv_bytes, good_row
from tests.factories import PlaceFactory
from pathways.organisations.models import PlaceKind


@pytest.fixture(autouse=True)
def _setting(settings, tmp_path, charity):
    settings.MEDIA_ROOT = tmp_path
    PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Leeds")
    PlaceFactory(kind=PlaceKind.DELIVERY_UNIT, name="Leeds")
    PlaceFactory(kind=PlaceKind.PRISON, name="HMP Leeds")


ROWS_WITH_ERRORS = [
    good_row(external_id="AV-1", name="Housing advice drop-in"),
    good_row(external_id="AV-2", name="Money advice", postcode="LS99 XX", pathways="Money", location_name="Money hub"),
]
CORRECTED = [
    good_row(external_id="AV-1", name="Housing advice drop-in"),
    good_row(external_id="AV-2", name="Money advice", postcode="LS2 7HY", pathways="Finance, benefit and debt",
             location_name="Money hub", address="3 Park Row", publish="yes"),
]


def choose_file(page, label, rows, name="services.csv"):
    page.get_by_label(label).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": csv_bytes(rows)}]
    )


def upload_with_errors_then_corrected(web):
    page = web.page
    web.goto("/directory/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import services from a spreadsheet")
    expect(page.get_by_role("link", name="Download the Excel template (.xlsx)")).to_be_visible()
    choose_file(page, "Upload a spreadsheet", ROWS_WITH_ERRORS)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The file has 2 problems to correct")
    expect(summary.get_by_role("link", name="Row 3, Postcode: 'LS99 XX' is not a postcode")).to_be_visible()
    expect(summary.get_by_role("link", name="Row 3, Pathways: 'Money' is not a pathway. Use a name or code from "
                                            "the Lists sheet")).to_be_visible()
    problems = page.get_by_role("table", name="Problems to correct")
    expect(problems).to_contain_text("Postcode")
    expect(page.get_by_role("button", name="Import these services")).to_have_count(0)
    web.assert_accessible()

    choose_file(page, "Choose the corrected file", CORRECTED, name="services-corrected.csv")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your import")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("[data-count=new]")).to_have_text("2")
    expect(page.get_by_role("table", name="New services")).to_contain_text("Money advice")
    web.assert_accessible()


def test_a_curator_corrects_a_spreadsheet_imports_it_and_finds_the_services(web, curator):
    web.sign_in(curator)
    upload_with_errors_then_corrected(web)
    page = web.page

    page.get_by_role("button", name="Import these services").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-panel__title")).to_have_text("Import finished")
    expect(page.locator(".govuk-panel__body")).to_have_text("2 added, 0 updated, 0 unchanged")
    web.assert_accessible()
    assert Service.objects.filter(external_id__in=["AV-1", "AV-2"], publication="published").count() == 2

    page.get_by_role("link", name="Money advice").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Money advice")
    expect(page.get_by_text("Aire Valley Resettlement Trust").first).to_be_visible()
    web.assert_accessible()

    # The same file again changes nothing.
    web.goto("/directory/imports/")
    choose_file(page, "Upload a spreadsheet", CORRECTED)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    expect(page.locator("[data-count=unchanged]")).to_have_text("2")
    expect(page.get_by_text("Nothing to import: every service in the file is already in Pathways as it is.")).to_be_visible()


def test_a_manager_uploads_and_previews_without_javascript(web_without_js, manager):
    web_without_js.sign_in(manager)
    upload_with_errors_then_corrected(web_without_js)
    web_without_js.page.get_by_role("button", name="Import these services").click()
    web_without_js.page.wait_for_load_state()
    expect(web_without_js.page.locator(".govuk-panel__title")).to_have_text("Import finished")
    assert Service.objects.filter(organisation__slug="aire-valley").count() == 2
