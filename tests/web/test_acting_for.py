"""People in several organisations choose which one they are working for; the choice lasts the session."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from pathways.organisations.middleware import SESSION_KEY
from tests.factories import MembershipFactory, role

from .conftest import main_of

URL = reverse("web:acting-for")


@pytest.fixture
def in_two(manager, other_charity):
    MembershipFactory(user=manager, organisation=other_charity, role=role("volunteer"))
    return manager


def test_anonymous_is_sent_to_sign_in(client, db):
    assertRedirects(client.get(URL), f"{reverse('web:sign-in')}?next={URL}")


def test_the_choice_offers_each_current_organisation(client, in_two, charity, other_charity):
    client.force_login(in_two)
    response = client.get(URL)
    assertContains(response, f'value="{charity.pk}"')
    assertContains(response, f'value="{other_charity.pk}"')
    assertContains(response, "Aire Valley Resettlement Trust")
    assertContains(response, "Calder Lantern Project")


def test_choosing_another_organisation_changes_the_home_and_says_so(client, in_two, other_charity):
    client.force_login(in_two)
    response = client.post(URL, {"organisation": other_charity.pk}, follow=True)
    assertRedirects(response, reverse("web:home"))
    assert client.session[SESSION_KEY] == other_charity.pk
    page = main_of(response)
    assert "You are now working for Calder Lantern Project." in page
    assert '<span class="govuk-caption-l">Volunteer or peer mentor at Calder Lantern Project</span>' in page


def test_an_organisation_the_person_is_not_in_is_refused_and_nothing_changes(client, in_two, charity):
    stranger = MembershipFactory().organisation
    client.force_login(in_two)
    response = client.post(URL, {"organisation": stranger.pk})
    assertContains(response, "Select one of your organisations")
    assert SESSION_KEY not in client.session
    assertContains(client.get(reverse("web:home")), "Manager at Aire Valley Resettlement Trust")


def test_sending_no_choice_shows_the_error_linked_to_the_field(client, in_two):
    client.force_login(in_two)
    response = client.post(URL, {})
    assertContains(response, "Select the organisation you are working for now")
    assertContains(response, 'class="govuk-error-summary"')


def test_the_choice_ends_with_the_membership(client, in_two, other_charity):
    client.force_login(in_two)
    client.post(URL, {"organisation": other_charity.pk})
    in_two.memberships.filter(organisation=other_charity).update(ended_at="2026-01-01T00:00:00Z")
    assertContains(client.get(reverse("web:home")), "Manager at Aire Valley Resettlement Trust")
