"""The provision map's pages: public, chart and table, the services behind a figure, CSV and XLSX."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from pathways.directory.models import Service
from pathways.organisations.models import PlaceKind
from tests.factories import OrganisationFactory, directory_service

from .test_provision import ACCOMMODATION, make_places, make_stale

pytestmark = pytest.mark.django_db

MAP = reverse("directory:provision")
SERVICES = reverse("directory:provision-services")
CSV = reverse("directory:provision-csv")
XLSX = reverse("directory:provision-xlsx")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def places():
    return make_places()


@pytest.fixture
def directory(places):
    """Two published services in Leeds (one stale), one in Sheffield, and a draft in Bradford."""
    provider = OrganisationFactory(name="Aire Housing")
    directory_service(provider, name="Leeds Beds", terms=[ACCOMMODATION], areas=[places.leeds])
    make_stale(directory_service(provider, name="Old Leeds Lodgings", terms=[ACCOMMODATION], areas=[places.leeds]))
    directory_service(provider, name="Sheffield Rooms", terms=[ACCOMMODATION], areas=[places.sheffield])
    directory_service(provider, name="Secret Draft", publish=False, terms=[ACCOMMODATION], areas=[places.bradford])
    return places


class TestMapPage:
    def test_given_anyone_then_the_map_shows_the_chart_and_the_table_of_the_same_figures(self, client, directory):
        response = client.get(MAP, {"level": PlaceKind.LOCAL_AUTHORITY})

        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="img"' in html and 'aria-labelledby="provision-chart-title provision-chart-desc"' in html
        assert "Services for each pathway in each local authority area" in html
        assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Leeds</th>' in html
        leeds = response.context["provision"].cells[0]
        assert (leeds.area.name, leeds.services, leeds.fresh) == ("Bradford", 0, 0)
        assert "Gap<span class=\"govuk-visually-hidden\">: no services</span>" in html
        assert "Secret Draft" not in html

    def test_each_figure_links_to_the_services_behind_it(self, client, directory):
        response = client.get(MAP, {"level": PlaceKind.LOCAL_AUTHORITY})

        link = (
            f'{SERVICES}?pathway={ACCOMMODATION}&amp;area={directory.leeds.pk}&amp;level=local_authority">2'
            '<span class="govuk-visually-hidden"> services for accommodation in Leeds</span>'
        )
        assert link in response.content.decode()

    def test_given_no_choice_then_it_compares_probation_areas(self, client, directory):
        response = client.get(MAP)

        assert [a.name for a in response.context["provision"].areas] == ["South Yorkshire", "West Yorkshire"]
        assert '<option value="probation_region" selected>' in response.content.decode()

    def test_the_map_is_kept_for_a_while_and_made_again_as_soon_as_a_service_changes(
        self, client, directory, django_assert_max_num_queries
    ):
        query = {"level": PlaceKind.LOCAL_AUTHORITY}
        assert client.get(MAP, query).context["provision"].total.services == 3
        with django_assert_max_num_queries(4):  # the fingerprint, and the areas to choose from
            assert client.get(MAP, query).context["provision"].total.services == 3

        directory_service(name="Bradford Beds", terms=[ACCOMMODATION], areas=[directory.bradford])

        assert client.get(MAP, query).context["provision"].total.services == 4
        make_stale(Service.objects.get(name="Bradford Beds"))
        bradford = client.get(MAP, query).context["provision"].rows[0].cells[0]
        assert (bradford.area.name, bradford.services, bradford.fresh) == ("Bradford", 1, 0)

    def test_the_page_takes_a_few_queries_however_many_areas(self, client, directory, django_assert_max_num_queries):
        with django_assert_max_num_queries(10):
            assert client.get(MAP, {"level": PlaceKind.LOCAL_AUTHORITY}).status_code == 200

    def test_given_an_area_to_look_inside_then_only_areas_inside_it_are_shown(self, client, directory):
        response = client.get(MAP, {"level": PlaceKind.LOCAL_AUTHORITY, "within": directory.west.pk})

        assert [a.name for a in response.context["provision"].areas] == ["Bradford", "Leeds"]
        assert f"level=local_authority&amp;within={directory.west.pk}" in response.content.decode()

    def test_given_choices_that_do_not_exist_then_it_says_so_and_shows_the_default_map(self, client, directory):
        response = client.get(MAP, {"level": "galaxy", "within": "999999"})

        assert response.status_code == 200
        html = response.content.decode()
        assert "Select a kind of area from the list" in html and "Select an area from the list" in html
        assert response.context["provision"].level == PlaceKind.PROBATION_REGION

    def test_given_a_level_with_no_areas_inside_the_chosen_one_then_it_says_so(self, client, directory):
        response = client.get(MAP, {"level": PlaceKind.PRISON, "within": directory.south.pk})

        assert "No areas to show" in response.content.decode()

    def test_a_signed_in_provider_sees_the_same_published_figures_as_anyone(self, client, directory, manager):
        client.force_login(manager)

        response = client.get(SERVICES, {"pathway": ACCOMMODATION, "area": directory.west.pk})

        assert "Secret Draft" not in response.content.decode()


class TestServicesBehindAFigure:
    def test_given_a_figure_then_its_published_services_are_listed_with_when_they_were_checked(
        self, client, directory
    ):
        response = client.get(SERVICES, {"pathway": ACCOMMODATION, "area": directory.west.pk})

        assert response.status_code == 200
        html = response.content.decode()
        assert [s.name for s in response.context["page"]] == ["Leeds Beds", "Old Leeds Lodgings"]
        assert "Not checked in the last 12 months" in html
        assert "1 of them was checked in the last 12 months" in html
        assert "Secret Draft" not in html

    def test_given_an_empty_figure_then_it_says_it_is_a_gap(self, client, directory):
        response = client.get(SERVICES, {"pathway": ACCOMMODATION, "area": directory.bradford.pk})

        assert "This is a gap" in response.content.decode()

    @pytest.mark.parametrize(
        "query",
        [
            {"pathway": "pathway-nothing", "area": "1"},
            {"pathway": "category-housing", "area": "1"},
            {"pathway": ACCOMMODATION, "area": "999999"},
            {"pathway": ACCOMMODATION, "area": "leeds"},
            {"pathway": ACCOMMODATION},
            {},
        ],
    )
    def test_given_a_pathway_or_area_that_does_not_exist_then_not_found(self, client, directory, query):
        assert client.get(SERVICES, query).status_code == 404


class TestDownloads:
    def test_the_csv_has_a_header_and_a_row_for_each_pathway_and_area(self, client, directory):
        response = client.get(CSV, {"level": PlaceKind.LOCAL_AUTHORITY})

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="provision-map-local-authority-')
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Pathway code", "Pathway", "Area id"]
        leeds = next(r for r in rows if r[0] == ACCOMMODATION and r[4] == "Leeds")
        assert leeds == [
            ACCOMMODATION, "Accommodation", str(directory.leeds.pk), "E08000035", "Leeds", "Local authority",
            "2", "1", "1", "No", "",
        ]
        bradford = next(r for r in rows if r[0] == ACCOMMODATION and r[4] == "Bradford")
        assert bradford[6:] == ["0", "0", "0", "Yes", "no services"]
        assert len(rows) == 1 + 9 * 3

    def test_the_xlsx_has_the_same_rows_and_says_what_it_shows(self, client, directory):
        response = client.get(XLSX, {"level": PlaceKind.PROBATION_REGION})

        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        workbook = load_workbook(io.BytesIO(response.content))
        sheet = workbook["Provision map"]
        assert sheet["A1"].value == "Pathway code" and sheet["A1"].font.bold
        assert sheet["G1"].value == "Services" and sheet["J1"].value == "Gap"
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert len(rows) == 9 * 2
        west = next(r for r in rows if r[0] == ACCOMMODATION and r[4] == "West Yorkshire")
        assert west[6:10] == (2, 1, 1, "No")
        south_health = next(r for r in rows if r[0] == "pathway-health" and r[4] == "South Yorkshire")
        assert south_health[6:10] == (0, 0, 0, "Yes")
        assert workbook["About"]["B2"].value == "Probation area or region"

    def test_a_name_that_looks_like_a_formula_is_written_as_text(self, client, directory):
        directory.leeds.name = "=HYPERLINK(\"http://example.org\")"
        directory.leeds.save()

        response = client.get(CSV, {"level": PlaceKind.LOCAL_AUTHORITY})

        assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
