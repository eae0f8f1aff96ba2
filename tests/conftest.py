import pytest

from .factories import OrganisationFactory, member, org_type


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (the live server's among them) empty the database after each test;
    put back what the migrations seed: capabilities, organisation types, roles and taxonomy terms."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from pathways.organisations import seed as organisation_seed
    from pathways.taxonomy import seed as taxonomy_seed

    organisation_seed.load(apps)
    taxonomy_seed.load(apps)


@pytest.fixture
def charity(db):
    return OrganisationFactory(name="Aire Valley Resettlement Trust", slug="aire-valley")


@pytest.fixture
def other_charity(db):
    return OrganisationFactory(name="Calder Lantern Project", slug="calder-lantern")


@pytest.fixture
def infrastructure_body(db):
    return OrganisationFactory(name="Ridings Voluntary Action", slug="ridings-va", type=org_type("infrastructure-body"))


@pytest.fixture
def manager(charity):
    return member("manager", charity, email="manager@example.org", full_name="Morgan Manager")


@pytest.fixture
def worker(charity):
    return member("front-line-worker", charity, email="worker@example.org", full_name="Wren Worker")


@pytest.fixture
def other_manager(other_charity):
    return member("manager", other_charity, email="other.manager@example.org", full_name="Olu Other")


@pytest.fixture
def curator(infrastructure_body):
    return member("curator", infrastructure_body, email="curator@example.org", full_name="Cass Curator")
