"""The market's API: your organisation's interest profile and interests, the public count of interest, and the
agency's approved list. Anonymous, wrong role, other organisation, bad id and the happy path."""

import uuid

import pytest
from django.urls import reverse

from pathways.commissioning.models import InterestProfile
from pathways.commissioning.services import market as services

from .factories import make_opportunity, published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
PROFILE = "/api/v1/market/interest-profile/"


class TestInterestProfile:
    def test_anonymous_is_refused(self, client):
        assert client.get(PROFILE).status_code in (401, 403)

    def test_a_member_reads_the_defaults_then_the_saved_profile(self, client, charity, charity_worker):
        client.force_login(charity_worker)
        assert client.get(PROFILE).json()["frequency"] == "at_once"
        set_profile(charity, pathways=["pathway-health"], frequency="weekly")
        body = client.get(PROFILE).json()
        assert (body["organisation"], body["pathways"], body["frequency"]) == ("leeds-womens-aid", ["pathway-health"], "weekly")

    def test_a_manager_updates_it_and_bad_values_name_the_field(self, client, charity, charity_manager, leeds):
        client.force_login(charity_manager)
        response = client.patch(PROFILE, {"pathways": ["pathway-accommodation"], "areas": [leeds.pk],
                                          "open_to_partners": True}, content_type="application/json")
        assert response.status_code == 200, response.content
        profile = InterestProfile.objects.get(organisation=charity)
        assert profile.open_to_partners and list(profile.areas.all()) == [leeds]
        response = client.patch(PROFILE, {"value_minimum": 900, "value_maximum": 100}, content_type="application/json")
        assert response.status_code == 400 and "value_maximum" in response.json()["errors"]
        response = client.patch(PROFILE, {"frequency": "hourly"}, content_type="application/json")
        assert response.status_code == 400 and "frequency" in response.json()

    def test_a_member_who_is_not_a_manager_cannot_change_it(self, client, charity, charity_worker):
        client.force_login(charity_worker)
        assert client.patch(PROFILE, {"frequency": "never"}, content_type="application/json").status_code == 403
        assert not InterestProfile.objects.exists()

    def test_another_organisations_profile_is_not_found(self, client, charity, outsider):
        client.force_login(outsider)
        assert client.get(PROFILE, {"organisation": charity.slug}).status_code == 404
        assert client.patch(PROFILE + f"?organisation={charity.slug}", {"frequency": "never"},
                            content_type="application/json").status_code == 404


class TestInterests:
    def test_your_organisations_interests_are_listed_and_no_one_elses(
        self, client, probation, leeds, charity, charity_worker, partner_charity
    ):
        mine = published(probation, areas=[leeds], title="Mine")
        theirs = published(probation, areas=[leeds], title="Theirs")
        services.interest_register(opportunity=mine, organisation=charity, by=None, visible_to_partners=True)
        services.interest_register(opportunity=theirs, organisation=partner_charity, by=None)
        client.force_login(charity_worker)
        body = client.get("/api/v1/market/interests/").json()
        assert [item["opportunity"]["title"] for item in body["results"]] == ["Mine"]
        assert client.get("/api/v1/market/interests/", {"organisation": partner_charity.slug}).status_code == 404

    def test_the_count_of_interest_is_public_but_not_who(self, client, probation, leeds, charity):
        opportunity = published(probation, areas=[leeds])
        services.interest_register(opportunity=opportunity, organisation=charity, by=None)
        body = client.get(reverse("api-interest-count", args=[opportunity.uuid])).json()
        assert body == {"opportunity": str(opportunity.uuid), "organisations_interested": 1}

    def test_the_count_for_a_draft_or_a_bad_id_is_not_found(self, client, probation, leeds):
        draft = make_opportunity(probation, areas=[leeds])
        assert client.get(reverse("api-interest-count", args=[draft.uuid])).status_code == 404
        assert client.get(reverse("api-interest-count", args=[uuid.uuid4()])).status_code == 404


class TestApprovedList:
    URL = "/api/v1/market/approved-list/"

    def test_the_agency_reads_its_list(self, client, agency, agency_worker, charity):
        approve(charity, agency, pathways=["pathway-accommodation"])
        client.force_login(agency_worker)
        [entry] = client.get(self.URL).json()["results"]
        assert (entry["organisation"]["name"], entry["status"], entry["pathways"]) == (
            "Leeds Women's Aid", "approved", ["pathway-accommodation"])

    def test_anyone_else_is_refused(self, client, agency, charity, charity_manager, commissioner):
        approve(charity, agency)
        assert client.get(self.URL).status_code in (401, 403)
        for person in (charity_manager, commissioner):
            client.force_login(person)
            assert client.get(self.URL).status_code == 403
        client.force_login(charity_manager)
        assert client.get(self.URL, {"organisation": agency.slug}).status_code == 404
