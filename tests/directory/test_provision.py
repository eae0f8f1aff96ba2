"""The provision map's figures: pathways by area, counted in the database, with freshness and gaps."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from pathways.directory.models import Service, ServiceStatus
from pathways.directory.selectors.provision import (
    COVERED,
    GAP,
    STALE,
    provision_figures,
    provision_map,
    provision_services,
)
from pathways.directory.services.records import service_withdraw
from pathways.organisations.models import Place, PlaceKind
from pathways.taxonomy.models import Term
from tests.factories import OrganisationFactory, directory_service

pytestmark = pytest.mark.django_db

ACCOMMODATION = "pathway-accommodation"
HEALTH = "pathway-health"


def make_places() -> SimpleNamespace:
    """A small region: two probation areas, three local authorities, one delivery unit and a prison."""
    region = Place.objects.create(kind=PlaceKind.REGION, name="Yorkshire and the Humber")
    west = Place.objects.create(kind=PlaceKind.PROBATION_REGION, name="West Yorkshire", parent=region)
    south = Place.objects.create(kind=PlaceKind.PROBATION_REGION, name="South Yorkshire", parent=region)
    return SimpleNamespace(
        region=region, west=west, south=south,
        leeds=Place.objects.create(kind=PlaceKind.LOCAL_AUTHORITY, name="Leeds", code="E08000035", parent=west),
        bradford=Place.objects.create(kind=PlaceKind.LOCAL_AUTHORITY, name="Bradford", parent=west),
        sheffield=Place.objects.create(kind=PlaceKind.LOCAL_AUTHORITY, name="Sheffield", parent=south),
        leeds_pdu=Place.objects.create(kind=PlaceKind.DELIVERY_UNIT, name="Leeds", parent=west),
        hmp_leeds=Place.objects.create(kind=PlaceKind.PRISON, name="HMP Leeds", parent=west),
    )


def make_stale(service: Service) -> None:
    Service.objects.filter(pk=service.pk).update(last_checked_at=timezone.now() - timedelta(days=400))


@pytest.fixture
def places():
    return make_places()


@pytest.fixture
def provider():
    return OrganisationFactory(name="Aire Housing")


def cell(provision, pathway_code: str, area: Place):
    return next(c for c in provision.cells if c.pathway.code == pathway_code and c.area.pk == area.pk)


def row(provision, pathway_code: str):
    return next(r for r in provision.rows if r.pathway.code == pathway_code)


class TestCounting:
    def test_given_a_service_in_leeds_then_it_counts_for_leeds_and_for_west_yorkshire(self, places, provider):
        directory_service(provider, terms=[ACCOMMODATION], areas=[places.leeds])

        by_authority = provision_map(level=PlaceKind.LOCAL_AUTHORITY)
        by_area = provision_map(level=PlaceKind.PROBATION_REGION)
        by_region = provision_map(level=PlaceKind.REGION)

        assert cell(by_authority, ACCOMMODATION, places.leeds).services == 1
        assert cell(by_authority, ACCOMMODATION, places.bradford).services == 0
        assert cell(by_area, ACCOMMODATION, places.west).services == 1
        assert cell(by_area, ACCOMMODATION, places.south).services == 0
        assert cell(by_region, ACCOMMODATION, places.region).services == 1

    def test_given_a_service_in_two_places_of_one_area_then_the_area_counts_it_once(self, places, provider):
        directory_service(provider, terms=[ACCOMMODATION], areas=[places.leeds, places.bradford])

        provision = provision_map(level=PlaceKind.PROBATION_REGION)

        assert cell(provision, ACCOMMODATION, places.west).services == 1
        assert row(provision, ACCOMMODATION).total.services == 1

    def test_given_a_service_for_the_whole_region_then_it_counts_for_the_region_only(self, places, provider):
        directory_service(provider, terms=[ACCOMMODATION], areas=[places.region])

        assert cell(provision_map(level=PlaceKind.REGION), ACCOMMODATION, places.region).services == 1
        assert cell(provision_map(level=PlaceKind.PROBATION_REGION), ACCOMMODATION, places.west).services == 0

    def test_given_a_service_on_two_pathways_then_it_counts_in_each_row_and_once_in_the_totals(
        self, places, provider
    ):
        directory_service(provider, terms=[ACCOMMODATION, HEALTH, "category-housing"], areas=[places.leeds])
        directory_service(provider, name="Clinic", terms=[HEALTH], areas=[places.sheffield])

        provision = provision_map(level=PlaceKind.PROBATION_REGION)

        assert cell(provision, ACCOMMODATION, places.west).services == 1
        assert cell(provision, HEALTH, places.west).services == 1
        assert row(provision, HEALTH).total.services == 2
        assert [t.services for t in provision.area_totals] == [1, 1]  # South, West by name
        assert provision.total.services == 2

    def test_the_rows_are_the_current_pathways_in_their_order_and_the_columns_the_current_areas_by_name(
        self, places
    ):
        Place.objects.filter(pk=places.bradford.pk).update(retired_at=timezone.now())
        Term.objects.filter(code=HEALTH).update(retired_at=timezone.now())

        provision = provision_map(level=PlaceKind.LOCAL_AUTHORITY)

        assert [area.name for area in provision.areas] == ["Leeds", "Sheffield"]
        codes = [r.pathway.code for r in provision.rows]
        assert codes[0] == ACCOMMODATION and HEALTH not in codes
        assert all(code.startswith("pathway-") for code in codes)

    def test_given_an_area_to_look_inside_then_only_its_areas_are_columns(self, places, provider):
        directory_service(provider, terms=[ACCOMMODATION], areas=[places.leeds])
        directory_service(provider, name="Sheffield beds", terms=[ACCOMMODATION], areas=[places.sheffield])

        provision = provision_map(level=PlaceKind.LOCAL_AUTHORITY, within=places.south)

        assert [area.name for area in provision.areas] == ["Sheffield"]
        assert row(provision, ACCOMMODATION).total.services == 1

    def test_delivery_units_and_prisons_are_levels_of_their_own(self, places, provider):
        directory_service(provider, terms=[ACCOMMODATION], areas=[places.hmp_leeds])

        assert cell(provision_map(level=PlaceKind.PRISON), ACCOMMODATION, places.hmp_leeds).services == 1
        assert cell(provision_map(level=PlaceKind.DELIVERY_UNIT), ACCOMMODATION, places.leeds_pdu).services == 0
        assert cell(provision_map(level=PlaceKind.PROBATION_REGION), ACCOMMODATION, places.west).services == 1


class TestOnlyPublishedRunningServicesCount:
    def test_given_drafts_withdrawn_and_stopped_services_then_none_of_them_count(
        self, places, provider, curator
    ):
        directory_service(provider, name="Draft", publish=False, terms=[ACCOMMODATION], areas=[places.leeds])
        withdrawn = directory_service(provider, name="Withdrawn", terms=[ACCOMMODATION], areas=[places.leeds])
        service_withdraw(service=withdrawn, by=curator)
        directory_service(
            provider, name="Closed", status=ServiceStatus.DEFUNCT, terms=[ACCOMMODATION], areas=[places.leeds]
        )
        directory_service(
            provider, name="Paused", status=ServiceStatus.TEMPORARILY_CLOSED, terms=[ACCOMMODATION],
            areas=[places.leeds],
        )

        provision = provision_map(level=PlaceKind.LOCAL_AUTHORITY)

        assert cell(provision, ACCOMMODATION, places.leeds).services == 1
        leeds = provision_services(pathway=Term.objects.get(code=ACCOMMODATION), area=places.leeds)
        assert [s.name for s in leeds] == ["Paused"]


class TestFreshnessAndGaps:
    def test_given_fresh_and_stale_services_then_the_cell_says_how_many_were_checked(self, places, provider):
        directory_service(provider, name="Fresh", terms=[ACCOMMODATION], areas=[places.leeds])
        make_stale(directory_service(provider, name="Old", terms=[ACCOMMODATION], areas=[places.leeds]))

        leeds = cell(provision_map(level=PlaceKind.LOCAL_AUTHORITY), ACCOMMODATION, places.leeds)

        assert (leeds.services, leeds.fresh, leeds.stale, leeds.fresh_percent) == (2, 1, 1, 50)
        assert leeds.status == COVERED and not leeds.is_gap

    def test_given_only_stale_services_then_the_cell_is_a_gap_of_stale_records(self, places, provider):
        make_stale(directory_service(provider, terms=[ACCOMMODATION], areas=[places.leeds]))
        never = directory_service(provider, name="Never checked", terms=[ACCOMMODATION], areas=[places.leeds])
        Service.objects.filter(pk=never.pk).update(last_checked_at=None)

        leeds = cell(provision_map(level=PlaceKind.LOCAL_AUTHORITY), ACCOMMODATION, places.leeds)

        assert (leeds.services, leeds.fresh) == (2, 0)
        assert leeds.status == STALE and leeds.is_gap
        assert leeds.status_label == "Gap: no record checked in the last 12 months"

    def test_given_no_services_then_the_cell_is_a_gap(self, places):
        provision = provision_map(level=PlaceKind.LOCAL_AUTHORITY)

        bradford = cell(provision, ACCOMMODATION, places.bradford)

        assert bradford.status == GAP and bradford.fresh_percent is None
        assert bradford.status_label == "Gap: no services"
        assert provision.gap_count == len(provision.cells)

    def test_the_figures_of_a_list_of_services_match_the_cell(self, places, provider):
        directory_service(provider, name="Fresh", terms=[ACCOMMODATION], areas=[places.leeds, places.bradford])
        make_stale(directory_service(provider, name="Old", terms=[ACCOMMODATION], areas=[places.bradford]))

        services = provision_services(pathway=Term.objects.get(code=ACCOMMODATION), area=places.west)

        assert [s.name for s in services] == ["Fresh", "Old"]
        west = cell(provision_map(level=PlaceKind.PROBATION_REGION), ACCOMMODATION, places.west)
        figures = provision_figures(services=services)
        assert (figures.services, figures.fresh) == (west.services, west.fresh) == (2, 1)


class TestEfficiency:
    @pytest.mark.parametrize("level", [PlaceKind.LOCAL_AUTHORITY, PlaceKind.PROBATION_REGION])
    def test_the_map_takes_the_same_few_queries_however_many_services_and_areas(
        self, places, provider, level, django_assert_max_num_queries
    ):
        for n in range(12):
            area = [places.leeds, places.bradford, places.sheffield][n % 3]
            directory_service(provider, name=f"Service {n}", terms=[ACCOMMODATION, HEALTH], areas=[area])
        for n in range(10):
            Place.objects.create(kind=PlaceKind.LOCAL_AUTHORITY, name=f"Town {n}", parent=places.south)

        with django_assert_max_num_queries(6):
            provision = provision_map(level=level)
            assert provision.total.services == 12
            assert len(provision.cells) == len(provision.rows) * len(provision.areas)
