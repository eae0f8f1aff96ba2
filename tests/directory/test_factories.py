from datetime import time

from pathways.directory.models import Publication, ServiceSearchDocument
from tests.factories import LocationFactory, OrganisationFactory, directory_service


def test_a_published_service_from_the_factory_is_in_search_with_its_places_and_drop_in(db):
    organisation = OrganisationFactory()
    centre = LocationFactory(organisation=organisation)
    service = directory_service(
        organisation, name="Housing advice", terms=["pathway-accommodation"], locations=[centre],
        drop_in=("MO", time(10), time(12)),
    )
    document = ServiceSearchDocument.objects.get(service=service)
    assert "Housing advice" in document.text and "LS1 1AA" in document.text
    assert f"term{service.terms.get().pk}" in document.facets.split()
    assert document.has_drop_in
    assert service.search_points.count() == 1


def test_a_draft_is_not_in_search(db):
    service = directory_service(publish=False)
    assert service.publication == Publication.DRAFT
    assert not ServiceSearchDocument.objects.filter(service=service).exists()
