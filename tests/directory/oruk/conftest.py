"""A small published directory, a draft, and checks of responses against the ORUK schemas (offline)."""

from datetime import time

import pytest

from pathways.directory.models import Attendance, Contact, PostcodeArea, Schedule
from pathways.directory.oruk import validation
from pathways.organisations.models import PlaceKind
from tests.factories import LocationFactory, OrganisationFactory, PlaceFactory, directory_service

API = "/api/openreferral/v3"


def assert_valid(schema_name: str, data) -> None:
    """``data`` satisfies the named compiled schema, checked with jsonschema and the local registry."""
    problems = validation.problems(validation.validator(schema_name), data)
    assert not problems, problems


def assert_valid_response(path: str, data) -> None:
    """``data`` satisfies what openapi.json says GET ``path`` answers ('/services/{id}')."""
    problems = validation.problems(validation.operation_validator(path), data)
    assert not problems, problems


@pytest.fixture
def places(db):
    return {
        "leeds": PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Leeds", code="E08000035"),
        "bradford": PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Bradford", code="E08000032"),
        "hmp_leeds": PlaceFactory(kind=PlaceKind.PRISON, name="HMP Leeds", code="LEI"),
    }


@pytest.fixture
def postcodes(db):
    """Known centres (the bundled districts are loaded by a migration; these values are the tests' own)."""
    for code, latitude, longitude in [("LS1", 53.7965, -1.5478), ("LS6", 53.8198, -1.5760),
                                      ("BD1", 53.7940, -1.7520), ("HU1", 53.7440, -0.3330)]:
        PostcodeArea.objects.update_or_create(code=code, defaults={"latitude": latitude, "longitude": longitude})


@pytest.fixture
def provider(db):
    return OrganisationFactory(name="Aire Housing Trust", slug="aire-housing-trust", description="Homes and advice.",
                               website="https://aire.example.org", email="hello@aire.example.org")


@pytest.fixture
def housing(provider, places):
    """A published drop-in in Leeds with a contact, terms and features."""
    centre = LocationFactory(organisation=provider, name="Aire Centre", address_1="1 Park Row", city="Leeds",
                             region="West Yorkshire", postcode="LS1 5AB", latitude=53.7974, longitude=-1.5438,
                             accessibility="Step-free entrance")
    service = directory_service(
        provider, name="Housing advice drop-in", description="Help to find somewhere to live after prison.",
        terms=["pathway-accommodation", "category-housing"], areas=[places["leeds"]], locations=[centre],
        drop_in=("TU", time(10), time(12)), minimum_age=18, maximum_age=65, self_referral=True, in_community=True,
        languages=["English", "Urdu"], email="advice@aire.example.org", url="https://aire.example.org/advice",
        phone="0113 496 0000", eligibility="Anyone leaving prison.", typical_wait_days=7,
    )
    Schedule.objects.create(service=service, attendance=Attendance.APPOINTMENT, weekday="TH",
                            opens_at=time(14), closes_at=time(16))
    Contact.objects.create(service=service, name="Sam Adviser", title="Housing adviser",
                           email="sam@aire.example.org", phone="0113 496 0001")
    return service


@pytest.fixture
def employment(places):
    """A published service in Bradford, for people in custody, with a charge."""
    organisation = OrganisationFactory(name="Bradford Works", slug="bradford-works")
    office = LocationFactory(organisation=organisation, name="Works Office", address_1="3 Bank St", city="Bradford",
                             postcode="BD1 1AA", latitude=53.7940, longitude=-1.7520)
    return directory_service(
        organisation, name="Employment skills", description="Training towards work.",
        terms=["pathway-ete"], areas=[places["bradford"]], locations=[office], in_custody=True,
        is_free=False, fees="£5 a session", minimum_age=21, drop_in=("MO", time(9), time(17)),
    )


@pytest.fixture
def draft(provider):
    return directory_service(provider, name="Secret pilot", description="Not yet public housing help.",
                             terms=["pathway-accommodation"], publish=False)
