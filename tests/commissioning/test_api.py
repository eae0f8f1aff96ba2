"""The opportunities API: read-only, open to everyone, published opportunities only, with the list's filters."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from .factories import make_opportunity, published

pytestmark = pytest.mark.django_db


def list_url():
    return reverse("api-opportunity-list")


def detail_url(opportunity_id):
    return reverse("api-opportunity-detail", args=[opportunity_id])


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


class TestTheList:
    def test_given_anyone_then_published_opportunities_are_listed_and_drafts_never(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds], title="Open work")
        make_opportunity(probation, areas=[leeds], title="Draft")
        response = client.get(list_url())
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        [item] = body["results"]
        assert item["uuid"] == str(opportunity.uuid) and item["status"] == "open"
        assert item["buyer"] == {"uuid": str(probation.uuid), "name": "Yorkshire Probation"}
        assert item["pathways"] == [{"code": "pathway-accommodation", "name": "Accommodation"}]
        assert item["areas"][0]["name"] == "Leeds"
        assert item["url"].endswith(f"/opportunities/{opportunity.uuid}/")
        assert item["is_short_term"] is False

    @pytest.mark.parametrize(("query", "expected"), [
        ({"status": "forthcoming"}, ["Coming"]),
        ({"pathway": "pathway-ete"}, ["Grant"]),
        ({"procedure": "grant_round"}, ["Grant"]),
        ({"value_band": "under-100k"}, ["Grant"]),
        ({"q": "coming"}, ["Coming"]),
    ])
    def test_given_filters_then_they_narrow_the_list(self, client, probation, leeds, query, expected):
        published(probation, areas=[leeds], title="Open")
        published(probation, areas=[leeds], title="Grant", procedure="grant_round", value_minimum=None,
                  value_maximum=Decimal(50_000), pathways=["pathway-ete"])
        published(probation, areas=[leeds], title="Coming", open_for_bids=False)
        assert sorted(titles(client.get(list_url(), query))) == sorted(expected)

    def test_given_an_area_then_it_includes_the_places_around_it(self, client, probation, leeds, hull, region):
        published(probation, areas=[region], title="Region")
        published(probation, areas=[hull], title="Hull")
        assert titles(client.get(list_url(), {"area": leeds.pk})) == ["Region"]

    def test_given_the_deadline_passed_then_it_reads_closed(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds])
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)):
            assert client.get(list_url(), {"status": "closed"}).json()["results"][0]["status"] == "closed"
            assert client.get(list_url(), {"closing_soon": "true"}).json()["count"] == 0

    def test_given_a_bad_filter_value_then_400_naming_it(self, client):
        response = client.get(list_url(), {"status": "bogus"})
        assert response.status_code == 400 and "status" in response.json()


class TestOneOpportunity:
    def test_given_anyone_then_it_has_lots_criteria_with_the_price_formula_and_contact(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds], duration_months=24)
        body = client.get(detail_url(opportunity.uuid)).json()
        assert body["reference"] == opportunity.reference and body["is_short_term"] is True
        assert [(c["title"], c["weight"], c["is_price"]) for c in body["criteria"]] == [
            ("Quality of support", 60, False), ("Price", 40, True),
        ]
        assert body["criteria"][1]["price_formula"] == "lowest_ratio"
        assert body["criteria"][1]["price_formula_in_words"].startswith("Points = lowest price ÷ your price × 40")
        assert body["contact"]["email"] == "commissioning@probation.example"
        assert body["lots"] == [] and body["documents"] == []

    def test_given_a_draft_then_404_even_for_its_commissioner(self, client, probation, commissioner):
        draft = make_opportunity(probation, by=commissioner)
        assert client.get(detail_url(draft.uuid)).status_code == 404
        client.force_login(commissioner)
        assert client.get(detail_url(draft.uuid)).status_code == 404

    def test_given_a_bad_id_then_404(self, client):
        assert client.get(detail_url(uuid.uuid4())).status_code == 404

    def test_given_a_signed_in_person_of_another_organisation_then_published_ones_read_the_same(
        self, client, probation, leeds, other_manager
    ):
        opportunity = published(probation, areas=[leeds])
        client.force_login(other_manager)
        assert client.get(detail_url(opportunity.uuid)).json()["uuid"] == str(opportunity.uuid)


def test_an_opportunity_is_never_deleted_and_a_new_one_needs_its_organisation(client, probation, leeds, commissioner):
    opportunity = published(probation, areas=[leeds])
    client.force_login(commissioner)
    response = client.post(list_url(), {"title": "New"})
    assert response.status_code == 400 and "organisation" in response.json()  # no organisation named
    assert client.delete(detail_url(opportunity.uuid)).status_code == 405  # cancelled with a reason instead
