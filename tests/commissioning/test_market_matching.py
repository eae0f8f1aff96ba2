"""Matching an opportunity to what organisations want, and the partner finder's ranking."""

from decimal import Decimal

import pytest

from pathways.commissioning.selectors import market as selectors
from pathways.commissioning.services import market as services
from tests.factories import PlaceFactory, directory_service, member

from .factories import published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def matching_names(opportunity):
    return sorted(profile.organisation.name for profile in selectors.profiles_matching(opportunity=opportunity))


class TestMatching:
    def test_given_no_pathways_or_areas_then_the_profile_matches_anything(self, probation, leeds, charity):
        set_profile(charity)
        assert matching_names(published(probation, areas=[leeds])) == ["Leeds Women's Aid"]

    def test_given_pathways_then_they_must_overlap(self, probation, leeds, charity, partner_charity):
        set_profile(charity, pathways=["pathway-accommodation", "pathway-health"])
        set_profile(partner_charity, pathways=["pathway-ete"])
        assert matching_names(published(probation, areas=[leeds])) == ["Leeds Women's Aid"]

    def test_given_a_region_then_it_matches_the_local_authorities_in_it_and_the_other_way(
        self, probation, region, leeds, hull, charity, partner_charity
    ):
        set_profile(charity, areas=[region])
        set_profile(partner_charity, areas=[hull])
        assert matching_names(published(probation, areas=[leeds])) == ["Leeds Women's Aid"]
        assert matching_names(published(probation, areas=[region])) == ["Hull Housing Trust", "Leeds Women's Aid"]

    def test_given_an_area_elsewhere_then_it_does_not_match(self, probation, leeds, charity):
        set_profile(charity, areas=[PlaceFactory(name="Cardiff")])
        assert matching_names(published(probation, areas=[leeds])) == []

    @pytest.mark.parametrize(("low", "high", "matches"), [
        (None, None, True), (Decimal(400_000), None, True), (Decimal(500_000), None, False),
        (None, Decimal(300_000), True), (None, Decimal(200_000), False), (Decimal(100_000), Decimal(350_000), True),
    ])
    def test_given_a_value_range_then_it_must_overlap_the_opportunitys(self, probation, leeds, charity, low, high, matches):
        set_profile(charity, value_minimum=low, value_maximum=high)
        opportunity = published(probation, areas=[leeds])  # £300,000 to £450,000
        assert (matching_names(opportunity) == ["Leeds Women's Aid"]) is matches

    def test_the_buyer_and_the_agency_never_match_their_own_opportunity(self, probation, agency, agency_worker, leeds):
        set_profile(probation)
        set_profile(agency)
        assert matching_names(published(probation, areas=[leeds], agency=agency, by=agency_worker)) == []


class TestPartnerFinder:
    def test_given_partners_then_those_covering_what_the_searcher_lacks_come_first_with_reasons(
        self, probation, leeds, hull, charity, partner_charity
    ):
        opportunity = published(probation, areas=[leeds, hull], pathways=["pathway-accommodation", "pathway-health"])
        directory_service(charity, terms=["pathway-accommodation"], areas=[leeds])
        directory_service(partner_charity, terms=["pathway-health"], areas=[hull])
        similar = member("manager", email="x@similar.example").memberships.get().organisation
        directory_service(similar, terms=["pathway-accommodation"], areas=[leeds])
        services.interest_register(opportunity=opportunity, organisation=partner_charity, by=None, visible_to_partners=True)
        set_profile(similar, open_to_partners=True)
        hidden = member("manager", email="y@hidden.example").memberships.get().organisation
        services.interest_register(opportunity=opportunity, organisation=hidden, by=None, visible_to_partners=False)

        partners = selectors.partners_for(opportunity=opportunity, organisation=charity)

        assert [p.organisation for p in partners] == [partner_charity, similar]
        assert partners[0].reasons == [
            "Works on Health, which your organisation does not",
            "Works in Hull, where your organisation does not",
            "Has registered interest in this opportunity",
        ]
        assert "Is open to partnerships" in partners[1].reasons

    def test_the_searcher_itself_and_the_buyer_are_never_listed(self, probation, leeds, charity):
        set_profile(charity, open_to_partners=True)
        set_profile(probation, open_to_partners=True)
        opportunity = published(probation, areas=[leeds])
        assert selectors.partners_for(opportunity=opportunity, organisation=charity) == []

