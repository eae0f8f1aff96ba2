"""Search: full text, facets with counts, distance, open now and drop-ins. Runs on SQLite and PostgreSQL
with the same expectations, so the two databases give the same services for the same search."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pathways.directory.models import STALE_AFTER, Service
from pathways.directory.selectors.search import search_words, service_search
from pathways.directory.services.records import service_withdraw
from pathways.directory.services.search_index import search_document_refresh
from pathways.taxonomy.models import Term
from tests.factories import LocationFactory, OrganisationFactory, PlaceFactory, directory_service

LONDON = ZoneInfo("Europe/London")
LEEDS = (53.7974, -1.5438)
BRADFORD = (53.7950, -1.7594)
SHEFFIELD = (53.3811, -1.4701)


def names(results) -> set[str]:
    return {hit.service.name for hit in results.hits}


def counts(results, facet) -> dict[str, int]:
    return {fc.value: fc.count for fc in results.facet_counts[facet]}


@pytest.fixture
def directory(db):
    """A small directory: five published services and a draft."""
    region = PlaceFactory(kind="region", name="Yorkshire and the Humber")
    west = PlaceFactory(kind="probation_region", name="West Yorkshire", parent=region)
    leeds = PlaceFactory(name="Leeds", parent=west)
    bradford = PlaceFactory(name="Bradford", parent=west)
    sheffield = PlaceFactory(name="Sheffield", parent=PlaceFactory(kind="probation_region", name="South Yorkshire",
                                                                   parent=region))
    aire = OrganisationFactory(name="Aire Valley Resettlement Trust")
    don = OrganisationFactory(name="Don Valley Faith Forum")
    services = {
        "housing": directory_service(
            aire, name="Housing advice", description="Help to find a home and keep a tenancy.",
            terms=["pathway-accommodation", "category-housing"], areas=[leeds], self_referral=True,
            agency_referral=True, in_community=True,
            locations=[LocationFactory(organisation=aire, latitude=LEEDS[0], longitude=LEEDS[1])],
        ),
        "mentoring": directory_service(
            aire, name="Through the gate mentoring", description="Peer mentors meet people at the gate.",
            terms=["pathway-attitudes", "category-mentoring"], areas=[leeds, bradford], in_custody=True,
            through_the_gate=True, agency_referral=True,
            locations=[LocationFactory(organisation=aire, city="Bradford", postcode="BD1 1AA", latitude=BRADFORD[0],
                                       longitude=BRADFORD[1])],
        ),
        "dropin": directory_service(
            don, name="Tuesday drop-in", description="Tea, a warm room and advice for families of people in prison.",
            terms=["category-family-support", "group-families"], areas=[sheffield], self_referral=True,
            in_community=True, drop_in=("TU", time(10), time(14)),
            locations=[LocationFactory(organisation=don, city="Sheffield", postcode="S1 2HE", latitude=SHEFFIELD[0],
                                       longitude=SHEFFIELD[1])],
        ),
        "debt": directory_service(
            don, name="Debt and benefits clinic", description="Advice on debts, benefits and household bills.",
            terms=["pathway-finance", "category-advice"], areas=[sheffield], is_free=False, fees="£5 a session",
            statutory_referral_only=True, in_community=True,
        ),
        "counselling": directory_service(
            aire, name="Women's counselling", description="Counselling for women, by appointment.",
            terms=["pathway-women-abuse", "category-counselling", "group-women"], areas=[region],
            self_referral=True, in_community=True,
        ),
    }
    directory_service(aire, publish=False, name="Housing draft", description="Not yet published housing help.")
    return {"places": {"region": region, "west": west, "leeds": leeds, "bradford": bradford,
                       "sheffield": sheffield}, **services}


# Words ------------------------------------------------------------------------------------------------

def test_query_words_lose_their_endings_and_stop_words():
    assert search_words("Housing for the families") == [("hous", True), ("famil", True)]
    assert search_words("house") == [("hous", True)]
    assert search_words("LS6 1AN") == [("ls6", False), ("1an", False)]
    assert search_words("drop-in") == [("drop", True)]


# The same queries and the same answers on whichever database runs the tests.
SAME_ON_BOTH = [
    ("house", {"housing", "debt"}),             # housing, household
    ("housing", {"housing", "debt"}),
    ("HOMES", {"housing"}),
    ("advice", {"housing", "dropin", "debt"}),
    ("advice for families", {"dropin"}),
    ("mentor", {"mentoring"}),
    ("mentors", {"mentoring"}),
    ("drop-in", {"dropin"}),
    ("Aire Valley", {"housing", "mentoring", "counselling"}),
    ("women's", {"counselling"}),
    ("debt benefit", {"debt"}),
    ("Leeds", {"housing", "mentoring"}),         # the area a service works in
    ("West Yorkshire", set()),                   # ancestors are facets, not words
    ("gambling", set()),
    ("the", {"housing", "mentoring", "dropin", "debt", "counselling"}),  # only stop words: no text condition
]


@pytest.mark.parametrize(("text", "expected"), SAME_ON_BOTH)
def test_the_same_text_finds_the_same_services_on_either_database(directory, text, expected):
    results = service_search(text=text, per_page=50)
    assert names(results) == {directory[key].name for key in expected}
    assert results.total == len(expected)


def test_search_never_shows_a_draft_or_a_withdrawn_service(directory, curator):
    assert "Housing draft" not in names(service_search(text="housing"))
    service_withdraw(service=directory["housing"], by=curator)
    assert names(service_search(text="housing")) == {"Debt and benefits clinic"}


def test_a_change_to_a_service_is_searchable_at_once(directory):
    service = directory["debt"]
    Service.objects.filter(pk=service.pk).update(name="Money matters")
    search_document_refresh(service=Service.objects.get(pk=service.pk))
    assert names(service_search(text="money")) == {"Money matters"}


def test_a_word_in_the_name_ranks_above_the_same_word_in_a_description(directory):
    results = service_search(text="housing")
    assert [hit.service.name for hit in results.hits][0] == "Housing advice"


# Facets -----------------------------------------------------------------------------------------------

def test_values_of_one_facet_are_ored_and_facets_are_anded(directory):
    either = service_search(facets={"route": ["self", "statutory"]})
    assert names(either) == {"Housing advice", "Tuesday drop-in", "Debt and benefits clinic", "Women's counselling"}
    both = service_search(facets={"route": ["self", "statutory"], "setting": ["custody"]})
    assert names(both) == set()
    narrowed = service_search(facets={"route": ["agency"], "pathway": ["pathway-accommodation"]})
    assert names(narrowed) == {"Housing advice"}


def test_counts_of_a_facet_ignore_its_own_choice_but_not_the_others(directory):
    results = service_search(facets={"route": ["self"], "cost": ["free"]})
    assert results.total == 3
    # Route counts take the cost choice into account, not the route choice: free services by route.
    assert counts(results, "route") == {"self": 3, "agency": 2}
    # Cost counts take the route choice only: self-referral services by cost.
    assert counts(results, "cost") == {"free": 3}
    # Other facets count the results.
    assert counts(results, "setting") == {"community": 3}
    selected = {fc.value for fc in results.facet_counts["route"] if fc.selected}
    assert selected == {"self"}


def test_with_two_facets_chosen_each_counts_against_the_other(directory):
    results = service_search(facets={"route": ["self"], "setting": ["custody"]})
    assert results.total == 0
    assert counts(results, "route") == {"agency": 1, "self": 0}  # custody services by route
    assert counts(results, "setting") == {"community": 3, "custody": 0}  # self-referral services by setting


def test_a_service_in_leeds_counts_for_west_yorkshire_and_the_region(directory):
    places = directory["places"]
    results = service_search()
    area = counts(results, "area")
    assert area[str(places["leeds"].pk)] == 2
    assert area[str(places["west"].pk)] == 2
    assert area[str(places["region"].pk)] == 5
    in_west = service_search(facets={"area": [str(places["west"].pk)]})
    assert names(in_west) == {"Housing advice", "Through the gate mentoring"}


def test_term_facets_are_named_by_term_code_and_labelled_by_term_name(directory):
    results = service_search(text="advice")
    category = {fc.value: (fc.label, fc.count) for fc in results.facet_counts["category"]}
    assert category["category-housing"] == (Term.objects.get(code="category-housing").name, 1)
    assert counts(results, "pathway") == {"pathway-accommodation": 1, "pathway-finance": 1}
    assert counts(results, "group") == {"group-families": 1}
    assert counts(results, "cost") == {"free": 2, "paid": 1}


def test_a_facet_value_that_names_nothing_matches_nothing(directory):
    assert service_search(facets={"pathway": ["pathway-no-such-thing"]}).total == 0
    assert service_search(facets={"pathway": []}).total == 5


# Distance ---------------------------------------------------------------------------------------------

def test_a_radius_keeps_services_with_a_location_within_it_nearest_first(directory):
    results = service_search(near=LEEDS, radius_miles=15, order="distance")
    assert [hit.service.name for hit in results.hits] == ["Housing advice", "Through the gate mentoring"]
    assert results.hits[0].distance_miles == pytest.approx(0, abs=0.01)
    assert results.hits[1].distance_miles == pytest.approx(8.9, abs=0.3)
    assert service_search(near=LEEDS, radius_miles=5).total == 1


def test_distance_order_without_a_radius_puts_services_without_a_place_last(directory):
    results = service_search(near=SHEFFIELD, order="distance")
    ordered = [hit.service.name for hit in results.hits]
    assert ordered[:3] == ["Tuesday drop-in", "Housing advice", "Through the gate mentoring"]
    assert {hit.distance_miles for hit in results.hits[3:]} == {None}
    assert results.total == 5


def test_the_nearest_location_of_a_service_counts(directory):
    service = directory["dropin"]
    from pathways.directory.models import ServiceAtLocation

    ServiceAtLocation.objects.create(
        service=service, location=LocationFactory(organisation=service.organisation, latitude=LEEDS[0],
                                                  longitude=LEEDS[1] + 0.01),
    )
    search_document_refresh(service=service)
    results = service_search(near=LEEDS, radius_miles=2, order="distance")
    assert names(results) == {"Housing advice", "Tuesday drop-in"}
    assert results.hits[1].distance_miles < 1


def test_text_facets_and_distance_combine(directory):
    results = service_search(text="advice", facets={"route": ["self"]}, near=LEEDS, radius_miles=50)
    assert names(results) == {"Housing advice", "Tuesday drop-in"}
    assert counts(results, "route") == {"self": 2, "agency": 1}


# Freshness, opening and order -------------------------------------------------------------------------

def test_stale_records_are_flagged_and_rank_below_fresh_ones(directory):
    now = timezone.now()
    twin = directory_service(name="Housing advice", description="Help to find a home and keep a tenancy.",
                             terms=["pathway-accommodation", "category-housing"], areas=[directory["places"]["leeds"]])
    Service.objects.filter(pk=directory["housing"].pk).update(last_checked_at=now - STALE_AFTER - timedelta(days=1))
    search_document_refresh(service=Service.objects.get(pk=directory["housing"].pk))
    results = service_search(text="housing advice", now=now)
    ranked = [(hit.service.pk, hit.is_stale) for hit in results.hits]
    assert ranked[0] == (twin.pk, False)
    assert (directory["housing"].pk, True) in ranked[1:]


def test_open_now_uses_london_time_and_drop_in_keeps_services_with_a_drop_in(directory):
    tuesday_noon = datetime(2026, 3, 3, 12, 0, tzinfo=LONDON)  # a Tuesday
    assert names(service_search(open_now=True, now=tuesday_noon)) == {"Tuesday drop-in"}
    assert names(service_search(open_now=True, now=tuesday_noon + timedelta(hours=3))) == set()
    assert names(service_search(open_now=True, now=tuesday_noon + timedelta(days=1))) == set()
    assert names(service_search(drop_in=True)) == {"Tuesday drop-in"}
    # 11:30 UTC in summer is 12:30 in London.
    summer = datetime(2026, 7, 7, 13, 30, tzinfo=ZoneInfo("UTC"))
    assert names(service_search(open_now=True, now=summer)) == set()
    assert names(service_search(open_now=True, now=summer - timedelta(hours=1))) == {"Tuesday drop-in"}


def test_order_by_name_and_by_freshness(directory):
    by_name = service_search(order="name")
    assert [hit.service.name for hit in by_name.hits] == sorted(
        (hit.service.name for hit in by_name.hits), key=str.casefold
    )
    Service.objects.filter(pk=directory["debt"].pk).update(last_checked_at=timezone.now() + timedelta(minutes=1))
    search_document_refresh(service=Service.objects.get(pk=directory["debt"].pk))
    assert service_search(order="freshness").hits[0].service.name == "Debt and benefits clinic"


def test_results_come_a_page_at_a_time(directory):
    first = service_search(order="name", per_page=2)
    third = service_search(order="name", per_page=2, page=3)
    beyond = service_search(order="name", per_page=2, page=99)
    assert (first.total, first.pages, len(first.hits)) == (5, 3, 2)
    assert (third.page, len(third.hits)) == (3, 1)
    assert beyond.page == 3
    assert first.hits[0].service.organisation.name  # organisation is read with the service
