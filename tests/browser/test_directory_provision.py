"""The provision map in a real browser: choose the areas, read the chart and the table, drill down to the
services, and download the figures. Without JavaScript, as the map does not need it."""

from io import BytesIO

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.directory.test_provision import ACCOMMODATION, make_places, make_stale
from tests.factories import OrganisationFactory, directory_service


def _directory():
    places = make_places()
    provider = OrganisationFactory(name="Aire Housing")
    directory_service(provider, name="Leeds Beds", terms=[ACCOMMODATION], areas=[places.leeds])
    make_stale(directory_service(provider, name="Old Leeds Lodgings", terms=[ACCOMMODATION], areas=[places.leeds]))
    directory_service(provider, name="Sheffield Rooms", terms=["pathway-health"], areas=[places.sheffield])
    directory_service(provider, name="Secret Draft", publish=False, terms=[ACCOMMODATION], areas=[places.bradford])
    return places


def test_a_commissioner_reads_the_map_as_chart_and_table_and_drills_down_to_the_services(web_without_js):
    _directory()
    web = web_without_js
    web.goto("/directory/provision/")

    web.page.get_by_label("Areas to compare").select_option(label="Local authorities")
    web.page.get_by_label("Inside").select_option(label="West Yorkshire")
    web.page.get_by_role("button", name="Show the map").click()
    web.assert_accessible()

    chosen = "each pathway in each local authority area inside West Yorkshire"
    expect(web.page.get_by_role("img", name=f"Chart of services for {chosen}")).to_be_visible()
    table = web.page.get_by_role("table", name=f"Services for {chosen}")
    assert [h.strip() for h in table.locator("thead th").all_inner_texts()] == [
        "Pathway", "Bradford", "Leeds", "All these areas",
    ]
    accommodation = table.get_by_role("row").filter(
        has=web.page.get_by_role("rowheader", name="Accommodation", exact=True)
    )
    cells = accommodation.get_by_role("cell").all_inner_texts()
    assert cells[0].startswith("0") and "Gap" in cells[0]  # Bradford
    assert cells[1].split()[:3] == ["2", "services", "for"]  # Leeds, with the link's hidden words
    assert "Secret Draft" not in web.page.content()

    web.page.get_by_role("link", name="2 services for accommodation in Leeds").click()
    web.assert_accessible()
    assert web.page.get_by_role("heading", level=1).inner_text() == "Accommodation in Leeds"
    services = web.page.get_by_role("table").get_by_role("rowheader").all_inner_texts()
    assert [s.strip() for s in services] == ["Leeds Beds", "Old Leeds Lodgings"]
    expect(web.page.get_by_text("Not checked in the last 12 months")).to_be_visible()

    web.page.get_by_role("link", name="Leeds Beds").click()
    assert "Leeds Beds" in web.page.get_by_role("heading", level=1).inner_text()
    web.page.go_back()
    web.page.get_by_role("link", name="Back to the provision map").click()
    assert web.page.get_by_label("Areas to compare").input_value() == "local_authority"


def test_the_figures_download_as_a_spreadsheet(web):
    _directory()
    web.goto("/directory/provision/?level=probation_region")

    with web.page.expect_download() as download:
        web.page.get_by_role("link", name="Download these figures as an Excel spreadsheet (XLSX)").click()

    workbook = load_workbook(BytesIO(open(download.value.path(), "rb").read()))
    rows = list(workbook["Provision map"].iter_rows(values_only=True))
    west = next(r for r in rows if r[0] == ACCOMMODATION and r[4] == "West Yorkshire")
    assert west[6:10] == (2, 1, 1, "No")
