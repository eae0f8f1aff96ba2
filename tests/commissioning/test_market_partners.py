"""The partner finder page: for signed-in members of an organisation that could bid, with why each matches
and how to contact it."""

import pytest
from django.urls import reverse

from pathways.commissioning.services import market as services
from tests.factories import directory_service

from .factories import make_opportunity, published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(opportunity, **query):
    base = reverse("commissioning:partner-finder", args=[opportunity.uuid])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_member_sees_partners_with_reasons_and_contact_details(
    client, probation, leeds, hull, charity, charity_worker, partner_charity
):
    opportunity = published(probation, areas=[leeds, hull])
    directory_service(charity, terms=["pathway-accommodation"], areas=[leeds])
    directory_service(partner_charity, terms=["pathway-accommodation"], areas=[hull])
    services.interest_register(opportunity=opportunity, organisation=partner_charity, by=None, visible_to_partners=True)
    client.force_login(charity_worker)
    content = client.get(url(opportunity)).content.decode()
    assert "Hull Housing Trust" in content
    assert "Works in Hull, where your organisation does not" in content
    assert "mailto:info@hullhousing.example" in content and "01482 000000" in content


def test_interest_hidden_from_partners_is_not_shown(client, probation, leeds, charity_worker, partner_charity):
    opportunity = published(probation, areas=[leeds])
    services.interest_register(opportunity=opportunity, organisation=partner_charity, by=None, visible_to_partners=False)
    client.force_login(charity_worker)
    assert "Hull Housing Trust" not in client.get(url(opportunity)).content.decode()


def test_signed_out_people_are_asked_to_sign_in(client, probation, leeds):
    assert client.get(url(published(probation, areas=[leeds]))).status_code == 302


def test_the_buyer_a_draft_and_another_organisations_name_are_not_found(
    client, probation, commissioner, leeds, charity, outsider
):
    opportunity = published(probation, areas=[leeds])
    client.force_login(commissioner)
    assert client.get(url(opportunity)).status_code == 404
    client.force_login(outsider)
    assert client.get(url(opportunity, organisation=charity.slug)).status_code == 404
    assert client.get(url(make_opportunity(probation, areas=[leeds]))).status_code == 404
