"""The copy of the search rows that search keeps in memory: what it answers, and when it is read again."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.db import connection, transaction

from pathways.directory.models import ServiceSearchGeneration
from pathways.directory.selectors.search import haversine_miles, service_search
from pathways.directory.selectors.search_memory import NEVER, SearchMemory, microseconds, search_memory
from pathways.directory.services.records import service_withdraw
from tests.factories import directory_service

LEEDS = (53.7974, -1.5438)
YORK = (53.9600, -1.0873)
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def memory(**overrides) -> SearchMemory:
    """Three services with ids far apart (so positions are looked up by search, not a table)."""
    given = dict(
        signature=(1, 1),
        ids=[7, 40, 3_000_000_000],
        names=[" housing advice ", " advice on debt ", " a very long name cut shor"],
        checked=[microseconds(NOW), microseconds(NOW - timedelta(days=500)), int(NEVER)],
        drop_in=[False, True, False],
        token_rows=[(0, " term1 place2 "), (1, " term1 "), (2, " place2 costfree ")],
        points=[(0, *LEEDS), (0, *YORK), (2, *YORK)],
    )
    return SearchMemory(**{**given, **overrides})


def positions(flags: np.ndarray) -> list[int]:
    return np.flatnonzero(flags).tolist()


def test_services_are_found_by_id_and_unknown_ids_are_ignored():
    copy = memory()
    assert copy.position_of_id is None  # the ids are too sparse for a table
    assert positions(copy.having_ids([3_000_000_000, 40, 8, -1])) == [1, 2]
    dense = memory(ids=[7, 40, 41])
    assert dense.position_of_id is not None
    assert positions(dense.having_ids([41, 7, 99, 8])) == [0, 2]


def test_facet_tokens_are_ored_and_counted_over_the_services_given():
    copy = memory()
    assert positions(copy.having_any(["term1"])) == [0, 1]
    assert positions(copy.having_any(["costfree", "term1"])) == [0, 1, 2]
    assert positions(copy.having_any(["term99"])) == []
    assert copy.counts(copy.everyone()) == {"costfree": 1, "place2": 2, "term1": 2}
    assert copy.counts(np.array([True, False, True]), ["place2", "term1", "term99"]) == {"place2": 2, "term1": 1}


def test_a_word_scores_where_it_begins_a_word_of_the_name():
    copy = memory()
    assert copy.name_score([("advic", True)]).tolist() == [1, 1, 0]
    assert copy.name_score([("advic", True), ("hous", True)]).tolist() == [2, 1, 0]
    assert copy.name_score([("on", False)]).tolist() == [0, 1, 0]
    assert copy.name_score([("dvice", True)]).tolist() == [0, 0, 0]


def test_the_last_word_of_a_name_cut_short_can_begin_a_word_but_not_be_one():
    copy = memory()
    assert copy.name_score([("sho", True)]).tolist() == [0, 0, 1]
    assert copy.name_score([("shor", False)]).tolist() == [0, 0, 0]
    assert copy.name_score([("short", True)]).tolist() == [0, 0, 0]


def test_stale_means_never_checked_or_checked_before_the_cutoff():
    assert memory().stale(NOW - timedelta(days=365)).tolist() == [False, True, True]


def test_freshness_puts_the_latest_check_first_and_never_checked_last():
    assert memory().fresh_rank.tolist() == [0, 1, 2]
    assert memory(checked=[int(NEVER), microseconds(NOW), microseconds(NOW)]).fresh_rank.tolist() == [2, 0, 1]


def test_the_nearest_location_counts_and_a_radius_leaves_out_those_beyond_it():
    copy = memory()
    everywhere = copy.nearest_miles(LEEDS)
    assert everywhere[0] == pytest.approx(0.0)
    assert everywhere[2] == pytest.approx(haversine_miles(LEEDS, YORK))
    assert np.isinf(everywhere[1])  # no location
    within_ten = copy.nearest_miles(LEEDS, 10.0)
    assert within_ten[0] == pytest.approx(0.0)
    assert np.isinf(within_ten[1]) and np.isinf(within_ten[2])  # York is about 20 miles from Leeds


def test_an_empty_directory_answers_with_nothing():
    copy = memory(ids=[], names=[], checked=[], drop_in=[], token_rows=[], points=[])
    assert positions(copy.everyone()) == []
    assert positions(copy.having_ids([1, 2])) == []
    assert copy.counts(copy.everyone()) == {}


# Read again when the rows change ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_copy_is_read_again_after_a_change_and_kept_otherwise(curator):
    service = directory_service(name="Housing advice")
    first = search_memory()
    assert search_memory() is first
    assert service.pk in first.ids.tolist()

    service_withdraw(service=service, by=curator)
    second = search_memory()
    assert second is not first
    assert service.pk not in second.ids.tolist()
    assert service_search(text="housing").total == 0


@pytest.mark.django_db
def test_a_change_rolled_back_leaves_the_signature_as_it_was():
    directory_service(name="Housing advice")
    before = search_memory()
    with pytest.raises(RuntimeError), transaction.atomic():
        directory_service(name="Housing support")
        assert service_search(text="housing").total == 2  # seen inside its own transaction
        raise RuntimeError("rolled back")
    assert service_search(text="housing").total == 1
    assert search_memory().signature == before.signature


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen_through_its_generation():
    directory_service(name="Housing advice")
    before = search_memory()
    with connection.cursor() as cursor:  # as another process would: a row the copy has not seen
        cursor.execute(f"INSERT INTO {ServiceSearchGeneration._meta.db_table} (nonce, created_at) VALUES (%s, %s)",
                       [12345, connection.ops.adapt_datetimefield_value(NOW)])
    assert search_memory() is not before


@pytest.mark.django_db
def test_old_generations_are_pruned_when_a_new_one_is_written():
    ServiceSearchGeneration.objects.create(nonce=1, created_at=NOW - timedelta(days=2))
    directory_service(name="Housing advice")
    assert not ServiceSearchGeneration.objects.filter(nonce=1).exists()
    assert ServiceSearchGeneration.objects.exists()


@pytest.mark.django_db
def test_a_service_no_longer_published_is_never_shown_even_from_an_out_of_date_copy(curator, monkeypatch):
    service = directory_service(name="Housing advice")
    out_of_date = search_memory()
    service_withdraw(service=service, by=curator)
    monkeypatch.setattr("pathways.directory.selectors.search.search_memory", lambda signature=None: out_of_date)
    assert service_search().hits == []
