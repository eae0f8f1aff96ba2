from datetime import time

import pytest
from django.db import connection

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
    term = f"term{service.terms.get().pk}"
    assert term in document.pathway_tokens.split()
    if connection.vendor == "postgresql":
        # The trigger turned the text into a vector, then emptied it (migrations 0005 and 0007).
        assert document.text == ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT text_vector @@ to_tsquery('simple', 'housing & advice & ls1 & 1aa')"
                " FROM directory_servicesearchdocument WHERE service_id = %s", [service.pk],
            )
            assert cursor.fetchone() == (True,)
    else:
        assert {"housing", "advice", "ls1", "1aa"} <= set(document.text.split())
    assert document.has_drop_in
    assert service.search_points.count() == 1


def test_a_draft_is_not_in_search(db):
    service = directory_service(publish=False)
    assert service.publication == Publication.DRAFT
    assert not ServiceSearchDocument.objects.filter(service=service).exists()


def test_the_words_written_for_postgresql_are_those_its_own_parser_finds_but_stop_words(db):
    from pathways.directory.services.search_index import STOP_WORDS, indexed_words

    text = "Café — St. Mary's drop-in for the over 50s, LS6 1AN; call 0113-496 0100 (naïve ÉCOLE) x_y@z.org 1st 2.5"
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's parser")
    with connection.cursor() as cursor:
        cursor.execute("SELECT strip(to_tsvector('pg_catalog.simple', regexp_replace(%s, '[^[:alnum:]]+', ' ', 'g')))"
                       "::text, %s::tsvector::text", [text, " ".join(indexed_words(text))])
        theirs, ours = (set(vector.replace("'", "").split()) for vector in cursor.fetchone())
    assert {"for", "the", "over", "s"} <= theirs & STOP_WORDS
    assert ours == theirs - STOP_WORDS
