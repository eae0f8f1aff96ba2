"""People and organisations of the bidders portal: a probation region that commissions, the neutral
bidding agency, a second buyer, and the places they work in."""

import pytest
from rest_framework.test import APIClient

from pathways.organisations.models import PlaceKind
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def region(db):
    return PlaceFactory(name="Yorkshire and the Humber", kind=PlaceKind.REGION)


@pytest.fixture
def leeds(region):
    return PlaceFactory(name="Leeds", kind=PlaceKind.LOCAL_AUTHORITY, parent=region)


@pytest.fixture
def hull(region):
    return PlaceFactory(name="Hull", kind=PlaceKind.LOCAL_AUTHORITY, parent=region)


@pytest.fixture
def probation(db):
    return OrganisationFactory(
        name="Yorkshire Probation", slug="yorkshire-probation", type=org_type("probation-region"),
        email="commissioning@probation.example",
    )


@pytest.fixture
def commissioner(probation):
    return member("commissioner", probation, email="commissioner@example.org", full_name="Cara Commissioner")


@pytest.fixture
def probation_worker(probation):
    """A member of the buyer whose role does not commission."""
    return member("front-line-worker", probation, email="probation.worker@example.org", full_name="Pat Worker")


@pytest.fixture
def prison(db):
    return OrganisationFactory(name="HMP Leeds", slug="hmp-leeds", type=org_type("prison"), email="hmp@example.org")


@pytest.fixture
def other_commissioner(prison):
    return member("commissioner", prison, email="prison.commissioner@example.org", full_name="Olu Prison")


@pytest.fixture
def agency(db):
    return OrganisationFactory(
        name="Ridings Bidding Agency", slug="ridings-agency", type=org_type("infrastructure-body"),
        email="agency@example.org", phone="0113 496 0001",
    )


@pytest.fixture
def agency_worker(agency):
    return member("partnership-development-worker", agency, email="pdw@example.org", full_name="Priya Partnership")


@pytest.fixture
def api():
    """A REST framework client, not signed in."""
    return APIClient()
