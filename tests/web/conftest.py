import re

import pytest

from pathways.organisations.models import PlaceKind
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def west_yorkshire(db):
    region = PlaceFactory(kind=PlaceKind.REGION, name="Yorkshire and the Humber")
    return PlaceFactory(kind=PlaceKind.PROBATION_REGION, name="West Yorkshire", parent=region)


@pytest.fixture
def probation(west_yorkshire):
    organisation = OrganisationFactory(name="West Yorkshire Probation", type=org_type("probation-region"))
    organisation.areas.set([west_yorkshire])
    return organisation


@pytest.fixture
def commissioner(probation):
    return member("commissioner", probation, email="commissioner@example.org", full_name="Cai Commissioner")


@pytest.fixture
def volunteer(charity):
    return member("volunteer", charity, email="volunteer@example.org", full_name="Vic Volunteer")


@pytest.fixture
def development_worker(infrastructure_body):
    return member(
        "partnership-development-worker", infrastructure_body, email="pdw@example.org", full_name="Pat Partnership"
    )


@pytest.fixture
def evaluator(other_charity):
    return member("evaluator", other_charity, email="evaluator@example.org", full_name="Eve Evaluator")


def main_of(response) -> str:
    """The page's <main> element: what differs between pages, without the shell around it."""
    return re.search(r"<main\b.*?</main>", response.content.decode(), re.S).group(0)
